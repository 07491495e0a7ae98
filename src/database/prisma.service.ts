import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type Config } from '../config/config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { openDatabase, type Database } from './database.js';

/** The Prisma client on the configured database; migrates embedded PGlite at boot and closes it at shutdown. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PrismaService.name);
  private readonly database: Database;

  constructor(@Inject(APP_CONFIG) config: Config) {
    const database = openDatabase(config);
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

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    await this.database.close();
  }

  /** Throws when the database does not answer. */
  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }
}
