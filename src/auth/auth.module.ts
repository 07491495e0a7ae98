import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type Config } from '../config/config.js';
import { PrismaService } from '../database/prisma.service.js';
import { ApiKeyStore } from './api-key.store.js';
import { AuthGuard } from './auth.guard.js';
import { Authenticator } from './authenticator.js';
import { assertSafeToListen, CREATE_KEY_HINT, KeyPresence } from './protected-mode.js';

/**
 * At boot, once the database is migrated: with no key, refuse a non-loopback HOST (createApp
 * rejects, main exits non-zero) and warn that only this machine is served until a key exists.
 */
@Injectable()
export class ProtectedModeCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
    @Inject(KeyPresence) private readonly presence: KeyPresence,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const active = await this.keys.countActive();
    this.presence.remember(active > 0);
    assertSafeToListen(this.config.host, active);
    if (active === 0) {
      this.logger.warn(
        'No API key exists: protected mode, only clients on this machine (loopback) are served. ' +
          `Create a key with: ${CREATE_KEY_HINT} (on the embedded database, stop the service first), ` +
          'then every request needs "Authorization: Bearer <key>".',
      );
    } else {
      this.logger.log(`${active} active API key(s): every request needs one, except /health and /docs.`);
    }
  }
}

/** API keys, the global auth guard, protected mode. Global: transports inject the Authenticator. */
@Global()
@Module({
  providers: [
    { provide: ApiKeyStore, inject: [PrismaService], useFactory: (prisma: PrismaService) => new ApiKeyStore(prisma) },
    {
      provide: KeyPresence,
      inject: [ApiKeyStore],
      useFactory: (keys: ApiKeyStore) => new KeyPresence(() => keys.countActive()),
    },
    Authenticator,
    ProtectedModeCheck,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [ApiKeyStore, KeyPresence, Authenticator],
})
export class AuthModule {}
