import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm start` builds only when the sources changed (scripts/build-if-stale.mjs). Run on a
// throw-away project whose "tsc" only counts the builds it was asked for.
const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'build-if-stale.mjs');

describe('scripts/build-if-stale.mjs', () => {
  let root: string;
  const builds = () => readFileSync(join(root, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;
  const start = (...flags: string[]) => execFileSync(process.execPath, [SCRIPT, ...flags, root], { encoding: 'utf8' });
  const touch = (file: string) => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, file), later, later);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-if-stale-'));
    mkdirSync(join(root, 'src', 'planner', 'testing'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    mkdirSync(join(root, 'node_modules', 'typescript', 'bin'), { recursive: true });
    // Writes the two modules the bundle starts from (scripts/bundle.mjs), as tsc would.
    writeFileSync(
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      `const fs = require('fs');
       fs.appendFileSync(${JSON.stringify(join(root, 'builds.log'))}, 'build\\n');
       if (fs.existsSync(${JSON.stringify(join(root, 'fail'))})) process.exit(2);
       fs.mkdirSync('dist/src/database', { recursive: true });
       fs.mkdirSync('dist/src/diagrams', { recursive: true });
       fs.writeFileSync('dist/src/main.js', 'console.log("main");\\n');
       fs.writeFileSync('dist/src/database/pglite-host.js', 'console.log("database thread");\\n');
       fs.writeFileSync('dist/src/diagrams/layout-worker.js', 'console.log("layout thread");\\n');`,
    );
    writeFileSync(join(root, 'node_modules', 'typescript', 'package.json'), '{"type":"commonjs"}');
    writeFileSync(join(root, 'builds.log'), '');
    writeFileSync(join(root, 'tsconfig.json'), '{}');
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    writeFileSync(join(root, 'src', 'main.ts'), 'export {};\n');
    writeFileSync(join(root, 'src', 'planner', 'plan.ts'), 'export {};\n');
    writeFileSync(join(root, 'src', 'planner', 'plan.spec.ts'), 'export {};\n');
    writeFileSync(join(root, 'src', 'planner', 'testing', 'helpers.ts'), 'export {};\n');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds the first time, then not again while nothing changed', () => {
    expect(start()).toContain('building dist/');
    expect(start()).toContain('no build needed');
    expect(builds()).toBe(1);
  });

  it('builds again when a source is edited, added or removed, or the lockfile changes', () => {
    start();
    writeFileSync(join(root, 'src', 'main.ts'), 'export const changed = 1;\n');
    start();
    writeFileSync(join(root, 'src', 'planner', 'new.ts'), 'export {};\n');
    start();
    unlinkSync(join(root, 'src', 'planner', 'new.ts'));
    start();
    writeFileSync(join(root, 'package-lock.json'), '{}');
    start();
    touch('src/planner/plan.ts');
    start();
    expect(builds()).toBe(6);
  });

  it('does not build for a test file, which the build leaves out', () => {
    start();
    writeFileSync(join(root, 'src', 'planner', 'plan.spec.ts'), 'export const more = 1;\n');
    touch('src/planner/testing/helpers.ts');
    expect(start()).toContain('no build needed');
    expect(builds()).toBe(1);
  });

  it('records nothing after a failed build, so the next start tries again', () => {
    writeFileSync(join(root, 'fail'), '');
    expect(() => start()).toThrow();
    unlinkSync(join(root, 'fail'));
    start();
    expect(builds()).toBe(2);
    expect(start()).toContain('no build needed');
  });

  it('bundles what tsc compiled into dist/bundle, the files npm start runs', () => {
    start();
    expect(execFileSync(process.execPath, [join(root, 'dist', 'bundle', 'main.js')], { encoding: 'utf8' })).toBe(
      'main\n',
    );
    expect(readFileSync(join(root, 'dist', 'bundle', 'pglite-host.js'), 'utf8')).toContain('database thread');
    expect(readFileSync(join(root, 'dist', 'bundle', 'layout-worker.js'), 'utf8')).toContain('layout thread');
  });

  it('builds again when the bundler settings change', () => {
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'scripts', 'bundle.mjs'), '// settings\n');
    start();
    touch('scripts/bundle.mjs');
    expect(start()).toContain('building dist/');
    expect(builds()).toBe(2);
  });

  it('builds whatever the fingerprint says with --always (npm run build)', () => {
    start();
    expect(start('--always')).toContain('building dist/');
    expect(builds()).toBe(2);
    expect(start()).toContain('no build needed');
  });
});
