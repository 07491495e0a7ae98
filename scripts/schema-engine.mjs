// Prisma's schema engine, compiled to WebAssembly and published on npm, driven through a driver
// adapter. The Prisma CLI downloads a native schema engine from binaries.prisma.sh before every
// migrate command, and installs that may reach only the npm registry cannot, so migrations are
// created and applied through this.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);

/** No tables or enums are managed outside Prisma. */
export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/**
 * @param {{ schemaPath: string, adapterFactory: object, log?: (line: string) => void }} options
 * @returns {Promise<import('@prisma/schema-engine-wasm').SchemaEngine>}
 */
export async function openSchemaEngine({ schemaPath, adapterFactory, log = () => {} }) {
  // The package does not export ./package.json, so locate it through an exported entry.
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const bg = await import(path.join(dir, 'schema_engine_bg.js'));
  const wasm = await readFile(path.join(dir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(wasm, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  const schema = await readFile(schemaPath, 'utf8');
  // The engine calls `connect` unbound; a raw adapter factory fails with "reading 'client'".
  return bg.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    (line) => log(String(line)),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

/**
 * Reads prisma/migrations the way the CLI does: one directory per migration, sorted by name.
 * @param {string} baseDir
 * @returns {Promise<import('@prisma/schema-engine-wasm').MigrationList>}
 */
export async function readMigrationsList(baseDir) {
  const { readdir } = await import('node:fs/promises');
  const lockPath = path.join(baseDir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const sql = await readFile(path.join(baseDir, entry.name, 'migration.sql'), 'utf8').then(
      (value) => ({ tag: 'ok', value }),
      (error) => ({ tag: 'error', value: String(error) }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: 'migration.sql', content: sql } });
  }
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}
