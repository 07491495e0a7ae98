import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { classifyDatabaseError } from '../common/database-failure.js';
import { APP_CONFIG, type Config } from '../config/config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { APP_METRICS, type AppMetrics } from '../observability/metrics.js';
import { openDatabase, type Database } from './database.js';

/**
 * The Prisma client on the configured database; migrates embedded PGlite at boot, brings a lost
 * database back without a restart, and closes it last at shutdown.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);
  private readonly database: Database;

  constructor(
    @Inject(APP_CONFIG) config: Config,
    @Optional() @Inject(APP_METRICS) metrics?: Pick<AppMetrics, 'recordDatabaseError'>,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    const database = openDatabase(
      config,
      undefined,
      (error) => {
        metrics?.recordDatabaseError(classifyDatabaseError(error) ?? 'query');
      },
      clock,
    );
    super({ adapter: database.adapter });
    this.database = database;
  }

  get kind(): Database['kind'] {
    return this.database.kind;
  }

  async onModuleInit(): Promise<void> {
    const applied = await this.database.prepare();
    await this.$connect();
    this.logger.log(
      `${this.database.description}${applied.length ? `; applied migrations ${applied.join(', ')}` : ''}`,
    );
  }

  /**
   * After the HTTP server has closed, not in onModuleDestroy: Nest runs module-destroy hooks before
   * it stops the server, and the requests still in flight during a graceful shutdown need the
   * database until they have answered.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.database.close();
  }

  /**
   * Throws when the database does not answer. A closed embedded database is reopened first, so the
   * readiness probe is also what brings it back (requests do too, after Retry-After seconds).
   */
  async ping(): Promise<void> {
    await this.database.recover();
    await this.$queryRaw`SELECT 1`;
  }

  /** Closes the embedded database as a crash would, keeping its files (tests of recovery; a no-op on a server). */
  async interrupt(): Promise<void> {
    await this.database.interrupt();
  }
}
