import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { chatConfigProvider, CHAT_CONFIG } from '../chat/chat.config.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { APP_CONFIG, type Config } from '../config/config.js';
import { PrismaService } from '../database/prisma.service.js';
import { ApiKeyStore } from './api-key.store.js';
import { AuthGuard } from './auth.guard.js';
import { Authenticator } from './authenticator.js';
import { PublicRoutes } from './public-routes.js';
import { assertSafeToListen, CREATE_KEY_HINT, KeyPresence } from './protected-mode.js';
import { ApiKeyStrategy } from './strategies/api-key.strategy.js';
import { MattermostStrategy, SlackStrategy, TeamsStrategy } from './strategies/chat.strategies.js';
import { LoopbackStrategy } from './strategies/loopback.strategy.js';
import { MetricsTokenStrategy } from './strategies/metrics-token.strategy.js';
import { ShareLinks } from './strategies/share-link-token.js';
import { ShareLinkStrategy } from './strategies/share-link.strategy.js';

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
    @Inject(PublicRoutes) private readonly publicRoutes: PublicRoutes,
    @Inject(PrismaService) private readonly database: Pick<PrismaService, 'ready'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Nest's order of modules does not say whether the database's own bootstrap hook has run:
    // on a new data directory the key table exists once the migrations have.
    await this.database.ready();
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
      const open = this.publicRoutes.described();
      this.logger.log(
        `${active} active API key(s): every request needs one, except ${open.slice(0, -1).join(', ')}${open.length > 1 ? ' and ' : ''}${open.at(-1)}; the Slack, Mattermost and Teams routes take their platform's signature or token instead.`,
      );
    }
  }
}

/**
 * Identity, in one place: the credential strategies, the Authenticator that asks them, the global
 * guard (also the GraphQL route's front door), API keys and protected mode. ChatConfig (the chat
 * part of the Config) is provided here because the chat strategies are credentials;
 * ChatCommandService reads the same ChatConfig for its public URL. Global: the GraphQL module injects the guard.
 */
@Global()
@Module({
  // PublicRoutes finds the @Public controller routes through Nest's discovery.
  imports: [DiscoveryModule],
  providers: [
    chatConfigProvider,
    ApiKeyStrategy,
    LoopbackStrategy,
    MetricsTokenStrategy,
    SlackStrategy,
    MattermostStrategy,
    TeamsStrategy,
    ShareLinkStrategy,
    ShareLinks,
    {
      provide: ApiKeyStore,
      inject: [PrismaService, CLOCK],
      useFactory: (prisma: PrismaService, clock: Clock) => new ApiKeyStore(prisma, clock),
    },
    {
      provide: KeyPresence,
      inject: [ApiKeyStore],
      useFactory: (keys: ApiKeyStore) => new KeyPresence(() => keys.countActive()),
    },
    Authenticator,
    PublicRoutes,
    ProtectedModeCheck,
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  exports: [ApiKeyStore, KeyPresence, Authenticator, AuthGuard, ShareLinks, CHAT_CONFIG],
})
export class AuthModule {}
