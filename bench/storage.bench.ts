/**
 * `npm run bench:storage`: what each way of running the plan statements costs, measured
 * in one process on embedded PGlite in memory, the variants interleaved batch by batch (so a burst
 * of other work on a shared machine lands on all of them), the median batch kept. The figures
 * justify the choices written beside the statements in src/plans/plans.repository.ts.
 *
 *   insert, driver adapter            what the repository does (PrismaService.sqlOnAdapter): the
 *                                     plan's JSON text, made once, is stored and
 *                                     (src/common/json-text.ts) answered, past the client's encoding
 *   insert, $queryRaw, JSON as text   the same text through the Prisma client
 *   insert, $queryRaw, JSON objects   Prisma serializes the objects; the answer serializes again
 *   read, $queryRaw, ::text           the revision's JSON as stored text, parsed once, answered as is
 *   read, $queryRaw, json             Prisma parses the json; the answer serializes it again
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/config.js';
import { PrismaService } from '../src/database/prisma.service.js';
import { Prisma } from '../src/generated/prisma/client.js';
import { plan } from '../src/planner/plan.js';
import { generateTopology } from '../test/support/generate-topology.js';
import { at } from '../src/common/at.js';

const BATCHES = Number(process.env.BENCH_BATCHES ?? 15);
const PER_BATCH = Number(process.env.BENCH_PER_BATCH ?? 40);

const outcome = plan({ ...generateTopology(14), name: 'bench-shop' });
if (!outcome.ok) {
  throw new Error('the bench topology does not plan');
}
const { topology, engineVersion, ...rest } = outcome.plan;

// DATABASE_URL: a PostgreSQL server (then the process's CPU is this thread's own: the pg driver
// has no thread of its own, unlike PGlite); else embedded PGlite in memory.
const databaseUrl = process.env.DATABASE_URL?.trim();
const prisma = new PrismaService(
  loadConfig({ LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: 'memory://' }) }),
);
await prisma.ready();
const planRow = (id: string) =>
  Prisma.sql`INSERT INTO "Plan" (id, name, namespace, platform, "currentRevision", "monthlyCost", "componentCount")
             VALUES (${id}::uuid, 'bench', 'default', 'aws', 1, 0, 14)`;
const insertText = (id: string, topologyJson: string, resultJson: string) =>
  Prisma.sql`WITH plan AS (${planRow(id)} RETURNING id, "createdAt")
    INSERT INTO "PlanRevision" ("planId", revision, topology, result, "engineVersion", "createdAt")
    SELECT id, 1, ${topologyJson}::json, ${resultJson}::json, ${engineVersion}, "createdAt" FROM plan RETURNING "createdAt"`;

let lastId = randomUUID();
const variants: Record<string, () => Promise<unknown>> = {
  'insert, $queryRaw, JSON as text': async () => {
    lastId = randomUUID();
    const topologyJson = JSON.stringify(topology);
    const resultJson = JSON.stringify(rest);
    await prisma.$queryRaw(insertText(lastId, topologyJson, resultJson));
    return `{"topology":${topologyJson},${resultJson.slice(1)}`.length;
  },
  'insert, $queryRaw, JSON objects': async () => {
    lastId = randomUUID();
    await prisma.$queryRaw(Prisma.sql`WITH plan AS (${planRow(lastId)} RETURNING id, "createdAt")
      INSERT INTO "PlanRevision" ("planId", revision, topology, result, "engineVersion", "createdAt")
      SELECT id, 1, ${topology}::json, ${rest}::json, ${engineVersion}, "createdAt" FROM plan RETURNING "createdAt"`);
    return JSON.stringify({ topology, ...rest }).length;
  },
  'insert, driver adapter': async () => {
    lastId = randomUUID();
    const topologyJson = JSON.stringify(topology);
    const resultJson = JSON.stringify(rest);
    await prisma.sqlOnAdapter(insertText(lastId, topologyJson, resultJson));
    return `{"topology":${topologyJson},${resultJson.slice(1)}`.length;
  },
  'read, $queryRaw, ::text': async () => {
    const rows = await prisma.$queryRaw<{ topology: string; result: string }[]>(
      Prisma.sql`SELECT topology::text AS topology, result::text AS result FROM "PlanRevision" WHERE "planId" = ${lastId}::uuid`,
    );
    const row = at(rows, 0);
    JSON.parse(row.topology);
    JSON.parse(row.result);
    return `{"topology":${row.topology},${row.result.slice(1)}`.length;
  },
  'read, $queryRaw, json': async () => {
    const rows = await prisma.$queryRaw<{ topology: unknown; result: object }[]>(
      Prisma.sql`SELECT topology, result FROM "PlanRevision" WHERE "planId" = ${lastId}::uuid`,
    );
    const row = at(rows, 0);
    return JSON.stringify({ topology: row.topology, ...row.result }).length;
  },
};

const times = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
const cpu = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
for (let batch = 0; batch < BATCHES + 2; batch++) {
  for (const [name, run] of Object.entries(variants)) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    for (let i = 0; i < PER_BATCH; i++) {
      await run();
    }
    const used = process.cpuUsage(startCpu);
    // The first two batches warm up the JIT and the caches.
    if (batch >= 2) {
      times.get(name)?.push(((performance.now() - start) * 1000) / PER_BATCH);
      cpu.get(name)?.push((used.user + used.system) / PER_BATCH);
    }
  }
}
const median = (values: number[]) =>
  at(
    [...values].sort((a, b) => a - b),
    Math.floor(values.length / 2),
  );
console.log(
  `${databaseUrl ? 'PostgreSQL server' : 'PGlite in memory'}: ${BATCHES} interleaved batches of ${PER_BATCH}, ` +
    'median batch, µs per statement: wall, and CPU of the whole process (the PGlite thread included)',
);
for (const [name, values] of times) {
  const cpuOf = median(cpu.get(name) ?? []);
  console.log(`${name.padEnd(36)} ${median(values).toFixed(0).padStart(6)} µs  cpu ${cpuOf.toFixed(0).padStart(6)} µs`);
}
await prisma.onApplicationShutdown();
process.exit(0);
