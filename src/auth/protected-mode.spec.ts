import {
  assertSafeToListen,
  isLoopbackHost,
  KeyPresence,
  KEY_PRESENCE_TTL_MS,
  UnsafeListenError,
} from './protected-mode.js';

describe(isLoopbackHost.name, () => {
  it.each([
    ['127.0.0.1', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.1.2.3', false],
    ['planner.internal', false],
  ])('HOST=%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe(assertSafeToListen.name, () => {
  it('refuses a non-loopback HOST while no key exists, saying how to make one', () => {
    expect(() => assertSafeToListen('0.0.0.0', 0)).toThrow(UnsafeListenError);
    expect(() => assertSafeToListen('0.0.0.0', 0)).toThrow(/HOST=0\.0\.0\.0.*npm run apikey -- create/);
    expect(() => assertSafeToListen('::', 0)).toThrow(UnsafeListenError);
  });

  it('allows loopback without keys, and anything once a key exists', () => {
    expect(() => assertSafeToListen('127.0.0.1', 0)).not.toThrow();
    expect(() => assertSafeToListen('localhost', 0)).not.toThrow();
    expect(() => assertSafeToListen('0.0.0.0', 1)).not.toThrow();
  });
});

describe(KeyPresence.name, () => {
  function setUp(initial: number) {
    let now = 1_000_000;
    let keys = initial;
    const count = vi.fn(() => Promise.resolve(keys));
    const presence = new KeyPresence(count, () => now);
    return {
      presence,
      count,
      setKeys: (n: number) => (keys = n),
      advance: (ms: number) => (now += ms),
    };
  }

  it('asks the database at most once per TTL, and concurrent callers share one query', async () => {
    const { presence, count, setKeys, advance } = setUp(0);
    expect(await Promise.all([presence.anyKey(), presence.anyKey(), presence.anyKey()])).toEqual([false, false, false]);
    expect(count).toHaveBeenCalledTimes(1);

    setKeys(1); // the CLI created a key
    advance(KEY_PRESENCE_TTL_MS - 1);
    expect(await presence.anyKey()).toBe(false);
    advance(1);
    expect(await presence.anyKey()).toBe(true);
    expect(count).toHaveBeenCalledTimes(2);
  });

  it('learns "yes" from a valid key without asking, and asks again after invalidate()', async () => {
    const { presence, count } = setUp(0);
    presence.remember(true);
    expect(await presence.anyKey()).toBe(true);
    expect(count).not.toHaveBeenCalled();
    presence.invalidate();
    expect(await presence.anyKey()).toBe(false);
    expect(count).toHaveBeenCalledTimes(1);
  });
});
