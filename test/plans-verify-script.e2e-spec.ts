import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plan } from '../src/planner/plan.js';
import { renderVerificationScript } from '../src/planner/verification-script.js';
import { useTestApp } from './support/app.js';
import { useTempDir } from './support/embedded-database.js';

const FIXTURES_DIR = join(import.meta.dirname, 'fixtures/topologies');
const UNKNOWN_ID = '11111111-2222-4333-8444-555555555555';
/** bash, and dash where the machine has it (Debian's /bin/sh): the shells `curl … | sh` meets. */
const SHELLS = ['/bin/bash', '/usr/bin/bash', '/bin/dash', '/usr/bin/dash', '/bin/sh'].filter(existsSync);

describe('GET /v1/plans/:id/verify.sh', () => {
  const t = useTestApp();
  const workDir = useTempDir('verify-e2e').path;

  it('answers the stored plan as a shell script: its own steps, the shell script type, valid syntax', async () => {
    const stored = await t.createPlan('shop');

    const response = await t.api().get(`/v1/plans/${stored.id}/verify.sh`).expect(200);

    expect(response.headers['content-type']).toBe('text/x-shellscript; charset=utf-8');
    // One source: the script is the stored plan's verification, rendered, not planned again.
    expect(response.text).toBe(renderVerificationScript(stored));
    expect(response.text).toContain(`plan ${stored.id} revision 1`);
    for (const step of stored.verification) {
      expect(response.text).toContain(step.component);
    }
    const path = join(workDir, 'verify.sh');
    writeFileSync(path, response.text);
    for (const shell of SHELLS) {
      expect(spawnSync(shell, ['-n', path], { encoding: 'utf8' }).stderr).toBe('');
    }
  });

  it('answers 404 for an unknown plan, like the other plan routes', async () => {
    await t.api().get(`/v1/plans/${UNKNOWN_ID}/verify.sh`).expect(404);
  });

  describe.each(readdirSync(FIXTURES_DIR).filter((file) => file.endsWith('.json')))('fixture %s', (file) => {
    it.each(SHELLS)('the script parses with %s -n', (shell) => {
      const outcome = plan(JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')));
      if (!outcome.ok) {
        throw new Error(`${file} does not plan`);
      }
      const path = join(workDir, `${file}.sh`);
      writeFileSync(path, renderVerificationScript({ ...outcome.plan, id: file }));
      expect(spawnSync(shell, ['-n', path], { encoding: 'utf8' }).stderr).toBe('');
    });
  });
});
