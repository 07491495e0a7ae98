/**
 * `npm run bench:http`: HTTP throughput and latency of the real app (built with tsc, as it runs in
 * production) against a bare Fastify handler that writes the same request to the same database
 * with no planner and no Nest. Each scenario: 10 connections for BENCH_SECONDS (default 10), in
 * BENCH_ROUNDS (default 3) interleaved rounds after a short warm-up, the median round kept. Prints
 * requests/s, p50 and p99, and writes them with the machine into docs/performance.md.
 *
 * The servers run in a child process (this file with --serve) so that autocannon does not share
 * their event loop, with the node flags and environment variables of `npm start` (young-generation
 * size, V8 thread pool, glibc's trim threshold), so the figures are those of the service as run.
 * They share one database, new for the run: a database created on DATABASE_URL's server when it is
 * set (dropped afterwards), else a fresh PGlite directory.
 *
 * Targets (issue 3): POST /v1/plans at >= 0.7x the bare insert's requests/s, p99 < 25 ms.
 *
 * On Linux each round also says where the machine's CPU went per request (bench/cpu-accounting.ts):
 * the servers' process (with PGlite's thread), autocannon (this process) and the rest (a PostgreSQL
 * server, the kernel), and so the least mean latency those costs allow at 10 connections.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { generateTopology } from '../test/support/generate-topology.js';
import { createScratchDatabase, type ScratchDatabase } from '../test/support/scratch-database.js';
import { describeMachine, oneMinuteLoad, writePerformanceBlock } from './performance-report.js';
import { startScriptRuntime } from '../test/support/start-script.js';
import { at } from '../src/common/at.js';
import { cpuPerRequest, meanLatencyFloorMs, sampler, ticksPerSecond, type CpuPerRequest } from './cpu-accounting.js';

const ROOT = join(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Math.min(2, SECONDS);
// Each scenario runs this many times, interleaved with the others, and its median run is kept:
// on a shared machine a burst of other work then skews one run, not one side of a ratio.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const COMPONENTS = 14;
const P99_TARGET_MS = 25;
const RATIO_TARGET = 0.7;

type Database = 'pglite' | 'postgres';
type Endpoints = { app: string; bare: string; planId: string };
type Figures = { rps: number; p50: number; p99: number; non2xx: number; errors: number; cpu?: CpuPerRequest };
/** Samples the machine's CPU and that of [the servers' process, this one]: undefined without /proc. */
type CpuMeter = ReturnType<typeof sampler>;
type Scenario = { label: string; method: 'GET' | 'POST'; url: string; body?: string; bareLabel?: string };

const topologyBody = JSON.stringify({ ...generateTopology(COMPONENTS), name: 'bench-shop' });

/* ------------------------------------------------------------------------------------------ */

