import { Inject, Injectable, Logger } from '@nestjs/common';
import { readCredentials } from './api-key.js';
import { ApiKeyStore } from './api-key.store.js';
import type { Principal } from './principal.js';
import { CREATE_KEY_HINT, isLoopbackAddress, KeyPresence } from './protected-mode.js';

export const AUTH_REALM = 'exposure-planner';

/**
 * A request that is not authenticated: 401 on REST (problem+json with this challenge in
 * WWW-Authenticate), UNAUTHENTICATED on GraphQL. The message never contains the credentials.
 */
export class AuthenticationError extends Error {
  constructor(
    message: string,
    /** The WWW-Authenticate value (RFC 6750). */
    readonly challenge: string,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

const challenge = (error?: 'invalid_request' | 'invalid_token') =>
  `Bearer realm="${AUTH_REALM}"${error ? `, error="${error}"` : ''}`;

/** What the authenticator reads of a request: REST and GraphQL both hand it the Fastify request. */
export type AuthRequest = { headers: Record<string, string | string[] | undefined>; ip?: string };

/** lastUsedAt is for operators ("is this key still used?"): a minute's precision is plenty. */
export const LAST_USED_PRECISION_MS = 60_000;

/**
 * Who is calling: the one decision every transport shares. A request with a key costs one indexed
 * lookup of the key's hash; one without costs nothing but the cached "does any key exist?".
 */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger('Auth');
  private readonly lastTouched = new Map<string, number>();

  constructor(
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
    @Inject(KeyPresence) private readonly presence: KeyPresence,
  ) {}

  /** The request's Principal, or an AuthenticationError saying why there is none. */
  async authenticate(request: AuthRequest): Promise<Principal> {
    const credentials = readCredentials(request.headers.authorization);
    if (credentials.kind === 'malformed') {
      throw new AuthenticationError(credentials.reason, challenge('invalid_request'));
    }
    if (credentials.kind === 'api-key') {
      const record = await this.keys.findByKey(credentials.key);
      if (record === null) {
        throw new AuthenticationError('The API key is not known to this service.', challenge('invalid_token'));
      }
      if (record.revokedAt !== null) {
        this.logger.warn(`A request used the revoked API key "${record.name}".`);
        throw new AuthenticationError('The API key was revoked.', challenge('invalid_token'));
      }
      this.presence.remember(true);
      this.touch(record.id);
      return { kind: 'api-key', keyId: record.id, name: record.name, scopes: record.scopes, team: record.team };
    }
    if (await this.presence.anyKey()) {
      throw new AuthenticationError('An API key is required: send "Authorization: Bearer <key>".', challenge());
    }
    if (isLoopbackAddress(request.ip)) {
      return { kind: 'loopback' };
    }
    throw new AuthenticationError(
      'No API key exists yet, so the service only answers clients on its own machine (protected mode). ' +
        `An operator creates a key with: ${CREATE_KEY_HINT}`,
      challenge(),
    );
  }

  // Fire and forget: a failed bookkeeping write must never fail the request it belongs to.
  private touch(keyId: string): void {
    const now = Date.now();
    const last = this.lastTouched.get(keyId);
    if (last !== undefined && now - last < LAST_USED_PRECISION_MS) {
      return;
    }
    this.lastTouched.set(keyId, now);
    this.keys.touch(keyId, new Date(now)).catch(() => this.lastTouched.delete(keyId));
  }
}
