import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';

/**
 * Prisma's schema engine, compiled to WebAssembly and published on npm, driven through a driver
 * adapter. It writes new migrations (`npm run db:migration:create`, which diffs prisma/migrations
 * against schema.prisma); the migrations themselves are applied by migrations.ts, everywhere.
 * The Prisma CLI would download a native engine from binaries.prisma.sh before every migrate
 * command, and installs that may reach only the npm registry cannot.
 */

/** No tables or enums are managed outside Prisma. */
export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

const require = createRequire(import.meta.url);

export async function openSchemaEngine(options: {
  schemaPath: string;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  log?: (line: string) => void;
}): Promise<SchemaEngine> {
  const { schemaPath, adapterFactory, log = () => {} } = options;
  const bg = await (bindings ??= loadBindings());
  const schema = await readFile(schemaPath, 'utf8');
  // The engine calls `connect` unbound; a raw adapter factory fails with "reading 'client'".
  return bg.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    (line: unknown) => log(String(line)),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

// Once per process: the bindings module holds one WebAssembly instance, and instantiating it again
// would pull the memory from under an engine opened earlier.
let bindings: Promise<Bindings> | undefined;

/**
 * The package's own entry imports the .wasm file as an ES module, which Node does not load; the
 * bindings are instantiated by hand instead, from the file next to them.
 */
async function loadBindings(): Promise<Bindings> {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const { instance } = await wasmRuntime().instantiate(await readFile(path.join(dir, 'schema_engine_bg.wasm')), {
    './schema_engine_bg.js': bg,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return bg;
}

// Node's WebAssembly global, which the ES2023 lib (no DOM) does not declare.
type WasmRuntime = {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};
const wasmRuntime = () => (globalThis as unknown as { WebAssembly: WasmRuntime }).WebAssembly;

/** prisma/migrations as the engine reads it: one directory per migration, sorted by name. */
export async function readMigrationsList(baseDir: string): Promise<MigrationList> {
  const lockContent = await readFile(path.join(baseDir, 'migration_lock.toml'), 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const directories = entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name));
  const migrationDirectories: MigrationList['migrationDirectories'] = [];
  for (const entry of directories) {
    const content = await readFile(path.join(baseDir, entry.name, 'migration.sql'), 'utf8').then(
      (value) => ({ tag: 'ok' as const, value }),
      (error: unknown) => ({ tag: 'error' as const, value: String(error) }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: 'migration.sql', content } });
  }
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}
