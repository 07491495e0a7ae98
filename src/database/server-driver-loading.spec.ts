import { join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { build, type Metafile } from 'esbuild';
import { uninstalledStayExternal } from '../../scripts/uninstalled-stay-external.mjs';
import { PG_ADAPTER_INFO } from './database.js';

/*
 * pg (node-postgres) and @prisma/adapter-pg are for a PostgreSQL server. Loading them cost every
 * embedded start ~60 ms of each thread on a 2-core machine (pg's stream module builds a `Response`
 * to detect Cloudflare, which loads Node's fetch implementation), in the main thread through the
 * adapter and in PGlite's thread through the migrations it runs. They are imported when a server is
 * used (database.ts, migrations.ts): this holds that no static import brings them back.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const SERVER_DRIVER = /(^|\/)node_modules\/(pg|@prisma\/adapter-pg)\//;

/** Every input reached from `entry` through static imports and requires (not `import()`). */
function loadedWith(metafile: Metafile, entry: string): string[] {
  const reached = new Set([entry]);
  const pending = [entry];
  for (let input = pending.pop(); input !== undefined; input = pending.pop()) {
    for (const imported of metafile.inputs[input]?.imports ?? []) {
      const loadedAtOnce = imported.kind === 'import-statement' || imported.kind === 'require-call';
      if (loadedAtOnce && !imported.external && !reached.has(imported.path)) {
        reached.add(imported.path);
        pending.push(imported.path);
      }
    }
  }
  return [...reached];
}

describe('what an embedded start loads', () => {
  let metafile: Metafile;
  beforeAll(async () => {
    ({ metafile } = await build({
      absWorkingDir: ROOT,
      entryPoints: ['src/main.ts', 'src/database/pglite-host.ts'],
      outdir: join(ROOT, 'dist', 'never-written'),
      write: false,
      metafile: true,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      tsconfig: join(ROOT, 'tsconfig.json'),
      external: ['@electric-sql/pglite', '@electric-sql/pglite/*'],
      plugins: [uninstalledStayExternal],
      logLevel: 'silent',
    }));
  }, 60_000);

  it.each([
    ['the app (what main.ts loads once PGlite has started)', 'src/app.factory.ts'],
    ["PGlite's thread", 'src/database/pglite-host.ts'],
  ])('%s does not load the server driver', (_, entry) => {
    const loaded = loadedWith(metafile, entry);
    expect(loaded.length).toBeGreaterThan(10); // the walk followed the imports
    expect(loaded.filter((input) => SERVER_DRIVER.test(input))).toEqual([]);
  });

  it('the server driver is still in the build, behind the imports that load it for a server', () => {
    const dynamic = Object.entries(metafile.inputs).flatMap(([input, { imports }]) =>
      imports
        .filter((i) => i.kind === 'dynamic-import' && /^(pg|@prisma\/adapter-pg)$/.test(i.original ?? ''))
        .map((i) => `${input} -> ${i.original}`),
    );
    expect(dynamic.sort()).toEqual([
      'src/database/database.ts -> @prisma/adapter-pg',
      'src/database/migrations.ts -> pg',
    ]);
  });
});

describe('PG_ADAPTER_INFO', () => {
  it('is what @prisma/adapter-pg says it is, which Prisma sees before the adapter is loaded', () => {
    const adapter = new PrismaPg({ connectionString: 'postgresql://planner@127.0.0.1:1/never-connected' });
    expect({ provider: adapter.provider, adapterName: adapter.adapterName }).toEqual(PG_ADAPTER_INFO);
  });
});
