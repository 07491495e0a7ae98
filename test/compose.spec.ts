import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { startScriptRuntime } from './support/start-script.js';

const ROOT = join(import.meta.dirname, '..');

type ComposeService = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string> | string[];
  ports?: (string | { target: number; published?: number | string })[];
  volumes?: (string | { source?: string; target: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
};
type ComposeFile = { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };

type Instruction = { keyword: string; args: string; stage: number };

/** Dockerfile instructions, continuation lines joined, comments dropped, each tagged with its stage. */
function parseDockerfile(text: string): { instructions: Instruction[]; stages: string[] } {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: string[] = [];
  const instructions = logical.map((line) => {
    const [first, ...rest] = line.split(/\s+/);
    const keyword = first ?? '';
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      stages.push(args);
    }
    return { keyword: keyword.toUpperCase(), args, stage: stages.length - 1 };
  });
  return { instructions, stages };
}

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  return Array.isArray(env) ? Object.fromEntries(env.map((pair) => pair.split(/=(.*)/s).slice(0, 2))) : env;
}

describe('docker-compose.yml and Dockerfile', () => {
  const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as ComposeFile;
  const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const services = Object.entries(compose.services);
  const [dbName, db] = services.find(([, s]) => s.image?.startsWith('postgres')) ?? [];
  const [appName, app] = services.find(([, s]) => s.build !== undefined) ?? [];

  describe('compose', () => {
    it('runs PostgreSQL 16 with a named volume for its data and a healthcheck', () => {
      expect(db?.image).toMatch(/^postgres:16(\b|$)/);
      const dataVolume = db?.volumes
        ?.map((v) => (typeof v === 'string' ? v.split(':') : [v.source, v.target]))
        .find(([, target]) => target === '/var/lib/postgresql/data');
      expect(dataVolume).toBeDefined();
      expect(Object.keys(compose.volumes ?? {})).toContain(dataVolume?.[0]);
      expect(JSON.stringify(db?.healthcheck?.test)).toContain('pg_isready');
    });

    it('builds the app from this directory’s Dockerfile', () => {
      const build = typeof app?.build === 'string' ? { context: app.build } : app?.build;
      const context = join(ROOT, build?.context ?? '.');
      expect(context).toBe(ROOT);
      expect(existsSync(join(context, build?.dockerfile ?? 'Dockerfile'))).toBe(true);
    });

    it('points the app’s DATABASE_URL at the postgres service, with its credentials and database', () => {
      const env = environmentOf(app ?? {});
      const url = new URL(env.DATABASE_URL ?? '');
      const dbEnv = environmentOf(db ?? {});
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname).toBe(dbName);
      expect(url.port || '5432').toBe('5432');
      expect(decodeURIComponent(url.username)).toBe(dbEnv.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(dbEnv.POSTGRES_PASSWORD);
      expect(url.pathname.slice(1)).toBe(dbEnv.POSTGRES_DB);
    });

    it('listens on 0.0.0.0:3000 and publishes port 3000', () => {
      const env = environmentOf(app ?? {});
      expect(env.HOST).toBe('0.0.0.0');
      expect(String(env.PORT ?? '3000')).toBe('3000');
      const published = (app?.ports ?? []).map((p) => (typeof p === 'string' ? p : `${p.published}:${p.target}`));
      expect(published).toContain('3000:3000');
    });

    it('starts the app only once the database is healthy', () => {
      const dependsOn = app?.depends_on;
      expect(dependsOn && !Array.isArray(dependsOn) ? dependsOn[dbName ?? '']?.condition : undefined).toBe(
        'service_healthy',
      );
      expect(appName).toBeDefined();
    });
  });

  describe('Dockerfile', () => {
    const finalStage = dockerfile.stages.length - 1;
    const inFinal = dockerfile.instructions.filter((i) => i.stage === finalStage);

    it('is multi-stage on a supported Node LTS (24; 20 reached its end of life in April 2026)', () => {
      expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
      for (const stage of dockerfile.stages) {
        expect(stage).toMatch(/^node:24-bookworm-slim\b/);
      }
    });

    it('installs exactly the lockfile, builds, and prunes dev dependencies', () => {
      const runs = dockerfile.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
      expect(runs.some((r) => /npm ci\b/.test(r))).toBe(true);
      expect(runs.some((r) => /npm run build\b/.test(r))).toBe(true);
      expect(runs.some((r) => /npm prune --omit=dev\b/.test(r))).toBe(true);
    });

    it('builds on any OS and CPU from the lockfile: every optional dependency it names is in it', () => {
      // `npm ci` installs what the lockfile lists, no more. A lockfile written on one platform by an
      // npm that dropped the others' optional builds (npm/cli#4828) would build an arm64 image
      // without its esbuild or swc binary; this one lists them all.
      const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { optionalDependencies?: Record<string, string>; os?: string[] }>;
      };
      const listed = new Set(Object.keys(lock.packages).map((path) => path.replace(/^.*node_modules\//, '')));
      const missing = Object.entries(lock.packages).flatMap(([path, entry]) =>
        Object.keys(entry.optionalDependencies ?? {})
          .filter((name) => !listed.has(name))
          .map((name) => `${path || 'the root'} -> ${name}`),
      );
      expect(missing).toEqual([]);
      const platformBuilds = Object.values(lock.packages).filter((entry) => entry.os !== undefined);
      expect(platformBuilds.length).toBeGreaterThan(50);
    });

    it('runs as a user that is not root', () => {
      const users = inFinal.filter((i) => i.keyword === 'USER').map((i) => i.args);
      expect(users.length).toBeGreaterThan(0);
      expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    });

    it('migrates the database, then starts the compiled app', () => {
      const cmd = inFinal.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? '';
      const migrate = cmd.indexOf('npm run db:migrate');
      const start = cmd.indexOf('node dist/bundle/main.js');
      expect(migrate).toBeGreaterThanOrEqual(0);
      expect(start).toBeGreaterThan(migrate);
      expect(cmd).toMatch(/&&/);
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      expect(pkg.scripts['db:migrate']).toBeDefined();
      expect(pkg.scripts.build).toBeDefined();
    });

    it('runs node with the flags and variables of `npm start` (the garbage collector settings bench:http measures)', () => {
      const env: Record<string, string> = {};
      for (const instruction of inFinal.filter((i) => i.keyword === 'ENV')) {
        for (const [, name = '', quoted, bare] of instruction.args.matchAll(
          /([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|(\S+))/g,
        )) {
          env[name] = quoted ?? bare ?? '';
        }
      }
      const start = startScriptRuntime();
      expect(start.nodeFlags.length).toBeGreaterThan(0);
      expect((env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)).toEqual(start.nodeFlags);
      for (const [name, value] of Object.entries(start.env)) {
        expect(env[name], name).toBe(value);
      }
    });

    it('copies only paths that exist and that .dockerignore lets through', () => {
      const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
      const sources = dockerfile.instructions
        .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
        .flatMap((i) =>
          i.args
            .split(/\s+/)
            .filter((a) => !a.startsWith('--'))
            .slice(0, -1),
        );
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources) {
        expect(existsSync(join(ROOT, source)), source).toBe(true);
        expect(ignored, source).not.toContain(source.replace(/\/$/, ''));
      }
      for (const needed of ['src', 'prisma', 'scripts', 'package.json']) {
        expect(sources).toContain(needed);
      }
    });
  });
});
