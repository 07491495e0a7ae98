import type { Config } from '../config/config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { openDatabase } from './database.js';

/**
 * A Prisma client on the configured database for the length of `work`, for a command that runs
 * outside the Nest app (`npm run apikey`): the schema made current first, everything closed after.
 * The service itself holds its client in PrismaService. `holder` names the command in the "in use"
 * message the running service gets from embedded PGlite.
 */
export async function withPrismaClient<T>(
  config: Config,
  holder: string,
  work: (prisma: PrismaClient) => Promise<T>,
): Promise<T> {
  const database = openDatabase(config, holder);
  try {
    await database.prepare();
    const prisma = new PrismaClient({ adapter: database.adapter });
    try {
      return await work(prisma);
    } finally {
      await prisma.$disconnect();
    }
  } finally {
    await database.close();
  }
}