/** Child: the app (from dist/) and the bare handler on two ephemeral ports, one database. */
async function serve(): Promise<void> {
  // Compiled modules, with the decorator metadata Nest needs (tsx does not emit it).
  const { createApp } = (await import(join(ROOT, 'dist/src/app.factory.js'))) as typeof import('../src/app.factory.js');
  const { PrismaService } = (await import(
    join(ROOT, 'dist/src/database/prisma.service.js')
  )) as typeof import('../src/database/prisma.service.js');
  const { default: Fastify } = await import('fastify');

  // Rate limiting off: this measures the app's throughput, not how fast it says 429.
  const app = await createApp({ logLevel: 'error', rateLimitPerMinute: 0 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const prisma = app.get(PrismaService);

  // The baseline: parse the same JSON, write a plan and its revision in one transaction through the
  // same Prisma client (its usual nested create), answer with what was stored; no Nest, no
  // validation, no planner (so no ~73 KB result to store: an empty one), no problem mapping.
  const bare = Fastify({ bodyLimit: 1024 * 1024 });
  bare.post('/bare', async (request, reply) => {
    const body = request.body as { name: string; namespace: string; environment: { platform: string } };
    const plan = await prisma.plan.create({
      data: {
        name: body.name,
        namespace: body.namespace,
        platform: body.environment.platform,
        currentRevision: 1,
        monthlyCost: 0,
        componentCount: 0,
        revisions: { create: { revision: 1, topology: body, result: {}, engineVersion: 'bare' } },
      },
      select: { id: true, createdAt: true },
    });
    return reply.status(201).send({ id: plan.id, createdAt: plan.createdAt, topology: body });
  });
  // Reads the very row GET /v1/plans/:id reads (the app's plan, its ~73 KB result included).
  bare.get('/bare/:id', async (request) => {
    const { id } = request.params as { id: string };
    return prisma.planRevision.findFirst({ where: { planId: id }, orderBy: { revision: 'desc' } });
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });

  const appUrl = `http://127.0.0.1:${portOf(app.getHttpServer().address())}`;
  const bareUrl = `http://127.0.0.1:${portOf(bare.server.address())}`;
  const created = await fetch(`${appUrl}/v1/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: topologyBody,
  });
  const endpoints: Endpoints = {
    app: appUrl,
    bare: bareUrl,
    planId: ((await created.json()) as { id: string }).id,
  };
  console.log(`READY ${JSON.stringify(endpoints)}`);

  const stop = async () => {
    await bare.close();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

function portOf(address: unknown): number {
  if (address && typeof address === 'object' && 'port' in address) {
    return Number(address.port);
  }
  throw new Error(`not listening: ${String(address)}`);
}

/* ------------------------------------------------------------------------------------------ */

/** Parent: build, start the servers, drive them with autocannon, report. */
async function orchestrate(): Promise<void> {
  if (process.env.BENCH_NO_BUILD !== '1') {
    console.log('Building (npm run build)…');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'exposure-planner-bench-'));
  const database: Database = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  // Like the PGlite directory, a server database of its own: figures taken on a database that
  // already holds a few hundred thousand plans (and their TOAST tables) are slower and vary more.
  const server = process.env.DATABASE_URL ? await freshServerDatabase(process.env.DATABASE_URL) : undefined;
  // The service runs with the node flags and variables of `npm start`: the same garbage collector
  // settings as in production, not node's defaults.
  const runtime = startScriptRuntime();
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...runtime.nodeFlags, join(ROOT, 'bench/http.bench.ts'), '--serve'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...runtime.env,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
        ...(server ? { DATABASE_URL: server.url } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const load = oneMinuteLoad();
  try {
    const endpoints = await readyLine(child.stdout);
    const scenarios: Scenario[] = [
      {
        label: `POST /v1/plans (${COMPONENTS} components)`,
        method: 'POST',
        url: `${endpoints.app}/v1/plans`,
        body: topologyBody,
        bareLabel: 'bare POST',
      },
      {
        label: 'GET /v1/plans/:id',
        method: 'GET',
        url: `${endpoints.app}/v1/plans/${endpoints.planId}`,
        bareLabel: 'bare GET',
      },
      { label: 'bare POST', method: 'POST', url: `${endpoints.bare}/bare`, body: topologyBody },
      { label: 'bare GET', method: 'GET', url: `${endpoints.bare}/bare/${endpoints.planId}` },
    ];
    const runs = new Map<string, Figures[]>(scenarios.map((s) => [s.label, []]));
    const meter = child.pid === undefined ? undefined : sampler(child.pid, process.pid);
    for (const scenario of scenarios) {
      await run(scenario, WARMUP_SECONDS, meter);
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const scenario of scenarios) {
        const figures = await run(scenario, SECONDS, meter);
        runs.get(scenario.label)?.push(figures);
        console.log(
          `round ${round}  ${scenario.label.padEnd(34)} ${figures.rps.toFixed(0).padStart(6)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms` +
            (figures.cpu ? `  CPU ms/request: ${cpuCells(figures.cpu).join(' ')}` : '') +
            (figures.non2xx || figures.errors ? `  (non-2xx ${figures.non2xx}, errors ${figures.errors})` : ''),
        );
      }
    }
    const results = new Map([...runs].map(([label, all]) => [label, medianRun(all)]));
    // This database's block only: the analysis written around the figures survives a re-run.
    writePerformanceBlock(database, renderResults(scenarios, results, database, [load, oneMinuteLoad()]));
    console.log(`\nWrote the ${database} figures into docs/performance.md`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
    await server?.drop();
  }
}

/**
 * A new database on DATABASE_URL's server, migrated, dropped after the run. Without the right to
 * create one, the given database itself (its existing plans then weigh on the figures).
 */
async function freshServerDatabase(databaseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { migrateServer } = (await import(
    join(ROOT, 'dist/src/database/migrations.js')
  )) as typeof import('../src/database/migrations.js');
  let scratch: ScratchDatabase;
  try {
    scratch = await createScratchDatabase(databaseUrl, 'exposure_planner_bench');
  } catch (error) {
    console.log(`Could not create a database for the run (${String(error)}); using DATABASE_URL's own.`);
    await migrateServer(databaseUrl);
    return { url: databaseUrl, drop: async () => {} };
  }
  await migrateServer(scratch.url);
  console.log(`On a new database, ${new URL(scratch.url).pathname.slice(1)}, dropped afterwards.`);
  return scratch;
}

function readyLine(stream: NodeJS.ReadableStream): Promise<Endpoints> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stream });
    const timer = setTimeout(() => reject(new Error('the servers did not start within 120 s')), 120_000);
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice('READY '.length)) as Endpoints);
      } else {
        console.log(`[servers] ${line}`);
      }
    });
    lines.on('close', () => reject(new Error('the servers exited before they were ready')));
  });
}

async function run(scenario: Scenario, seconds: number, meter: CpuMeter): Promise<Figures> {
  const before = meter?.();
  const result = await autocannon({
    url: scenario.url,
    method: scenario.method,
    connections: CONNECTIONS,
    duration: seconds,
    headers: scenario.body ? { 'content-type': 'application/json' } : {},
    body: scenario.body,
  });
  const after = meter?.();
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    ...(before && after ? { cpu: cpuPerRequest(before, after, result.requests.total, TICKS_PER_SECOND) } : {}),
  };
}

