import { Global, Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type Config } from '../config/config.js';
import { GraphqlMetricsPlugin } from './graphql-metrics.plugin.js';
import { loggerParams, type LogDestination } from './logging.js';
import { MetricsController } from './metrics.controller.js';
import { APP_METRICS, PLAN_METRICS, type AppMetrics } from './metrics.js';

export type ObservabilityOptions = {
  /** Created before Nest (createApp), so Fastify's hooks record into the same registry /metrics serves. */
  metrics: AppMetrics;
  /** Where JSON log lines go; stdout when absent. */
  logDestination?: LogDestination | undefined;
};

/**
 * Logs (nestjs-pino), metrics (/metrics, the GraphQL plugin, the planner's and the database's
 * counters). Global: PlansService and PrismaService inject PLAN_METRICS and APP_METRICS without
 * importing it.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: Config) => loggerParams(config.logLevel, options.logDestination),
        }),
      ],
      controllers: [MetricsController],
      providers: [
        { provide: APP_METRICS, useValue: options.metrics },
        { provide: PLAN_METRICS, useValue: options.metrics },
        GraphqlMetricsPlugin,
      ],
      exports: [APP_METRICS, PLAN_METRICS],
    };
  }
}
