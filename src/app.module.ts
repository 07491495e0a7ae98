import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule } from './auth/auth.module.js';
import { ChatModule } from './chat/chat.module.js';
import { ClockModule } from './common/clock.js';
import { DeadlineInterceptor } from './common/request-deadline.js';
import type { Config } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DiagramsModule } from './diagrams/diagrams.module.js';
import { GraphqlApiModule } from './graphql/graphql-api.module.js';
import { HealthModule } from './health/health.module.js';
import { PageModule } from './page/page.module.js';
import { TopologyImportModule } from './import/topology-import.module.js';
import { PlansModule } from './plans/plans.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';

/**
 * The transports and features. A new transport adds its module to `imports` below, one line;
 * it injects PlansService (exported by PlansModule) and nothing else of ours.
 */
@Module({
  imports: [PlansModule, TopologyImportModule, HealthModule, GraphqlApiModule, ChatModule, DiagramsModule, PageModule],
  // Before every handler and resolver: a request past its deadline starts no more work.
  providers: [{ provide: APP_INTERCEPTOR, useClass: DeadlineInterceptor }],
})
export class AppModule {
  /** The app on a given Config: the Config, the Clock and the database are global, so feature modules just inject them. */
  static forRoot(config: Config): DynamicModule {
    // AuthModule: the global guard every transport's requests pass (API keys, scopes, protected mode).
    // RateLimitModule: each caller's request budget, once AuthModule has said who the caller is.
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), ClockModule, DatabaseModule, AuthModule, RateLimitModule],
    };
  }
}
