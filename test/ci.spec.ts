import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CI_SCRIPT = join(import.meta.dirname, '..', '.ci', 'run');

/**
 * .ci/run itself, with npm and the PostgreSQL tools replaced by stubs on PATH (CI cannot run
 * inside the test suite): the stub npm records each call, prints the line vitest's summary would,
 * and fails the call named by FAIL_ON.
 */
async function runCi(failOn = ''): Promise<{ code: number; npmCalls: string[] }> {
  const bin = mkdtempSync(join(tmpdir(), 'exposure-planner-ci-'));
  const log = join(bin, 'npm-calls.log');
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('npm', `echo "$*" >> "${log}"\necho "      Tests  1 passed (1)"\n[ "$*" != "$FAIL_ON" ]`);
  for (const tool of ['pg_isready', 'psql', 'pg_ctlcluster']) {
    stub(tool, 'exit 0');
  }
  writeFileSync(log, '');
  try {
    const code = await new Promise<number>((resolve) => {
      execFile(
        'bash',
        [CI_SCRIPT],
        // TMPDIR: the logs the script keeps go where the stubs are, and are removed with them.
        { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TMPDIR: bin, FAIL_ON: failOn }, timeout: 30_000 },
        (error) => resolve(error ? (typeof error.code === 'number' ? error.code : -1) : 0),
      );
    });
    return { code, npmCalls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

describe('.ci/run', () => {
  it('checks types, lint and format after installing and before any test', async () => {
    const { code, npmCalls } = await runCi();

    expect(code).toBe(0);
    expect(npmCalls).toEqual([
      'install --no-audit --no-fund',
      'run check',
      'run lint',
      'run format:check',
      'test',
      'run db:migrate',
      'run test:e2e',
    ]);
  });

  it.each(['run check', 'run lint', 'run format:check'])(
    'fails, running no test, when `npm %s` fails',
    async (step) => {
      const { code, npmCalls } = await runCi(step);

      expect(code).not.toBe(0);
      expect(npmCalls.at(-1)).toBe(step);
      expect(npmCalls).not.toContain('test');
    },
  );
});
