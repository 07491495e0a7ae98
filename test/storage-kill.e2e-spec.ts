import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateTopology } from './support/generate-topology.js';
import { useTempDir } from './support/embedded-database.js';
import { killIfRunning, startService, type ServiceProcess } from './support/service-process.js';

/**
 * The service killed outright (kill -9: no shutdown, PGlite not closed) keeps every plan it had
 * answered 201 for, on a data directory that started as a copy of the prebuilt one
 * (src/database/pglite-template.ts) or from initdb, whichever this checkout has.
 */
describe('a PGlite directory after kill -9', () => {
  const dataDir = useTempDir('kill').path;
  let service: ServiceProcess | undefined;

  afterAll(() => killIfRunning(service));

  // info: startService waits for the "Listening on" line.
  const env = { DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'info' };

  it('keeps the plans it stored, and opens again', { timeout: 600_000 }, async () => {
    service = await startService(env);
    const url = `http://127.0.0.1:${service.port}`;
    const ids: string[] = [];
    for (const name of ['kill-one', 'kill-two']) {
      const response = await fetch(`${url}/v1/plans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...generateTopology(6), name }),
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }

    service.child.kill('SIGKILL');
    expect(await service.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // The lock it could not release names a process that no longer runs: the next start takes it over.
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(true);

    service = await startService(env);
    const again = `http://127.0.0.1:${service.port}`;
    for (const [index, id] of ids.entries()) {
      const response = await fetch(`${again}/v1/plans/${id}`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { name: string }).name).toBe(index === 0 ? 'kill-one' : 'kill-two');
    }
    expect((await fetch(`${again}/health/ready`)).status).toBe(200);
  });
});
