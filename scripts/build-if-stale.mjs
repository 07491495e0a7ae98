#!/usr/bin/env node
// `npm start` runs this first: it builds dist/ (tsc, then the bundle that `npm start` runs, made by
// scripts/bundle.mjs) only when the inputs of the build changed since the last build it made. A
// fresh build takes half a minute on a 2-core machine; a second `npm start` with nothing changed
// should not pay it again.
//
//   node scripts/build-if-stale.mjs [--always] [root]
//
// `npm run build` passes --always: it builds whatever the fingerprint says, and records it.
//
// "Changed" is judged by a fingerprint of every input's path, size and modification time (the
// non-test sources under src/, the tsconfig files, package.json, package-lock.json and the bundler's
// settings), kept in dist/.build-fingerprint after a successful build (both steps). A source added,
// removed, edited or touched, or a dependency installed again, changes it; a dist/ deleted by hand
// loses it. Comparing fingerprints rather than "newest source vs. newest output" also catches a
// deleted source, and costs one stat per file (milliseconds for a few hundred files).
//
// After a build, or when it is missing, it also makes the prebuilt PGlite data directory that new
// embedded databases start from (src/database/pglite-template.ts): a first start on a new DATA_DIR
// then copies it instead of running PostgreSQL's initdb.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const always = args.includes('--always');
const rootArgument = args.find((arg) => arg !== '--always');
const root = path.resolve(rootArgument ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const fingerprintFile = path.join(root, 'dist', '.build-fingerprint');
const BUILD_INPUTS = [
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
  'scripts/bundle.mjs',
  'scripts/uninstalled-stay-external.mjs',
  'scripts/graphql-as-es-module.mjs',
];
// What tsconfig.build.json leaves out of the build: editing a test must not trigger one.
const TEST_ONLY = /(\.spec\.ts|\.test\.ts)$|(^|\/)testing\//;

function sourceFiles(directory) {
  if (!existsSync(directory)) {
    return [];
  }
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !TEST_ONLY.test(file))
    .sort();
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const file of [
    ...BUILD_INPUTS.filter((name) => existsSync(path.join(root, name))),
    ...sourceFiles(path.join(root, 'src')),
  ]) {
    const { size, mtimeMs } = statSync(path.join(root, file));
    hash.update(`${file}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

const current = fingerprint();
const previous = existsSync(fingerprintFile) ? readFileSync(fingerprintFile, 'utf8').trim() : '';
if (current === previous && !always) {
  console.log('dist/ is up to date with the sources: no build needed');
} else {
  console.log(always ? 'building dist/' : 'building dist/ (sources changed since the last build)');
  // npm puts node_modules/.bin on PATH for scripts; run directly, fall back to the local binary.
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    process.exit(build.status ?? 1);
  }
  const { bundleDist } = await import('./bundle.mjs');
  await bundleDist(root);
  writeFileSync(fingerprintFile, `${current}\n`);
}

const templateCli = path.join(root, 'dist', 'src', 'database', 'pglite-template.cli.js');
const built = always || current !== previous;
if (existsSync(templateCli) && (built || !existsSync(path.join(root, 'dist', 'pglite-template', 'key')))) {
  const template = spawnSync(process.execPath, [templateCli], { cwd: root, stdio: 'inherit' });
  if (template.status !== 0) {
    // Not a failed build: without the template a new data directory runs initdb, slower but right.
    console.warn('could not make the prebuilt PGlite data directory: new DATA_DIRs will run initdb (slower)');
  }
}
