/**
 * Every installed package that ships an install script has a decision in `package.json`'s
 * `allowScripts` (npm 11.16+ lists the ones without; npm 12 skips them), and docs/operations.md
 * says, under "Install scripts", what each script does and why it is not needed. A dependency
 * update that brings a new install script fails here until it gets both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationsTableRows } from './support/operations-doc.js';

const ROOT = join(import.meta.dirname, '..');

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean }>;
};

/** The packages of the lockfile that ship an install script (this package itself left out). */
function packagesWithInstallScripts(): string[] {
  const names = Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && entry.hasInstallScript === true)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  return [...new Set(names)].sort();
}

/** The packages named in the first column of the table under "## Install scripts". */
function documentedPackages(): string[] {
  return operationsTableRows('Install scripts')
    .map((cells) => /^`([^`]+)`/.exec(cells[1] ?? '')?.[1] ?? '')
    .sort();
}

describe('install scripts of dependencies', () => {
  it('finds the packages that ship one in the lockfile', () => {
    // Guards the reading itself: the lockfile marks esbuild's postinstall, which the build's bundler has.
    expect(packagesWithInstallScripts()).toContain('esbuild');
  });

  it('gives every one of them a decision in allowScripts, and names no other package there', () => {
    expect(Object.keys(manifest.allowScripts ?? {}).sort()).toEqual(packagesWithInstallScripts());
  });

  it('denies them all: nothing here needs one (docs/operations.md, "Install scripts")', () => {
    const allowed = Object.entries(manifest.allowScripts ?? {}).filter(([, allow]) => allow !== false);
    expect(allowed).toEqual([]);
  });

  it('says in docs/operations.md what each one does and why it is not needed', () => {
    expect(documentedPackages()).toEqual(packagesWithInstallScripts());
  });
});
