import { IN_MEMORY, loadConfig } from '../config/config.js';
import { PrismaService } from './prisma.service.js';

// A server that refuses connections (port 1 on loopback): preparing it fails at once, for real.
const REFUSING_SERVER = 'postgresql://postgres@127.0.0.1:1/none';

describe(PrismaService.name, () => {
  it('starts preparing the database in its init hook without waiting, and reports the failure before the app listens', async () => {
    const service = new PrismaService(loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: REFUSING_SERVER }));

    // void, not a promise: Nest goes on to the other modules' init hooks at once.
    expect(service.onModuleInit()).toBeUndefined();

    await expect(service.onApplicationBootstrap()).rejects.toThrow();
    await expect(service.ready()).rejects.toThrow();
    expect(service.ready()).toBe(service.ready());
  });

  it('loads the query compiler while the database gets ready, not once it is', async () => {
    const service = new PrismaService(loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: REFUSING_SERVER }));
    const connect = vi.spyOn(service, '$connect');

    await expect(service.ready()).rejects.toThrow();

    // The migration check failed, and the client was connecting all the same: the two ran side by side.
    expect(connect).toHaveBeenCalledTimes(1);
    await expect(connect.mock.results[0]?.value).resolves.toBeUndefined();
  });

  it('is ready for queries once ready() settles, on embedded PGlite', async () => {
    const service = new PrismaService(loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: IN_MEMORY }));
    try {
      service.onModuleInit();
      await service.ready();

      // The migrations have run: the key table exists.
      expect(await service.apiKey.count()).toBe(0);
      await expect(service.onApplicationBootstrap()).resolves.toBeUndefined();
    } finally {
      await service.onApplicationShutdown();
    }
  });
});
