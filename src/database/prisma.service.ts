import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { classifyDatabaseError } from '../common/database-failure.js';
import { APP_CONFIG, type Config } from '../config/config.js';
import { PrismaClient, type Prisma } from '../generated/prisma/client.js';
import { APP_METRICS, type AppMetrics } from '../observability/metrics.js';
import { openDatabase, type Database } from './database.js';
import { runSql } from './direct-sql.js';

/**
 * The Prisma client on the configured database; migrates embedded PGlite at boot, brings a lost
 * database back without a restart, and closes it last at shutdown.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);
  private readonly database: Database;
  private direct: Promise<SqlDriverAdapter> | undefined;
  private prepared: Promise<void> | undefined;

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

  /**
   * One statement on the driver adapter this client uses, past the client's parameter encoding:
   * for the statements that carry a whole plan (direct-sql.ts says what differs; the plans
   * repository, what it saves).
   */
  async sqlOnAdapter<T>(query: Prisma.Sql): Promise<T[]> {
    return runSql<T>(await this.directAdapter(), query);
  }

  private directAdapter(): Promise<SqlDriverAdapter> {
    // Both databases' factories hand back the adapter the client holds (database.ts): one pool, or
    // the PGlite thread followed across a reopen. Only a failed first connection is retried.
    this.direct ??= this.database.adapter.connect().catch((error: unknown) => {
      this.direct = undefined;
      throw error;
    });
    return this.direct;
  }

  get kind(): Database['kind'] {
    return this.database.kind;
  }

  /**
   * Starts making the database ready (PGlite's thread opened and migrated, a server's migrations
   * checked) and returns at once: the other modules' init hooks, GraphQL's schema above all, run
   * while PGlite opens. Awaited before the app listens (`onApplicationBootstrap`); anything that
   * queries during the boot awaits `ready()` first. Awaiting it here made the embedded start wait
   * for both one after the other (docs/performance.md, "Where the targets stand").
   */
  onModuleInit(): void {
    void this.ready().catch(() => undefined); // its failure is onApplicationBootstrap's to report
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ready();
  }

  /** Settles once the database is ready for queries; rejects as the boot would. */
  ready(): Promise<void> {
    this.prepared ??= this.prepare();
    return this.prepared;
  }

  private async prepare(): Promise<void> {
    // Connecting loads Prisma's query compiler (WebAssembly, ~0.2 s of this thread at boot) and
    // sends no query, so it runs while the database gets ready rather than after: on embedded PGlite
    // this thread would otherwise sit idle until PGlite's thread has opened and migrated it.
    const [applied] = await Promise.all([this.database.prepare(), this.$connect()]);
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
