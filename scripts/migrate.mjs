#!/usr/bin/env node
// Offline replacement for `prisma migrate dev --create-only` and `prisma migrate deploy`.
//
//   node scripts/migrate.mjs create <name>   diff prisma/migrations against schema.prisma and write
//                                            prisma/migrations/<timestamp>_<name>/migration.sql
//   node scripts/migrate.mjs deploy          apply pending migrations to DATABASE_URL (a PostgreSQL
//                                            server), or to PGlite in DATA_DIR/pglite without it
//
// Both record migrations in the standard `_prisma_migrations` table (sha256 checksums), the same
// table the app fills when it migrates PGlite at boot, so either can follow the other.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_FILTERS, openSchemaEngine, readMigrationsList } from './schema-engine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const migrationsDir = path.join(root, 'prisma', 'migrations');

async function pgliteFactory(dataDir) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  if (dataDir !== 'memory://') {
    await mkdir(dataDir, { recursive: true });
  }
  const db = new PGlite(dataDir);
  return { factory: new PrismaPGlite(db), close: () => db.close() };
}

async function targetFactory() {
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { default: pg } = await import('pg');
    const scripts = new pg.Pool({ connectionString: url, max: 1 });
    return {
      factory: wholeScripts(new PrismaPg({ connectionString: url }), scripts),
      close: () => scripts.end(),
      where: redact(url),
    };
  }
  const dataDir = process.env.DATA_DIR?.trim() || './.data';
  const dir = dataDir === 'memory://' ? dataDir : path.resolve(dataDir, 'pglite');
  // The same lock as the service and `npm run apikey`: a second process on PGlite's files corrupts them.
  if (dir !== 'memory://') {
    await mkdir(path.dirname(dir), { recursive: true });
  }
  const lock =
    dir === 'memory://' ? undefined : (await loadPgliteLock()).lockPgliteDirectory(dir, 'npm run db:migrate');
  const target = await pgliteFactory(dir);
  return {
    ...target,
    close: async () => {
      await target.close();
      lock?.release();
    },
    where: `PGlite at ${dir}`,
  };
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it on every ";", inside comments and
 * dollar-quoted bodies too, so a `DO $$ … $$` block arrives in pieces and fails. Prisma's native
 * engine sends the whole script as one simple query, and so does this: PostgreSQL itself splits
 * it, and runs it as one transaction.
 */
function wholeScripts(factory, pool) {
  const withWholeScripts = async (connecting) => {
    const adapter = await connecting;
    return new Proxy(adapter, {
      get: (target, property, receiver) =>
        property === 'executeScript'
          ? async (script) => {
              await pool.query(script);
            }
          : Reflect.get(target, property, receiver),
    });
  };
  return new Proxy(factory, {
    get: (target, property, receiver) => {
      if (property === 'connect' || property === 'connectToShadowDb') {
        return () => withWholeScripts(target[property]());
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

// The lock lives in TypeScript (src/database/pglite-lock.ts). From a checkout tsx loads it; in the
// container image, where dev dependencies are pruned, the build's compiled copy is there instead.
async function loadPgliteLock() {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    return await import('../src/database/pglite-lock.ts');
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') {
      throw error;
    }
    return import('../dist/src/database/pglite-lock.js');
  }
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = '***';
    }
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

async function create(name) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error('usage: node scripts/migrate.mjs create <name>   (lower-case letters, digits, _)');
  }
  // Diffing through a server would replay the migrations into the server itself (P3006); an
  // in-memory PGlite is both the scratch and the shadow database.
  const { factory, close } = await pgliteFactory('memory://');
  const engine = await openSchemaEngine({ schemaPath, adapterFactory: factory });
  const list = await readMigrationsList(migrationsDir);
  const from = list.migrationDirectories.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...list };
  const { readFile } = await import('node:fs/promises');
  const schema = await readFile(schemaPath, 'utf8');
  const { stdout } = await engine.diff({
    from,
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
    script: true,
    exitCode: null,
    shadowDatabaseUrl: null,
    filters: NO_FILTERS,
  });
  await close();
  if (!stdout.trim() || /^-- This is an empty migration/.test(stdout.trim())) {
    console.log('No schema changes.');
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), stdout);
  await writeFile(
    path.join(migrationsDir, 'migration_lock.toml'),
    '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
  );
  console.log(`Created ${path.relative(root, dir)}/migration.sql`);
}

async function deploy() {
  const { factory, close, where } = await targetFactory();
  const engine = await openSchemaEngine({ schemaPath, adapterFactory: factory });
  const list = await readMigrationsList(migrationsDir);
  const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS });
  await close();
  console.log(`Migrations for ${where}`);
  console.log(`Applied: ${appliedMigrationNames.length ? appliedMigrationNames.join(', ') : '(none pending)'}`);
}

const [command, arg] = process.argv.slice(2);
try {
  if (command === 'create') {
    await create(arg);
  } else if (command === 'deploy') {
    await deploy();
  } else {
    throw new Error('usage: node scripts/migrate.mjs create <name> | deploy');
  }
  // The wasm engine leaves a timer pending for about 10 s; nothing else is left to do.
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
