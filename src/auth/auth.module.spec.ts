import { loadConfig } from '../config/config.js';
import type { ApiKeyStore } from './api-key.store.js';
import { ProtectedModeCheck } from './auth.module.js';
import { KeyPresence } from './protected-mode.js';
import type { PublicRoutes } from './public-routes.js';

/** The check on a loopback HOST, one active key, and a database that is ready when `ready` settles. */
function protectedModeCheck(ready: () => Promise<void>) {
  const countActive = vi.fn(() => Promise.resolve(1));
  const sut = new ProtectedModeCheck(
    loadConfig({ LOG_LEVEL: 'silent' }),
    { countActive } as unknown as ApiKeyStore,
    new KeyPresence(countActive),
    { described: () => ['/health'] } as unknown as PublicRoutes,
    { ready },
  );
  return { sut, countActive };
}

describe(ProtectedModeCheck.name, () => {
  it('counts the keys only once the database is ready, whatever order Nest runs the bootstrap hooks in', async () => {
    let databaseReady = () => {};
    const ready = new Promise<void>((resolve) => (databaseReady = resolve));
    const { sut, countActive } = protectedModeCheck(() => ready);

    const checked = sut.onApplicationBootstrap();
    await new Promise((resolve) => setImmediate(resolve));
    expect(countActive).not.toHaveBeenCalled();

    databaseReady();
    await checked;
    expect(countActive).toHaveBeenCalledTimes(1);
  });

  it('fails the boot as the database does when it cannot be made ready', async () => {
    const { sut, countActive } = protectedModeCheck(() => Promise.reject(new Error('The database lacks migrations')));

    await expect(sut.onApplicationBootstrap()).rejects.toThrow('The database lacks migrations');
    expect(countActive).not.toHaveBeenCalled();
  });
});
