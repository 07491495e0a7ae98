import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXIT } from '../src/cli/plan-command.js';
import { runPlanCommandCaptured } from '../src/cli/testing/run-plan-command.js';
import { useTestApp, uniqueName } from './support/app.js';

const ROOT = join(import.meta.dirname, '..');
const COMPOSE = join(ROOT, 'test/fixtures/compose/nextcloud-redis-mariadb.yaml');

describe('exposure-planner plan --server (stores through the API)', () => {
  const t = useTestApp();
  let server: string;

  beforeAll(async () => {
    server = await t.app.getUrl();
  });

  const run = runPlanCommandCaptured;

  it('imports the Compose file here, stores the plan there, and prints it', async () => {
    const name = uniqueName('cli');
    const { code, out, err } = await run([
      COMPOSE,
      '--platform',
      'gcp',
      '--name',
      name,
      '--format',
      'json',
      '--server',
      server,
      '--key',
      t.adminKey as string,
    ]);
    expect(code).toBe(EXIT.ok);
    const stored = JSON.parse(out);
    expect(stored).toMatchObject({ name, revision: 1 });
    expect(err).toContain(`stored as plan ${stored.id}`);
    await t.api().get(`/v1/plans/${stored.id}`).expect(200);
  });

  it("exits 2 with the server's problems for a topology it refuses", async () => {
    const { code, err } = await run([
      join(ROOT, 'test/fixtures/topologies/shop-aws.json'),
      '--name',
      'Not A Name',
      '--server',
      server,
      '--key',
      t.adminKey as string,
    ]);
    expect(code).toBe(EXIT.badInput);
    expect(err).toMatch(/problem\(s\):\n {2}name:/);
  });

  it('exits 3 when the server refuses the key', async () => {
    const { code, err } = await run([COMPOSE, '--platform', 'aws', '--server', server, '--key', 'ep_not-a-key']);
    expect(code).toBe(EXIT.server);
    expect(err).toContain('answered 401');
  });
});

describe('the exposure-planner bin', () => {
  it('runs as a command: plans a Compose file offline and exits with the findings code', async () => {
    const result = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'bin/exposure-planner.mjs'), 'plan', COMPOSE, '--platform', 'kind', '--format', 'json'],
      { cwd: ROOT },
    );
    expect(JSON.parse(result.stdout).topology.environment.platform).toBe('kind');

    const failing = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'bin/exposure-planner.mjs'), 'plan', COMPOSE, '--platform', 'aws', '--fail-on', 'high'],
      { cwd: ROOT },
    ).catch((error: { code: number }) => error);
    expect((failing as { code: number }).code).toBe(EXIT.findings);
  });
});

describe('exposure-planner --help', () => {
  const bin = (...args: string[]) =>
    promisify(execFile)(process.execPath, [join(ROOT, 'bin/exposure-planner.mjs'), ...args], { cwd: ROOT });

  // Through the bin, not only the function: the top level once answered --help but not `plan --help`.
  it('answers on stdout with exit 0, at the top level and for the plan subcommand', async () => {
    for (const args of [['--help'], ['-h'], ['plan', '--help'], ['plan', '-h']]) {
      const { stdout } = await bin(...args);
      expect(stdout, args.join(' ')).toMatch(/^usage: exposure-planner plan <file>/);
    }
  });

  it('still refuses an unknown command with exit 2', async () => {
    const unknown = await bin('frobnicate').catch((error: { code: number; stderr: string }) => error);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command frobnicate') });
  });
});
