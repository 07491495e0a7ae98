/**
 * docs/operations.md lists every installed package that declares a Node.js newer than the oldest
 * one `engines` accepts (what `npm install` on Node 20 warns about with EBADENGINE), and why it
 * stays. These tests keep that table whole, current and true: a dependency update that brings a
 * new such package, or drops one, fails here until the table says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { operationsTableRows } from './support/operations-doc.js';

const ROOT = join(import.meta.dirname, '..');

type LockEntry = {
  version?: string;
  dev?: boolean;
  /** Needed only by devDependencies and optional peers (the Prisma CLI): `--omit=dev --omit=optional` leaves it out. */
  devOptional?: boolean;
  optional?: boolean;
  engines?: { node?: string } | string[];
};
type Manifest = { engines: { node: string }; overrides?: Record<string, unknown> };

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

/** The oldest Node.js `engines` accepts: CI runs the 20 line. */
const OLDEST_NODE = semver.minVersion(manifest.engines.node)?.version ?? '';

/** `production`: what `npm install --omit=dev --omit=optional` (the Dockerfile's install) keeps. */
type Installed = { name: string; version: string; production: boolean; node: string };

/** Every package `npm install` puts in node_modules, from the lockfile (optional ones for other platforms left out). */
function installedPackages(): Installed[] {
  return Object.entries(lock.packages).flatMap(([path, entry]) => {
    if (!path.startsWith('node_modules/') || entry.version === undefined) {
      return [];
    }
    if (entry.optional === true && !existsSync(join(ROOT, path, 'package.json'))) {
      return [];
    }
    const engines = Array.isArray(entry.engines) ? undefined : entry.engines;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const production = entry.dev !== true && entry.devOptional !== true && entry.optional !== true;
    return [{ name, version: entry.version, production, node: engines?.node ?? '*' }];
  });
}

type Row = { packages: { name: string; version: string }[]; status: string };

/** The table under "Node.js versions and what is installed": the packages of each row and its status. */
function documentedRows(): Row[] {
  return operationsTableRows('Node.js versions and what is installed').map((cells) => {
    const packages = [...(cells[1] ?? '').matchAll(/`([^`]+)` \(([^)]+)\)/g)].map(([, name = '', version = '']) => ({
      name,
      version,
    }));
    return { packages, status: cells[4] ?? '' };
  });
}

const tooNew = installedPackages().filter(({ node }) => !semver.satisfies(OLDEST_NODE, node));
const rows = documentedRows();
const documented = rows.flatMap((row) => row.packages.map((pkg) => ({ ...pkg, status: row.status })));

describe('packages that declare a newer Node.js than CI runs (docs/operations.md)', () => {
  it('finds the table and reads the oldest Node.js engines accepts', () => {
    expect(OLDEST_NODE).toMatch(/^20\./);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.packages.length > 0 && row.status !== '')).toBe(true);
  });

  it('lists every installed package that declares a newer Node.js, at the installed version', () => {
    const missing = tooNew
      .filter(({ name, version }) => !documented.some((row) => row.name === name && row.version === version))
      .map(({ name, version, node }) => `${name}@${version} (node ${node})`);
    expect(missing).toEqual([]);
  });

  it('lists no package that is gone or no longer asks for more, unless an override replaced it', () => {
    const stale = documented
      .filter(({ name, version }) => !tooNew.some((pkg) => pkg.name === name && pkg.version === version))
      .filter(({ name, status }) => !(status.startsWith('replaced') && manifest.overrides?.[name] !== undefined))
      .map(({ name, version }) => `${name}@${version}`);
    expect(stale).toEqual([]);
  });

  it('calls a package test-, build- or dev-only only when production installs leave it out', () => {
    const notDevOnly = documented
      .filter(({ status }) => /^(test-only|build-only|dev-only)/.test(status))
      .filter(({ name, version }) =>
        tooNew.some((pkg) => pkg.name === name && pkg.version === version && pkg.production),
      )
      .map(({ name, version, status }) => `${name}@${version}: ${status.split(':')[0]}`);
    expect(notDevOnly).toEqual([]);
  });
});
