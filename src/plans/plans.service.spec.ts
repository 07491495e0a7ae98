import { at } from '../common/at.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DomainError, type DomainErrorCode } from '../common/domain-error.js';
import { DEADLINE_MESSAGE, RequestDeadline } from '../common/request-deadline.js';
import type { PlanMetrics } from '../observability/metrics.js';
import { decodeCursor } from './list-cursor.js';
import { ALL_PLANS } from './plan-access.js';
import type { PlanDraft } from './plan-draft.js';
import { PlansService } from './plans.service.js';
import { InMemoryPlansRepository } from './testing/in-memory-plans.repository.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/topologies');
const fixture = (name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>),
  ...overrides,
});

const UNKNOWN_ID = '11111111-2222-4333-8444-555555555555';

async function failure(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) {
    throw new Error(`expected a DomainError, got ${String(error)}`);
  }
  return error;
}

async function expectCode(work: Promise<unknown>, code: DomainErrorCode): Promise<DomainError> {
  const error = await failure(work);
  expect(error.code).toBe(code);
  return error;
}

describe(PlansService.name, () => {
  let repository: InMemoryPlansRepository;
  let sut: PlansService;

  beforeEach(() => {
    repository = new InMemoryPlansRepository();
    sut = new PlansService(repository);
  });

  describe('create', () => {
    it('plans the topology and stores it as revision 1, defaults filled in', async () => {
      const stored = await sut.create(fixture('shop-aws'), ALL_PLANS);

      expect(stored).toMatchObject({ name: 'shop', revision: 1, engineVersion: expect.any(String) });
      expect(stored.topology.components.find((c) => c.name === 'db')?.exposure).toBe('internal');
      expect(stored.recommendations.map((r) => r.component)).toEqual(['web', 'api', 'db', 'cache', 'mailer']);
      expect(await sut.get(stored.id, ALL_PLANS)).toEqual(stored);
    });

    it('lets the plan objects go while the write waits: the write holds their text only', async () => {
      // A full collection on demand (node's --expose-gc, turned on from here).
      setFlagsFromString('--expose-gc');
      const collectGarbage = runInNewContext('gc') as () => void;
      let planned: WeakRef<object> | undefined;
      const metrics: PlanMetrics = {
        timePlanner: (planning) => {
          const outcome = planning();
          planned = new WeakRef((outcome as unknown as { plan: object }).plan);
          return outcome;
        },
        planCreated: () => undefined,
      };
      let finishWrite = () => {};
      const written = new Promise<void>((resolve) => (finishWrite = resolve));
      class SlowRepository extends InMemoryPlansRepository {
        override async insert(draft: PlanDraft, team: string | null) {
          await written;
          return super.insert(draft, team);
        }
      }

      const creating = new PlansService(new SlowRepository(), metrics).create(fixture('shop-aws'), ALL_PLANS);
      // A later job: a WeakRef keeps its target alive only until the job that made it ends.
      await new Promise((resolve) => setImmediate(resolve));
      collectGarbage();

      expect(planned).toBeDefined();
      expect(planned?.deref()).toBeUndefined();
      finishWrite();
      expect((await creating).recommendations.map((r) => r.component)).toEqual(['web', 'api', 'db', 'cache', 'mailer']);
    });

    it('rejects a bad topology with every problem and stores nothing', async () => {
      const input = fixture('shop-aws', { name: 'Not A Label', environment: { platform: 'mars' } });

      const error = await expectCode(sut.create(input, ALL_PLANS), 'VALIDATION_FAILED');

      expect(error.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['name', 'environment.platform']));
      expect(repository.calls.insert).toBeUndefined();
    });
  });

  describe('preview', () => {
    it('returns the plan with its name and stores nothing', async () => {
      const preview = await sut.preview(fixture('demo-minikube'));

      expect(preview.name).toBe(preview.topology.name);
      expect(preview.manifests.length).toBeGreaterThan(0);
      expect((await sut.list({}, ALL_PLANS)).totalCount).toBe(0);
    });
  });

  describe('get', () => {
    it('rejects an id that is not a UUID before asking the repository', async () => {
      await expectCode(sut.get('42', ALL_PLANS), 'INVALID_ID');
      expect(repository.calls.latest).toBeUndefined();
    });

    it('answers NOT_FOUND for an unknown plan', async () => {
      await expectCode(sut.get(UNKNOWN_ID, ALL_PLANS), 'NOT_FOUND');
    });
  });

  describe('getByIdOrName', () => {
    it('finds by id when given a UUID', async () => {
      const stored = await sut.create(fixture('shop-aws'), ALL_PLANS);
      expect((await sut.getByIdOrName(stored.id, ALL_PLANS)).id).toBe(stored.id);
    });

    it('finds the most recently created plan with that name otherwise', async () => {
      await sut.create(fixture('shop-aws'), ALL_PLANS);
      const newer = await sut.create(fixture('shop-aws'), ALL_PLANS);
      await sut.create(fixture('shop-aws', { name: 'other' }), ALL_PLANS);

      expect((await sut.getByIdOrName('shop', ALL_PLANS)).id).toBe(newer.id);
    });

    it('answers NOT_FOUND for an unknown name', async () => {
      await expectCode(sut.getByIdOrName('nothing-called-this', ALL_PLANS), 'NOT_FOUND');
    });

    it.each([
      ['NUL', 'a\u0000b', 'U+0000'],
      ['a lone surrogate', 'a\ud800b', 'U+D800'],
      ['a line break', 'a\nb', 'U+000A'],
    ])('refuses a name with %s before it reaches the store, which could not take it', async (_what, ref, named) => {
      const error = await expectCode(sut.getByIdOrName(ref, ALL_PLANS), 'VALIDATION_FAILED');
      expect(error.problems).toEqual([{ path: 'name', message: expect.stringContaining(named) }]);
      expect(repository.calls.latestByName).toBeUndefined();
    });
  });

  describe('list', () => {
    it('pages newest first with a cursor, without duplicates or gaps', async () => {
      const created = [];
      for (let i = 0; i < 5; i++) {
        created.push(await sut.create(fixture('shop-aws', { name: `shop-${i}` }), ALL_PLANS));
      }

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await sut.list({ limit: 2, ...(cursor === undefined ? {} : { cursor }) }, ALL_PLANS);
        expect(page.totalCount).toBe(5);
        seen.push(...page.items.map((s) => s.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);

      expect(pages).toBe(3);
      expect(seen).toEqual(created.map((p) => p.id).reverse());
    });

    it('uses 20 items when no limit is given and says when no page follows', async () => {
      await sut.create(fixture('shop-aws'), ALL_PLANS);
      const page = await sut.list({}, ALL_PLANS);
      expect(page.items).toHaveLength(1);
      expect(page.nextCursor).toBeNull();
      expect(page.items[0]).toMatchObject({ name: 'shop', platform: 'aws', revision: 1, componentCount: 5 });
    });

    it('applies the filters', async () => {
      await sut.create(fixture('shop-aws', { name: 'alpha-shop' }), ALL_PLANS);
      await sut.create(fixture('demo-minikube', { name: 'beta-demo' }), ALL_PLANS);

      expect((await sut.list({ platform: 'minikube' }, ALL_PLANS)).items.map((s) => s.name)).toEqual(['beta-demo']);
      expect((await sut.list({ name: 'ALPHA' }, ALL_PLANS)).items.map((s) => s.name)).toEqual(['alpha-shop']);
    });

    it.each([
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ limit: 2.5 }, 'limit'],
      [{ platform: 'mars' }, 'platform'],
      [{ minSeverity: 'apocalyptic' }, 'minSeverity'],
      [{ createdAfter: 'yesterday' }, 'createdAfter'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
    ])('rejects %j, naming %s', async (query, path) => {
      const error = await expectCode(sut.list(query as never, ALL_PLANS), 'VALIDATION_FAILED');
      expect(error.problems.map((p) => p.path)).toContain(path);
    });

    it("tells REST clients to pass back the page's nextCursor, the field REST answers", async () => {
      const error = await expectCode(sut.list({ cursor: 'not-a-cursor' }, ALL_PLANS), 'VALIDATION_FAILED');
      expect(error.problems).toEqual([
        { path: 'cursor', message: 'is not a cursor this API returned (pass nextCursor from a previous page as is)' },
      ]);
    });

    it.each([
      [{ name: 'a\u0000b' }, 'name', 'U+0000'],
      [{ cursor: '\u0000' }, 'cursor', 'U+0000'],
      [{ platform: 'aws\u001b' }, 'platform', 'U+001B'],
      [{ createdAfter: '2026-01-01\ud800' }, 'createdAfter', 'U+D800'],
      [{ 'na\u0000me': 'x' }, 'na\u0000me', 'the field name contains U+0000'],
    ])('refuses %j before the store sees it, once, at %s', async (query, path, named) => {
      const error = await expectCode(sut.list(query as never, ALL_PLANS), 'VALIDATION_FAILED');
      expect(error.problems).toEqual([{ path, message: expect.stringContaining(named) }]);
      await expectCode(sut.stats(query as never, ALL_PLANS), 'VALIDATION_FAILED');
      expect(repository.calls.slice).toBeUndefined();
      expect(repository.calls.stats).toBeUndefined();
    });

    it('lists every bad value at once', async () => {
      const error = await expectCode(sut.list({ limit: 0, platform: 'mars' } as never, ALL_PLANS), 'VALIDATION_FAILED');
      expect(error.problems.map((p) => p.path).sort()).toEqual(['limit', 'platform']);
    });

    it('asks the repository once, for one item more than the page', async () => {
      await sut.list({ limit: 7 }, ALL_PLANS);
      expect(repository.calls.slice).toBe(1);
    });

    it('returns a cursor that names the last item of the page', async () => {
      await sut.create(fixture('shop-aws', { name: 'a' }), ALL_PLANS);
      await sut.create(fixture('shop-aws', { name: 'b' }), ALL_PLANS);
      const page = await sut.list({ limit: 1 }, ALL_PLANS);
      expect(decodeCursor(page.nextCursor ?? '')).toEqual({
        id: at(page.items, 0).id,
        createdAt: new Date(at(page.items, 0).createdAt),
      });
    });
  });

  describe('findByIds', () => {
    it('returns the plans in the order asked, once each, skipping unknown and malformed ids, in one query', async () => {
      const a = await sut.create(fixture('shop-aws', { name: 'a' }), ALL_PLANS);
      const b = await sut.create(fixture('shop-aws', { name: 'b' }), ALL_PLANS);

      const found = await sut.findByIds([b.id, 'nope', UNKNOWN_ID, a.id, b.id], ALL_PLANS);

      expect(found.map((p) => p.name)).toEqual(['b', 'a']);
      expect(repository.calls.latestOfMany).toBe(1);
    });

    it('does not query for nothing', async () => {
      expect(await sut.findByIds(['nope'], ALL_PLANS)).toEqual([]);
      expect(repository.calls.latestOfMany).toBeUndefined();
    });
  });

  describe('revise', () => {
    it('stores the changed topology as the next revision and keeps the old ones', async () => {
      const first = await sut.create(fixture('shop-aws'), ALL_PLANS);
      const changed = fixture('shop-aws', { environment: { platform: 'gcp', stage: 'staging' } });

      const second = await sut.revise(first.id, changed, ALL_PLANS);

      expect(second).toMatchObject({ id: first.id, revision: 2 });
      expect(second.topology.environment.platform).toBe('gcp');
      expect((await sut.revisions(first.id, ALL_PLANS)).map((r) => r.revision)).toEqual([2, 1]);
      expect((await sut.get(first.id, ALL_PLANS)).revision).toBe(2);
    });

    it('rejects a bad topology without a new revision', async () => {
      const first = await sut.create(fixture('shop-aws'), ALL_PLANS);
      await expectCode(sut.revise(first.id, { name: 'shop' }, ALL_PLANS), 'VALIDATION_FAILED');
      expect((await sut.get(first.id, ALL_PLANS)).revision).toBe(1);
    });

    it('answers INVALID_ID and NOT_FOUND like get', async () => {
      await expectCode(sut.revise('x', fixture('shop-aws'), ALL_PLANS), 'INVALID_ID');
      await expectCode(sut.revise(UNKNOWN_ID, fixture('shop-aws'), ALL_PLANS), 'NOT_FOUND');
    });
  });

  describe('revisions', () => {
    it('answers NOT_FOUND for an unknown plan rather than an empty list', async () => {
      await expectCode(sut.revisions(UNKNOWN_ID, ALL_PLANS), 'NOT_FOUND');
    });
  });

  describe('diff', () => {
    const threeRevisions = async () => {
      const first = await sut.create(fixture('shop-aws'), ALL_PLANS);
      await sut.revise(
        first.id,
        fixture('shop-aws', { environment: { platform: 'gcp', stage: 'staging' } }),
        ALL_PLANS,
      );
      await sut.revise(
        first.id,
        fixture('shop-aws', { environment: { platform: 'azure', stage: 'staging' } }),
        ALL_PLANS,
      );
      return first.id;
    };

    it('defaults to the revision before `to`, and `to` to the latest', async () => {
      const id = await threeRevisions();
      expect(await sut.diff(id, {}, ALL_PLANS)).toMatchObject({ fromRevision: 2, toRevision: 3 });
      expect(await sut.diff(id, { to: '2' }, ALL_PLANS)).toMatchObject({ fromRevision: 1, toRevision: 2 });
      expect(await sut.diff(id, { from: 1 }, ALL_PLANS)).toMatchObject({ fromRevision: 1, toRevision: 3 });
      expect(await sut.diff(id, { to: 1 }, ALL_PLANS)).toMatchObject({ fromRevision: 1, toRevision: 1 });
    });

    it('lists every bad revision number, as strings (REST) or numbers (GraphQL)', async () => {
      const id = await threeRevisions();
      const error = await expectCode(sut.diff(id, { from: 1.5, to: '-1' }, ALL_PLANS), 'VALIDATION_FAILED');
      expect(error.problems.map((p) => p.path)).toEqual(['from', 'to']);
      await expectCode(sut.diff(id, { from: ['1', '2'] }, ALL_PLANS), 'VALIDATION_FAILED');
    });

    it('answers NOT_FOUND for a revision the plan does not have, INVALID_ID for a bad id', async () => {
      const id = await threeRevisions();
      await expectCode(sut.diff(id, { from: 4 }, ALL_PLANS), 'NOT_FOUND');
      await expectCode(sut.diff(UNKNOWN_ID, {}, ALL_PLANS), 'NOT_FOUND');
      await expectCode(sut.diff('x', {}, ALL_PLANS), 'INVALID_ID');
    });
  });

  describe('delete', () => {
    it('removes the plan; a second delete is NOT_FOUND', async () => {
      const stored = await sut.create(fixture('shop-aws'), ALL_PLANS);

      await sut.delete(stored.id, ALL_PLANS);

      await expectCode(sut.get(stored.id, ALL_PLANS), 'NOT_FOUND');
      await expectCode(sut.delete(stored.id, ALL_PLANS), 'NOT_FOUND');
    });

    it('rejects a malformed id', async () => {
      await expectCode(sut.delete('../etc', ALL_PLANS), 'INVALID_ID');
    });
  });

  describe('stats', () => {
    it('aggregates the latest revisions of the filtered plans', async () => {
      await sut.create(fixture('shop-aws'), ALL_PLANS);
      await sut.create(fixture('demo-minikube'), ALL_PLANS);

      const all = await sut.stats({}, ALL_PLANS);
      const aws = await sut.stats({ platform: 'aws' }, ALL_PLANS);

      expect(all.totalPlans).toBe(2);
      expect(aws.totalPlans).toBe(1);
      expect(aws.byPlatform).toEqual([{ key: 'aws', count: 1 }]);
      expect(all.bySeverity.map((s) => s.key)).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    });

    it('rejects a bad filter', async () => {
      await expectCode(sut.stats({ platform: 'mars' } as never, ALL_PLANS), 'VALIDATION_FAILED');
    });

    it('answers buckets over the range widened to whole buckets, and narrows the totals to it', async () => {
      // The fake's clock puts these at 2026-01-01T00:00:01Z and 00:00:02Z.
      await sut.create(fixture('shop-aws'), ALL_PLANS);
      await sut.create(fixture('demo-minikube'), ALL_PLANS);

      const hour = await sut.stats(
        { bucket: 'hour', from: new Date('2026-01-01T00:30:00Z'), to: new Date('2026-01-01T00:45:00Z') },
        ALL_PLANS,
      );
      expect(hour.totalPlans).toBe(2);
      expect(hour.buckets?.map((b) => [b.start, b.end, b.plans])).toEqual([
        ['2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z', 2],
      ]);
      const later = await sut.stats(
        { bucket: 'day', from: new Date('2026-01-02T00:00:00Z'), to: new Date('2026-01-04T00:00:00Z') },
        ALL_PLANS,
      );
      expect(later.totalPlans).toBe(0);
      expect(later.buckets?.map((b) => b.plans)).toEqual([0, 0]);
      expect((await sut.stats({}, ALL_PLANS)).buckets).toBeNull();
    });

    it('lists every problem of a bucket query at once', async () => {
      const refusal = sut.stats(
        { bucket: 'week', to: new Date('2026-01-01T00:00:00Z'), stage: 'qa' } as never,
        ALL_PLANS,
      );
      await expect(refusal).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        problems: expect.arrayContaining([
          { path: 'from', message: 'is required with bucket' },
          { path: 'stage', message: 'must be one of production, staging, development' },
        ]),
      });
      // A malformed date is reported once, as malformed, not also as missing.
      const malformed = sut.stats({ bucket: 'day', from: 'yesterday', to: '2026-01-02' } as never, ALL_PLANS);
      await expect(malformed).rejects.toMatchObject({
        problems: [{ path: 'from', message: expect.stringMatching(/ISO 8601/) }],
      });
    });
  });

  describe('team scoping', () => {
    const payments = { team: 'payments', all: false };
    const search = { team: 'search', all: false };
    const noTeam = { team: null, all: false };
    const admin = { team: null, all: true };

    it("owns a plan by its creator's team, and hides it from every other team as not found", async () => {
      const mine = await sut.create(fixture('shop-aws'), payments);
      expect(repository.teamOf(mine.id)).toBe('payments');

      expect((await sut.get(mine.id, payments)).id).toBe(mine.id);
      for (const other of [search, noTeam]) {
        await expectCode(sut.get(mine.id, other), 'NOT_FOUND');
        await expectCode(sut.getByIdOrName('shop', other), 'NOT_FOUND');
        await expectCode(sut.revisions(mine.id, other), 'NOT_FOUND');
        await expectCode(sut.revise(mine.id, fixture('shop-aws'), other), 'NOT_FOUND');
        await expectCode(sut.delete(mine.id, other), 'NOT_FOUND');
        expect(await sut.findByIds([mine.id], other)).toEqual([]);
      }
      // Still there, untouched by the refused revise and delete.
      expect((await sut.get(mine.id, payments)).revision).toBe(1);
    });

    it('lists and aggregates only the caller’s plans; admin sees them all', async () => {
      await sut.create(fixture('shop-aws', { name: 'pay' }), payments);
      await sut.create(fixture('demo-minikube', { name: 'find' }), search);
      await sut.create(fixture('shop-aws', { name: 'loose' }), noTeam);

      const names = async (access: typeof payments | typeof noTeam) =>
        (await sut.list({}, access)).items.map((s) => s.name).sort();
      expect(await names(payments)).toEqual(['pay']);
      expect(await names(search)).toEqual(['find']);
      expect(await names(noTeam)).toEqual(['loose']);
      expect(await names(admin)).toEqual(['find', 'loose', 'pay']);
      expect((await sut.stats({}, payments)).totalPlans).toBe(1);
      expect((await sut.stats({}, admin)).totalPlans).toBe(3);
    });

    it('lets admin change any team’s plan, and an admin key with a team creates plans for that team', async () => {
      const theirs = await sut.create(fixture('shop-aws'), search);
      expect((await sut.revise(theirs.id, fixture('shop-aws'), admin)).revision).toBe(2);
      const made = await sut.create(fixture('shop-aws'), { team: 'payments', all: true });
      expect(repository.teamOf(made.id)).toBe('payments');
      await sut.delete(theirs.id, admin);
      await expectCode(sut.get(theirs.id, search), 'NOT_FOUND');
    });
  });

  describe('the request deadline', () => {
    // The planner's runs, and a clock that planning moves on by a minute (a plan that takes long).
    let now = Date.now();
    let plannerRuns = 0;
    const slowPlanner: PlanMetrics = {
      timePlanner: (planning) => {
        plannerRuns += 1;
        const result = planning();
        now += 60_000;
        return result;
      },
      planCreated: () => undefined,
    };
    const passed = () => {
      const deadline = new RequestDeadline(now + 10_000);
      deadline.expire();
      return deadline;
    };

    beforeEach(() => {
      now = Date.now();
      plannerRuns = 0;
      vi.spyOn(Date, 'now').mockImplementation(() => now);
      sut = new PlansService(repository, slowPlanner);
    });

    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('starts nothing once it has passed: no planning, no write', async () => {
      const stored = await sut.create(fixture('shop-aws'), ALL_PLANS);
      const writes = { ...repository.calls };
      for (const work of [
        sut.create(fixture('shop-aws'), ALL_PLANS, passed()),
        sut.createOnce(fixture('shop-aws'), ALL_PLANS, { scope: 'key:a', key: 'k' }, passed()),
        sut.preview(fixture('shop-aws'), passed()),
        sut.revise(stored.id, fixture('shop-aws'), ALL_PLANS, passed()),
        sut.delete(stored.id, ALL_PLANS, passed()),
      ]) {
        const error = await expectCode(work, 'UNAVAILABLE');
        expect(error.message).toBe(DEADLINE_MESSAGE);
      }
      expect(plannerRuns).toBe(1);
      expect(repository.calls).toEqual(writes);
      expect(await sut.get(stored.id, ALL_PLANS)).toEqual(stored);
    });

    it('stores nothing when it passes while the planner runs (its timer cannot fire then: the clock is read)', async () => {
      for (const work of [
        (deadline: RequestDeadline) => sut.create(fixture('shop-aws'), ALL_PLANS, deadline),
        (deadline: RequestDeadline) =>
          sut.createOnce(fixture('shop-aws'), ALL_PLANS, { scope: 's', key: 'k' }, deadline),
      ]) {
        await expectCode(work(new RequestDeadline(now + 10_000)), 'UNAVAILABLE');
      }
      const stored = await sut.create(fixture('shop-aws'), ALL_PLANS);
      await expectCode(
        sut.revise(stored.id, fixture('shop-aws'), ALL_PLANS, new RequestDeadline(now + 10_000)),
        'UNAVAILABLE',
      );
      expect(plannerRuns).toBe(4);
      expect(repository.calls.insertClaimed).toBeUndefined();
      expect(repository.calls.appendRevision).toBeUndefined();
      expect((await sut.list({}, ALL_PLANS)).items.map((p) => p.id)).toEqual([stored.id]);
    });

    it('does not plan when it passes while the Idempotency-Key is looked up', async () => {
      const deadline = new RequestDeadline(now + 10_000);
      const lookup = repository.findClaim.bind(repository);
      vi.spyOn(repository, 'findClaim').mockImplementation((scope, key) => {
        now += 60_000;
        return lookup(scope, key);
      });
      await expectCode(
        sut.createOnce(fixture('shop-aws'), ALL_PLANS, { scope: 's', key: 'k' }, deadline),
        'UNAVAILABLE',
      );
      expect(plannerRuns).toBe(0);
      expect(repository.calls.insertClaimed).toBeUndefined();
    });

    it('lets the work through while there is time', async () => {
      const deadline = new RequestDeadline(now + 120_000);
      const stored = await sut.create(fixture('shop-aws'), ALL_PLANS, deadline);
      expect(stored.revision).toBe(1);
    });
  });

  describe('createOnce (Idempotency-Key)', () => {
    const PAYMENTS = { team: 'payments', all: false };
    const portal = { scope: 'key:portal', key: 'order-42' };

    it('stores the first request, then answers the same key and body with that plan, storing nothing', async () => {
      const first = await sut.createOnce(fixture('shop-aws'), PAYMENTS, portal);
      expect(first.replayed).toBe(false);
      // Fields in another order: the same body.
      const reordered = Object.fromEntries(Object.entries(fixture('shop-aws')).reverse());
      const again = await sut.createOnce(reordered, PAYMENTS, portal);

      expect(again).toEqual({ plan: first.plan, replayed: true });
      expect(repository.calls.insert).toBe(1);
      expect((await sut.list({}, ALL_PLANS)).totalCount).toBe(1);
    });

    it('replays revision 1 as it was created, even after the plan was revised', async () => {
      const first = await sut.createOnce(fixture('shop-aws'), PAYMENTS, portal);
      await sut.revise(first.plan.id, fixture('shop-aws', { namespace: 'other' }), PAYMENTS);

      const again = await sut.createOnce(fixture('shop-aws'), PAYMENTS, portal);

      expect(again.plan).toEqual(first.plan);
      expect(again.plan.revision).toBe(1);
    });

    it('refuses the same key with another body (CONFLICT), storing nothing and planning nothing', async () => {
      await sut.createOnce(fixture('shop-aws'), PAYMENTS, portal);
      const error = await expectCode(
        sut.createOnce(fixture('shop-aws', { name: 'another-shop' }), PAYMENTS, portal),
        'CONFLICT',
      );
      expect(error.message).toMatch(/already used with a different request body/);
      expect(repository.calls.insert).toBe(1);
      expect(repository.calls.insertClaimed).toBe(1);
    });

    it('keeps scopes apart: the same key from another caller is another plan', async () => {
      const mine = await sut.createOnce(fixture('shop-aws'), PAYMENTS, portal);
      const theirs = await sut.createOnce(fixture('shop-aws'), PAYMENTS, { ...portal, scope: 'key:bot' });
      expect(theirs.replayed).toBe(false);
      expect(theirs.plan.id).not.toBe(mine.plan.id);
    });

    it('forgets a key after IDEMPOTENCY_TTL_HOURS: the next request stores a new plan, and a purge removes it', async () => {
      sut = new PlansService(repository, undefined, { idempotencyTtlHours: 2 });
      const first = await sut.createOnce(fixture('shop-aws'), PAYMENTS, portal);
      repository.advance(2 * 3_600_000 - 60_000);
      expect((await sut.createOnce(fixture('shop-aws'), PAYMENTS, portal)).plan.id).toBe(first.plan.id);
      repository.advance(120_000);
      expect(await repository.purgeExpiredClaims(10)).toBe(1);

      const later = await sut.createOnce(fixture('shop-aws', { name: 'changed-is-fine-now' }), PAYMENTS, portal);
      expect(later.replayed).toBe(false);
      expect(later.plan.id).not.toBe(first.plan.id);
    });

    it('purges expired keys in the background at most every five minutes, by its clock', async () => {
      let now = 10 * 60_000;
      const purge = vi.spyOn(repository, 'purgeExpiredClaims');
      sut = new PlansService(repository, undefined, undefined, { now: () => now });
      const createWithKey = (key: string) => sut.createOnce(fixture('shop-aws'), PAYMENTS, { ...portal, key });

      await createWithKey('a');
      now += 5 * 60_000 - 1;
      await createWithKey('b');
      expect(purge).toHaveBeenCalledTimes(1);
      now += 1;
      await createWithKey('c');
      expect(purge).toHaveBeenCalledTimes(2);
    });

    it('answers CONFLICT when the plan the key created has been deleted', async () => {
      const first = await sut.createOnce(fixture('shop-aws'), PAYMENTS, portal);
      await sut.delete(first.plan.id, PAYMENTS);
      const error = await expectCode(sut.createOnce(fixture('shop-aws'), PAYMENTS, portal), 'CONFLICT');
      expect(error.message).toMatch(/has been deleted/);
    });

    it('stores one plan for concurrent requests with one key, and answers them all with it', async () => {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => sut.createOnce(fixture('shop-aws'), PAYMENTS, portal)),
      );
      expect(new Set(answers.map((a) => a.plan.id)).size).toBe(1);
      expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
      expect(repository.calls.insert).toBe(1);
    });

    it('refuses a bad topology with a key as without one, and keeps the key free', async () => {
      await expectCode(
        sut.createOnce(fixture('shop-aws', { name: 'Bad Name' }), PAYMENTS, portal),
        'VALIDATION_FAILED',
      );
      expect((await sut.createOnce(fixture('shop-aws'), PAYMENTS, portal)).replayed).toBe(false);
    });

    it('without a key, stores every request as a new plan', async () => {
      const first = await sut.createOnce(fixture('shop-aws'), PAYMENTS, undefined);
      const second = await sut.createOnce(fixture('shop-aws'), PAYMENTS, undefined);
      expect([first.replayed, second.replayed]).toEqual([false, false]);
      expect(second.plan.id).not.toBe(first.plan.id);
      expect((await sut.list({}, PAYMENTS)).totalCount).toBe(2);
    });
  });
});
