import { randomUUID } from 'node:crypto';
import { PrismaService } from '../src/database/prisma.service.js';
import { PlansRepository } from '../src/plans/plans.repository.js';
import type { PlanSummary } from '../src/plans/plans.types.js';
import { fixtureTopology, useTestApp, uniqueName, type TestKey } from './support/app.js';

// Idempotency-Key on POST /v1/plans and GraphQL createPlan, on the real database (PGlite, or the
// server with DATABASE_URL): keys are per API key, and every test uses keys of its own, so runs
// and files sharing a server never meet.

const PROBLEM = /^application\/problem\+json/;

describe('Idempotency-Key (e2e)', () => {
  const t = useTestApp();
  let writer: TestKey;
  const team = uniqueName('idem');

  beforeAll(async () => {
    writer = await t.createKey(['plans:read', 'plans:write'], team);
  });

  const post = (key: TestKey, body: object, idempotencyKey?: string) => {
    const request = t.apiAs(key.key).post('/v1/plans');
    return (idempotencyKey === undefined ? request : request.set('idempotency-key', idempotencyKey)).send(body);
  };
  const plansNamed = async (name: string, key = writer): Promise<PlanSummary[]> =>
    (await t.apiAs(key.key).get('/v1/plans').query({ name, limit: 100 }).expect(200)).body.items as PlanSummary[];
  const expireKey = async (key: string) => {
    const prisma = t.app.get(PrismaService);
    await prisma.$executeRaw`UPDATE "IdempotencyKey" SET "createdAt" = now() - interval '25 hours',
      "expiresAt" = now() - interval '1 hour' WHERE key = ${key}`;
  };

  describe('POST /v1/plans', () => {
    it('answers a retry with the first plan (201, same id and body, Idempotent-Replayed) and stores one', async () => {
      const name = uniqueName('retry');
      const key = randomUUID();
      const first = await post(writer, fixtureTopology('shop-aws', name), key).expect(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      const again = await post(writer, fixtureTopology('shop-aws', name), key).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.body).toEqual(first.body);

      expect((await plansNamed(name)).map((p) => p.id)).toEqual([first.body.id]);
    });

    it('treats the same fields in another order, or another JSON layout, as the same body', async () => {
      const name = uniqueName('reordered');
      const key = randomUUID();
      const topology = fixtureTopology('shop-aws', name);
      const first = await post(writer, topology, key).expect(201);
      const reordered = Object.fromEntries(Object.entries(topology).reverse());
      const again = await t
        .apiAs(writer.key)
        .post('/v1/plans')
        .set('idempotency-key', key)
        .set('content-type', 'application/json')
        .send(JSON.stringify(reordered, null, 2))
        .expect(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers['idempotent-replayed']).toBe('true');
    });

    it('refuses the same key with another body: 409 problem, nothing stored', async () => {
      const name = uniqueName('mismatch');
      const key = randomUUID();
      await post(writer, fixtureTopology('shop-aws', name), key).expect(201);

      const refused = await post(writer, fixtureTopology('shop-aws', `${name}-other`), key).expect(409);
      expect(refused.headers['content-type']).toMatch(PROBLEM);
      expect(refused.body).toMatchObject({
        type: 'https://exposure-planner.dev/problems/conflict',
        status: 409,
        instance: '/v1/plans',
      });
      expect(refused.body.detail).toMatch(/Idempotency-Key was already used with a different request body/);
      expect(await plansNamed(name)).toHaveLength(1);
    });

    it('gives different callers using the same key their own plans', async () => {
      const name = uniqueName('callers');
      const key = 'the-same-key-1';
      const sameTeam = await t.createKey(['plans:read', 'plans:write'], team);
      const otherTeam = await t.createKey(['plans:read', 'plans:write'], uniqueName('idem-other'));
      const ids = [];
      for (const caller of [writer, sameTeam, otherTeam]) {
        const created = await post(caller, fixtureTopology('shop-aws', name), key).expect(201);
        expect(created.headers['idempotent-replayed']).toBeUndefined();
        ids.push(created.body.id as string);
      }
      expect(new Set(ids).size).toBe(3);
      // A different body under the same key is fine for another caller too.
      const fourth = await t.createKey(['plans:write'], team);
      await post(fourth, fixtureTopology('shop-aws', `${name}-x`), key).expect(201);
      expect(await plansNamed(name)).toHaveLength(3);
    });

    it('replays revision 1 as it was created, even after the plan was revised', async () => {
      const name = uniqueName('revised');
      const key = randomUUID();
      const first = await post(writer, fixtureTopology('shop-aws', name), key).expect(201);
      await t
        .apiAs(writer.key)
        .put(`/v1/plans/${first.body.id}`)
        .send(fixtureTopology('demo-minikube', name))
        .expect(200);
      const again = await post(writer, fixtureTopology('shop-aws', name), key).expect(201);
      expect(again.body).toEqual(first.body);
    });

    it('answers 409 once the plan the key created was deleted, and creates nothing', async () => {
      const name = uniqueName('deleted');
      const key = randomUUID();
      const first = await post(writer, fixtureTopology('shop-aws', name), key).expect(201);
      await t.apiAs(writer.key).delete(`/v1/plans/${first.body.id}`).expect(204);
      const refused = await post(writer, fixtureTopology('shop-aws', name), key).expect(409);
      expect(refused.body.detail).toMatch(/has been deleted; use a new key/);
      expect(await plansNamed(name)).toHaveLength(0);
    });

    it('forgets a key once it expires: the next request with it stores a new plan', async () => {
      const name = uniqueName('expired');
      const key = randomUUID();
      const first = await post(writer, fixtureTopology('shop-aws', name), key).expect(201);
      await expireKey(key);

      // Even another body: the expired key is as good as new.
      const second = await post(writer, fixtureTopology('shop-aws', `${name}-2`), key).expect(201);
      expect(second.headers['idempotent-replayed']).toBeUndefined();
      expect(second.body.id).not.toBe(first.body.id);
      // The key now belongs to the second request.
      const again = await post(writer, fixtureTopology('shop-aws', `${name}-2`), key).expect(201);
      expect(again.body.id).toBe(second.body.id);
      expect(again.headers['idempotent-replayed']).toBe('true');
    });

    it('purges expired keys (the repository the service calls now and then)', async () => {
      const key = randomUUID();
      await post(writer, fixtureTopology('shop-aws', uniqueName('purged')), key).expect(201);
      await expireKey(key);
      const prisma = t.app.get(PrismaService);
      const count = () =>
        prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "IdempotencyKey" WHERE key = ${key}`;
      expect((await count())[0]?.n).toBe(1);
      // Other files' expired keys may be there too (a shared server): purge until none is left.
      while ((await t.app.get(PlansRepository).purgeExpiredClaims(1000)) > 0) {
        // next batch
      }
      expect((await count())[0]?.n).toBe(0);
    });

    it('stores exactly one plan for 20 identical requests sent at once, and answers all 20 with it', async () => {
      const name = uniqueName('stampede');
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => post(writer, fixtureTopology('shop-aws', name), key)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 201));
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
      expect(await plansNamed(name)).toHaveLength(1);
    });

    it('stores one plan when requests with one key and two bodies race: the others get 201 or 409', async () => {
      const name = uniqueName('race');
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post(writer, fixtureTopology('shop-aws', `${name}-${i % 2}`), key)),
      );
      const created = responses.filter((r) => r.status === 201);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      expect(created.length).toBe(10);
      expect(responses.filter((r) => r.status === 409)).toHaveLength(10);
      expect(await plansNamed(name)).toHaveLength(1);
    });

    it.each([
      ['empty', ''],
      ['256 characters', 'k'.repeat(256)],
      ['a space', 'two words'],
      ['non-ASCII', 'cl\u00e9'],
    ])('refuses a key that is %s with a 400, storing nothing', async (_what, key) => {
      const name = uniqueName('bad-key');
      const refused = await post(writer, fixtureTopology('shop-aws', name), key).expect(400);
      expect(refused.headers['content-type']).toMatch(PROBLEM);
      expect(refused.body.errors).toEqual([
        { path: 'Idempotency-Key', message: expect.stringMatching(/1 to 255 visible ASCII/) },
      ]);
      expect(await plansNamed(name)).toHaveLength(0);
    });

    it('accepts 255 visible characters', async () => {
      await post(writer, fixtureTopology('shop-aws', uniqueName('long-key')), `~${'!'.repeat(253)}~`).expect(201);
    });

    it('ignores the key on a dry run: nothing is stored, so nothing is remembered', async () => {
      const name = uniqueName('dry');
      const key = randomUUID();
      await t
        .apiAs(writer.key)
        .post('/v1/plans?dryRun=true')
        .set('idempotency-key', key)
        .send(fixtureTopology('shop-aws', `${name}-preview`))
        .expect(200);
      // Not even checked.
      await t
        .apiAs(writer.key)
        .post('/v1/plans?dryRun=true')
        .set('idempotency-key', 'not a valid key')
        .send(fixtureTopology('shop-aws', name))
        .expect(200);
      // The key is still free, for another body.
      const created = await post(writer, fixtureTopology('shop-aws', name), key).expect(201);
      expect(created.headers['idempotent-replayed']).toBeUndefined();
    });

    it('refuses a bad topology with a key like without one, and leaves the key free', async () => {
      const key = randomUUID();
      await post(writer, { name: 'Not A Name' }, key).expect(400);
      await post(writer, fixtureTopology('shop-aws', uniqueName('after-400')), key)
        .expect(201)
        .expect((res) => expect(res.headers['idempotent-replayed']).toBeUndefined());
    });
  });

  describe('GraphQL createPlan', () => {
    const CREATE = `mutation Create($topology: TopologyInput!, $key: String) {
      createPlan(topology: $topology, idempotencyKey: $key) { id revision }
    }`;
    const createPlan = (variables: Record<string, unknown>, header?: string) => {
      const request = t.apiAs(writer.key).post('/graphql');
      return (header === undefined ? request : request.set('idempotency-key', header))
        .send({ query: CREATE, variables })
        .expect(200);
    };

    it('returns the first plan for the same idempotencyKey and topology, storing one', async () => {
      const name = uniqueName('gql');
      const key = randomUUID();
      const first = await createPlan({ topology: fixtureTopology('shop-aws', name), key });
      const again = await createPlan({ topology: fixtureTopology('shop-aws', name), key });
      expect(first.body.errors).toBeUndefined();
      expect(again.body.data.createPlan).toEqual(first.body.data.createPlan);
      expect(await plansNamed(name)).toHaveLength(1);
    });

    it('answers CONFLICT for the same key with another topology', async () => {
      const name = uniqueName('gql-mismatch');
      const key = randomUUID();
      await createPlan({ topology: fixtureTopology('shop-aws', name), key });
      const refused = await createPlan({ topology: fixtureTopology('shop-aws', `${name}-other`), key });
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors[0].extensions.code).toBe('CONFLICT');
      expect(refused.body.errors[0].message).toMatch(/different request body/);
      expect(await plansNamed(name)).toHaveLength(1);
    });

    it('reads the Idempotency-Key header when the argument is absent, sharing keys with REST', async () => {
      const name = uniqueName('gql-header');
      const key = randomUUID();
      const rest = await post(writer, fixtureTopology('shop-aws', name), key).expect(201);
      const viaHeader = await createPlan({ topology: fixtureTopology('shop-aws', name) }, key);
      expect(viaHeader.body.data.createPlan.id).toBe(rest.body.id);
      const viaArgument = await createPlan({ topology: fixtureTopology('shop-aws', name), key });
      expect(viaArgument.body.data.createPlan.id).toBe(rest.body.id);
      expect(await plansNamed(name)).toHaveLength(1);
    });

    it('refuses a malformed key, and an argument that contradicts the header, as BAD_USER_INPUT', async () => {
      const name = uniqueName('gql-bad');
      const malformed = await createPlan({ topology: fixtureTopology('shop-aws', name), key: 'has space' });
      expect(malformed.body.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        problems: [{ path: 'idempotencyKey' }],
      });
      const contradicting = await createPlan({ topology: fixtureTopology('shop-aws', name), key: 'one' }, 'two');
      expect(contradicting.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(await plansNamed(name)).toHaveLength(0);
    });

    it('stores one plan for 20 concurrent createPlan with one key', async () => {
      const name = uniqueName('gql-stampede');
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => createPlan({ topology: fixtureTopology('shop-aws', name), key })),
      );
      expect(new Set(responses.map((r) => r.body.data.createPlan.id)).size).toBe(1);
      expect(await plansNamed(name)).toHaveLength(1);
    });
  });
});