const TICKS_PER_SECOND = ticksPerSecond();

/** service, its busiest thread, autocannon, rest (ms of CPU per request), and the machine busy and stolen (%). */
function cpuCells(cpu: CpuPerRequest): string[] {
  const percent = (share: number): string => `${(share * 100).toFixed(0)} %`;
  return [
    cpu.serviceMs.toFixed(2),
    cpu.busiestThreadMs.toFixed(2),
    cpu.loadGeneratorMs.toFixed(2),
    cpu.restMs.toFixed(2),
    `${percent(cpu.busyShare)} (${percent(cpu.stealShare)} stolen)`,
  ];
}

function totalCpuMs(cpu: CpuPerRequest): number {
  return cpu.serviceMs + cpu.loadGeneratorMs + cpu.restMs;
}

const DATABASE_LABEL: Record<Database, string> = {
  pglite: 'embedded PGlite on disk (the default without DATABASE_URL)',
  postgres: 'the PostgreSQL server given by DATABASE_URL',
};

/** The run with the median requests/s, whole (its latencies belong to that run). */
function medianRun(all: Figures[]): Figures {
  const sorted = [...all].sort((a, b) => a.rps - b.rps);
  return at(sorted, Math.floor((sorted.length - 1) / 2));
}

function renderResults(
  scenarios: Scenario[],
  results: Map<string, Figures>,
  database: Database,
  load: [number, number],
): string {
  const row = (s: Scenario): string => {
    const f = results.get(s.label) as Figures;
    const bare = s.bareLabel ? results.get(s.bareLabel) : undefined;
    const ratio = bare ? (f.rps / bare.rps).toFixed(2) : '—';
    const cpu = f.cpu ? cpuCells(f.cpu) : ['—', '—', '—', '—', '—'];
    return `| ${s.label} | ${f.rps.toFixed(0)} | ${f.p50} | ${f.p99} | ${ratio} | ${f.non2xx + f.errors} | ${cpu.join(' | ')} |`;
  };
  const post = results.get(at(scenarios, 0).label) as Figures;
  const bare = results.get('bare POST') as Figures;
  const ratio = post.rps / bare.rps;
  const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');
  return `### On ${DATABASE_LABEL[database]}

${new Date().toISOString().slice(0, 10)}: ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s per scenario after a ${WARMUP_SECONDS} s warm-up; the median round of each.

| scenario | requests/s | p50 ms | p99 ms | ratio to bare | failed | CPU ms/request: service | its busiest thread | autocannon | rest | machine busy |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${scenarios.map(row).join('\n')}

Targets: POST at >= ${RATIO_TARGET}x the bare insert: ${ratio.toFixed(2)}, ${verdict(ratio >= RATIO_TARGET)}.
p99 < ${P99_TARGET_MS} ms: POST ${post.p99} ms, ${verdict(post.p99 < P99_TARGET_MS)}.
${cpuFloor(post, bare)}
${describeMachine(load, 'so compare the ratios of the interleaved scenarios, not the times')}
`;
}

/**
 * What the CPU per request allows: CONNECTIONS connections wait at least this long on average,
 * whatever the p99 (bench/cpu-accounting.ts, meanLatencyFloorMs).
 */
function cpuFloor(post: Figures, bare: Figures): string {
  if (!post.cpu || !bare.cpu) {
    return '';
  }
  const cpuCount = cpus().length;
  const floor = (cpu: CpuPerRequest): string => meanLatencyFloorMs(cpu, cpuCount, CONNECTIONS).toFixed(1);
  const inAll = (cpu: CpuPerRequest): string => totalCpuMs(cpu).toFixed(2);
  return `
CPU per request: POST ${inAll(post.cpu)} ms in all, ${post.cpu.busiestThreadMs.toFixed(2)} ms on the service's busiest thread; the bare POST ${inAll(bare.cpu)} and ${bare.cpu.busiestThreadMs.toFixed(2)} ms (the rest is a PostgreSQL server's, the kernel's, anything else running). No request is served faster than the ${cpuCount} CPUs share that CPU in all, nor than the busiest thread does its part of one request after another's: ${CONNECTIONS} connections wait at least ${floor(post.cpu)} ms on average for POST, ${floor(bare.cpu)} ms for the bare POST (Little's law). A p99 under ${P99_TARGET_MS} ms needs a mean below it: less than ${((P99_TARGET_MS * cpuCount) / CONNECTIONS).toFixed(1)} ms of CPU per request in all, autocannon's included, and ${(P99_TARGET_MS / CONNECTIONS).toFixed(1)} ms on any one thread.
`;
}

// Last, so every constant above is initialized before either side runs.
if (process.argv.includes('--serve')) {
  await serve();
} else {
  await orchestrate();
}
