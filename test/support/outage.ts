import { RETRY_AFTER_SECONDS } from '../../src/common/problem-details.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { fixtureTopology, uniqueName, type TestApp } from './app.js';
import { at } from '../../src/common/at.js';

/** What the outage tests on either database share: the answer every request must get, and the checks after. */

export const PROBLEM_JSON = /^application\/problem\+json/;
export const UNAVAILABLE = 'https://exposure-planner.dev/problems/unavailable';

export type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: unknown };

/** What every answer during an outage must be: a success, a client error, or a 503 problem that says when to retry. */
export function expectServedOrUnavailable(answers: Answer[]): void {
  for (const answer of answers) {
    if (answer.status >= 500) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(503);
      expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(answer.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
      expect(answer.body).toMatchObject({ status: 503, type: UNAVAILABLE, requestId: expect.any(String) });
    }
  }
}

/** The readiness probe reopens a closed database; it answers 503 until the reopening is done. */
export const untilReady = (t: TestApp) =>
  vi.waitFor(() => t.api().get('/health/ready').expect(200), { timeout: 30_000, interval: 250 });

export const plansWithoutTheirRevision = async (t: TestApp): Promise<number> => {
  const rows = await t.app.get(PrismaService).$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM "Plan" p
    WHERE NOT EXISTS (SELECT 1 FROM "PlanRevision" r WHERE r."planId" = p.id AND r.revision = p."currentRevision")`;
  const { count } = at(rows, 0);
  return count;
};

/**
 * Plans created concurrently while the database goes away under them: every answer is a 201 or a
 * 503 problem, and once it is back, no plan exists without its revision (each write is one
 * statement, so one transaction: the database keeps all of it or none).
 */
export async function createWhileTheDatabaseGoes(t: TestApp, goAway: () => Promise<void>): Promise<Answer[]> {
  const writes = Array.from({ length: 24 }, (_, i) =>
    t
      .api()
      .post('/v1/plans')
      .send(fixtureTopology(i % 2 ? 'shop-aws' : 'demo-minikube', uniqueName('outage')))
      .then((res): Answer => ({ status: res.status, headers: res.headers, body: res.body })),
  );
  await new Promise((resolve) => setTimeout(resolve, 15));
  await goAway();
  return Promise.all(writes);
}
