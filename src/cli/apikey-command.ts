import { parseArgs } from 'node:util';
import { ApiKeyError, ApiKeyStore, parseNewApiKey, type ApiKeyRecord } from '../auth/api-key.store.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { DatabaseInUseError } from '../database/pglite-lock.js';
import { withPrismaClient } from '../database/prisma-client.js';

/**
 * `npm run apikey -- <command>`: creates, lists and revokes API keys, on the database the service
 * uses (the same DATABASE_URL or DATA_DIR). On embedded PGlite it holds the data directory's lock
 * for its few milliseconds of work, so it refuses, rather than corrupts, a directory the running
 * service holds.
 */

export const USAGE = `Usage:
  npm run apikey -- create --name <name> --scopes <scope,…> [--team <team>]
      Prints the new key once, alone on the last line: store it now, it cannot be shown again.
      Scopes: plans:read, plans:write, admin (every team's plans, and every scope).
      --team: the key sees and creates only that team's plans; without it, only plans without a team.
  npm run apikey -- list [--json]
      Every key, active and revoked (never the key itself).
  npm run apikey -- revoke <name>
      The key stops working at once.

The database is the service's: DATABASE_URL (a PostgreSQL server), else embedded PGlite under DATA_DIR.`;

export type Io = { out(line: string): void; err(line: string): void };

/** Exit codes: 0 done, 1 could not (database in use, unknown key…), 2 the command line is wrong. */
export async function runApiKeyCommand(
  argv: string[],
  io: Io,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    io.err('');
    io.err(USAGE);
    return 2;
  }
  if (command.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  try {
    return await withStore(env, (store) => execute(command, store, io));
  } catch (error) {
    if (error instanceof ApiKeyError) {
      error.problems.forEach((problem) => io.err(problem));
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DatabaseInUseError) {
      io.err(error.message);
      return 1;
    }
    io.err(`apikey failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

type Command =
  | { kind: 'help' }
  | { kind: 'create'; name?: string; scopes?: string; team?: string }
  | { kind: 'list'; json: boolean }
  | { kind: 'revoke'; name: string };

const HELP_FLAGS = ['--help', '-h'];

function parseCommand(argv: string[]): Command {
  const [verb, ...rest] = argv;
  // `create --help` asks for the usage; parseArgs would refuse it as an unknown option.
  if (rest.some((arg) => HELP_FLAGS.includes(arg))) {
    return { kind: 'help' };
  }
  switch (verb) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { kind: 'help' };
    case 'create': {
      const { values } = parseArgs({
        args: rest,
        options: { name: { type: 'string' }, scopes: { type: 'string' }, team: { type: 'string' } },
        strict: true,
        allowPositionals: false,
      });
      return { kind: 'create', ...values };
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true });
      return { kind: 'list', json: values.json ?? false };
    }
    case 'revoke': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
      const [name] = positionals;
      if (positionals.length !== 1 || name === undefined) {
        throw new Error('revoke takes exactly one key name.');
      }
      return { kind: 'revoke', name };
    }
    default:
      throw new Error(`Unknown command "${verb}".`);
  }
}

async function execute(command: Exclude<Command, { kind: 'help' }>, store: ApiKeyStore, io: Io): Promise<number> {
  switch (command.kind) {
    case 'create': {
      const { key, record } = await store.create(parseNewApiKey(command));
      io.out(`Created the API key "${record.name}": ${describeGrant(record)}.`);
      io.out('It is shown once, now, and cannot be recovered (only its SHA-256 is stored). Send it as');
      io.out('"Authorization: Bearer <key>". The key:');
      // Alone on the last line: `npm run -s apikey -- create … | tail -n 1` is the key.
      io.out(key);
      return 0;
    }
    case 'list': {
      const keys = await store.list();
      if (command.json) {
        io.out(JSON.stringify(keys, null, 2));
      } else if (keys.length === 0) {
        io.out('No API keys yet: the service only answers clients on its own machine (protected mode).');
      } else {
        table(keys).forEach((line) => io.out(line));
      }
      return 0;
    }
    case 'revoke': {
      const outcome = await store.revoke(command.name);
      if (outcome === 'not-found') {
        io.err(`No key is named "${command.name}" (npm run apikey -- list shows them).`);
        return 1;
      }
      io.out(
        outcome === 'revoked'
          ? `Revoked "${command.name}": requests with it are refused from now on.`
          : `"${command.name}" was already revoked.`,
      );
      return 0;
    }
  }
}

function describeGrant(record: ApiKeyRecord): string {
  const team = record.team === null ? 'no team (plans without a team)' : `team ${record.team}`;
  return `scopes ${record.scopes.join(', ')}; ${record.scopes.includes('admin') ? `every team, creates for ${team}` : team}`;
}

function table(keys: ApiKeyRecord[]): string[] {
  const header = ['NAME', 'SCOPES', 'TEAM', 'CREATED', 'LAST USED', 'STATUS'];
  const rows = [
    header,
    ...keys.map((k) => [
      k.name,
      k.scopes.join(','),
      k.team ?? '-',
      minute(k.createdAt),
      k.lastUsedAt ? minute(k.lastUsedAt) : 'never',
      k.revokedAt ? `revoked ${minute(k.revokedAt)}` : 'active',
    ]),
  ];
  // Every row has the header's columns; a missing cell would count as empty.
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function minute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

/** Opens the service's database (migrating embedded PGlite like the service does), runs `work`, closes. */
function withStore<T>(env: Record<string, string | undefined>, work: (store: ApiKeyStore) => Promise<T>): Promise<T> {
  return withPrismaClient(loadConfig(env), 'the apikey command', (prisma) => work(new ApiKeyStore(prisma)));
}
