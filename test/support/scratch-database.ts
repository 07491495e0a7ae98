import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type ScratchDatabase = { url: string; drop: () => Promise<void> };

/**
 * A new, empty database on the server `serverUrl` points at (same credentials and options), for a
 * test or a benchmark run of its own; `drop()` removes it, connections and all. `setup` runs right
 * after creation with `$DB` standing for the database's quoted name (`ALTER DATABASE $DB SET …`).
 */
export async function createScratchDatabase(serverUrl: string, prefix: string, setup = ''): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  if (setup) {
    await onServer(serverUrl, setup.replaceAll('$DB', `"${name}"`));
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** One statement on its own connection to `url`: its rows. */
export async function queryOnce<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  await queryOnce(serverUrl, sql);
}
