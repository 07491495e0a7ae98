import { isLoopbackAddress } from '../common/loopback-address.js';

/**
 * Protected mode: until the first API key exists, the service has no way to tell callers apart, so
 * it serves only this machine (loopback), and refuses to listen anywhere else at all.
 */

export const CREATE_KEY_HINT = 'npm run apikey -- create --name <name> --scopes plans:read,plans:write';

/** Whether listening on `host` keeps the service on this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return bare.toLowerCase() === 'localhost' || isLoopbackAddress(bare);
}

export class UnsafeListenError extends Error {
  constructor(readonly host: string) {
    super(
      `Refusing to listen on HOST=${host}: no API key exists yet, so anyone who can reach that address could ` +
        `read, create and delete plans. Create a key first (${CREATE_KEY_HINT}), ` +
        'or listen on 127.0.0.1 (HOST=127.0.0.1, the default).',
    );
    this.name = 'UnsafeListenError';
  }
}

/** Throws UnsafeListenError when the service would listen beyond this machine with no key to require. */
export function assertSafeToListen(host: string, activeKeyCount: number): void {
  if (activeKeyCount === 0 && !isLoopbackHost(host)) {
    throw new UnsafeListenError(host);
  }
}

/** How long "a key exists" is believed before it is asked again. */
export const KEY_PRESENCE_TTL_MS = 5_000;

/**
 * Whether any (unrevoked) key exists, asked of the database at most once per TTL. Keys are created
 * and revoked by the CLI, another process, so the answer cannot be pushed here; a few seconds of
 * lag on entering or leaving protected mode is the price of no extra query per request. A request
 * with a valid key proves the answer is yes without asking.
 */
export class KeyPresence {
  private known: { value: boolean; at: number } | undefined;
  private pending: Promise<boolean> | undefined;

  constructor(
    private readonly count: () => Promise<number>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = KEY_PRESENCE_TTL_MS,
  ) {}

  async anyKey(): Promise<boolean> {
    if (this.known && this.now() - this.known.at < this.ttlMs) {
      return this.known.value;
    }
    // Concurrent requests share one query.
    this.pending ??= this.count()
      .then((n) => this.remember(n > 0))
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** Records what the caller just learnt (a valid key was used; a key was created here). */
  remember(value: boolean): boolean {
    this.known = { value, at: this.now() };
    return value;
  }

  /** Forgets the answer: the next request asks the database. */
  invalidate(): void {
    this.known = undefined;
  }
}
