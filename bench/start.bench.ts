/**
 * `npm run bench:start`: how long `npm start` takes to answer `/health`, and how much memory the
 * service holds once idle, on both databases:
 *
 * - embedded PGlite: the first start on a new DATA_DIR, then a second start on it;
 * - a PostgreSQL server (BENCH_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres):
 *   a new database created for the run, migrated, dropped afterwards; a first and a second start.
 *
 * Each start is `npm start` as a user runs it (the staleness check included: dist/ is built once,
 * before the rounds), timed from the spawn to the first 200 from GET /health. After the second
 * start, a few requests (plans created and read, the readiness probe), BENCH_SETTLE_SECONDS
 * (default 5) of quiet, then the service's resident memory (VmRSS). BENCH_ROUNDS (default 3)
 * rounds, each on a new database; the median of each figure is kept. The CPU time the service
 * used until it answered is printed too: on a machine shared with other work it varies less than
 * the wall-clock time.
 *
 * Prints the figures, writes them into docs/performance.md, and ends with one line of JSON.
 * Goals (issue 16): second start <= 2 s, first start on a new data directory <= 4 s, idle RSS
 * <= 250 MB on PGlite and <= 150 MB on a server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateTopology } from '../test/support/generate-topology.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';
import { freePort } from '../test/support/service-process.js';
import { describeMachine, oneMinuteLoad, writePerformanceBlock } from './performance-report.js';
import { at } from '../src/common/at.js';

const ROOT = join(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 5);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const START_TIMEOUT_MS = 180_000;
const GOALS = { secondStartMs: 2_000, firstStartMs: 4_000, idleRssMb: { pglite: 250, postgres: 150 } };
// Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ: 100 on Linux).
const CLOCK_TICKS = 100;

type Kind = 'pglite' | 'postgres';
type Start = { ms: number; cpuMs: number | undefined };
type Round = { first: Start; second: Start; idleRssMb: number | undefined };
type Summary = {
  firstStartMs: number;
  secondStartMs: number;
  firstStartCpuMs: number | undefined;
  secondStartCpuMs: number | undefined;
  idleRssMb: number | undefined;
  rounds: Round[];
};

const topologyBody = JSON.stringify({ ...generateTopology(14), name: 'bench-start' });

/* ------------------------------------------------------------------------------------------ */

/** The process running dist/bundle/main.js under `npm start` (npm, then a shell, then node). */
function servicePid(npmPid: number): number | undefined {
  const queue = [npmPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    try {
      // node itself, not the shell npm runs it with (whose command line names the file too).
      const [program = '', ...args] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (/(^|\/)node$/.test(program) && args.includes('dist/bundle/main.js')) {
        return pid;
      }
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      queue.push(...children.split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // Gone, or not Linux: no figure rather than a wrong one.
    }
  }
  return undefined;
}

/**
 * /proc/<pid>/<file>; undefined without a pid, once the process is gone, or off Linux: no figure
 * rather than a wrong one.
 */
function procFile(pid: number | undefined, file: string): string | undefined {
  if (pid === undefined) {
    return undefined;
  }
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, every thread) the process has used, in ms. */
function cpuMs(pid: number | undefined): number | undefined {
  const stat = procFile(pid, 'stat');
  if (stat === undefined) {
    return undefined;
  }
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function rssMb(pid: number | undefined): number | undefined {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(procFile(pid, 'status') ?? '');
  return match ? Math.round(Number(match[1]) / 1024) : undefined;
}

type Running = { child: ChildProcess; pid: number | undefined; url: string; output: () => string };

/** `npm start` with `env`; resolves once GET /health answers 200, with the time that took. */
async function start(env: Record<string, string>): Promise<{ running: Running; start: Start }> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited) {
      throw new Error(`npm start exited before answering /health:\n${output}`);
    }
    if (performance.now() - began > START_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`no answer from /health within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    const ok = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) {
      break;
    }
    await sleep(20);
  }
  const ms = Math.round(performance.now() - began);
  const pid = servicePid(child.pid as number);
  return { running: { child, pid, url, output: () => output }, start: { ms, cpuMs: cpuMs(pid) } };
}

/** SIGTERM to the service itself (npm then exits with it), and wait for npm to end. */
async function stop(running: Running): Promise<void> {
  const ended = new Promise((resolve) => running.child.once('exit', resolve));
  if (running.child.exitCode === null) {
    if (running.pid !== undefined) {
      process.kill(running.pid, 'SIGTERM');
    } else {
      running.child.kill('SIGTERM');
    }
    await ended;
  }
}

/** What a first user does after starting it: a few plans created and read, the probes. */
async function someRequests(url: string): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const response = await fetch(`${url}/v1/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: topologyBody,
    });
    if (response.status !== 201) {
      throw new Error(`POST /v1/plans answered ${response.status}: ${await response.text()}`);
    }
    ids.push(((await response.json()) as { id: string }).id);
  }
  for (const id of ids) {
    await (await fetch(`${url}/v1/plans/${id}`)).arrayBuffer();
  }
  await (await fetch(`${url}/v1/plans`)).arrayBuffer();
  await (await fetch(`${url}/health/ready`)).arrayBuffer();
}

async function round(env: Record<string, string>): Promise<Round> {
  const first = await start(env);
  await stop(first.running);
  const second = await start(env);
  try {
    await someRequests(second.running.url);
    await sleep(SETTLE_SECONDS * 1000);
    return { first: first.start, second: second.start, idleRssMb: rssMb(second.running.pid) };
  } finally {
    await stop(second.running);
  }
}

async function pgliteRound(): Promise<Round> {
  const dataDir = mkdtempSync(join(tmpdir(), 'exposure-planner-start-'));
  try {
    return await round({ DATA_DIR: dataDir, DATABASE_URL: '' });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgresRound(): Promise<Round> {
  const { migrateServer } = (await import(
    join(ROOT, 'dist/src/database/migrations.js')
  )) as typeof import('../src/database/migrations.js');
  const scratch = await createScratchDatabase(SERVER_URL, 'exposure_planner_start');
  try {
    // The service refuses a server that lacks migrations: `npm run db:migrate` comes first.
    await migrateServer(scratch.url);
    return await round({ DATABASE_URL: scratch.url });
  } finally {
    await scratch.drop();
  }
}

/* ------------------------------------------------------------------------------------------ */

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return at(sorted, Math.floor((sorted.length - 1) / 2));
}

function medianOf(values: (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length > 0 ? median(known) : undefined;
}

function summarize(rounds: Round[]): Summary {
  return {
    firstStartMs: median(rounds.map((r) => r.first.ms)),
    secondStartMs: median(rounds.map((r) => r.second.ms)),
    firstStartCpuMs: medianOf(rounds.map((r) => r.first.cpuMs)),
    secondStartCpuMs: medianOf(rounds.map((r) => r.second.cpuMs)),
    idleRssMb: medianOf(rounds.map((r) => r.idleRssMb)),
    rounds,
  };
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const megabytes = (mb: number | undefined): string => (mb === undefined ? '—' : `${mb} MB`);
const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');

const LABEL: Record<Kind, string> = { pglite: 'embedded PGlite', postgres: 'PostgreSQL server' };

function render(results: Partial<Record<Kind, Summary>>, load: [number, number]): string {
  const rows: string[] = [];
  const goals: string[] = [];
  for (const kind of ['pglite', 'postgres'] as const) {
    const s = results[kind];
    if (!s) {
      rows.push(`| ${LABEL[kind]} | not measured | | | | |`);
      continue;
    }
    rows.push(
      `| ${LABEL[kind]} | ${seconds(s.firstStartMs)} | ${seconds(s.secondStartMs)} | ${seconds(s.firstStartCpuMs)} | ${seconds(s.secondStartCpuMs)} | ${megabytes(s.idleRssMb)} |`,
    );
    const rssGoal = GOALS.idleRssMb[kind];
    goals.push(
      `${LABEL[kind]}: second start ${seconds(s.secondStartMs)} (goal <= 2 s) ${verdict(s.secondStartMs <= GOALS.secondStartMs)}; ` +
        `first start ${seconds(s.firstStartMs)} (goal <= 4 s) ${verdict(s.firstStartMs <= GOALS.firstStartMs)}; ` +
        `idle RSS ${megabytes(s.idleRssMb)} (goal <= ${rssGoal} MB) ${verdict(s.idleRssMb !== undefined && s.idleRssMb <= rssGoal)}.`,
    );
  }
  return `${new Date().toISOString().slice(0, 10)}: ${ROUNDS} rounds, each on a new database; the median of each figure. \`npm start\` to the first 200 from \`/health\` (dist/ already built), then ${SETTLE_SECONDS} s idle after 10 plans created and read.

| database | first start | second start | CPU, first | CPU, second | idle RSS |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

${goals.join('\n')}

${describeMachine(load, 'and the wall-clock times stretch with it; the CPU times much less')}
`;
}

async function main(): Promise<void> {
  // What `npm start` does first, once here, so that no round pays for a build.
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const load: [number, number] = [oneMinuteLoad(), 0];
  const rounds: Record<Kind, Round[]> = { pglite: [], postgres: [] };
  let serverProblem: string | undefined;
  // Interleaved, so that a burst of other work on the machine weighs on both databases alike.
  for (let i = 1; i <= ROUNDS; i++) {
    const pglite = await pgliteRound();
    rounds.pglite.push(pglite);
    console.log(describe(i, 'pglite', pglite));
    if (serverProblem === undefined) {
      try {
        const postgres = await postgresRound();
        rounds.postgres.push(postgres);
        console.log(describe(i, 'postgres', postgres));
      } catch (error) {
        serverProblem = error instanceof Error ? error.message : String(error);
        console.log(`PostgreSQL server at ${SERVER_URL} not measured: ${serverProblem}`);
      }
    }
  }
  load[1] = oneMinuteLoad();
  const results: Partial<Record<Kind, Summary>> = {
    pglite: summarize(rounds.pglite),
    ...(rounds.postgres.length > 0 && { postgres: summarize(rounds.postgres) }),
  };
  const block = render(results, load);
  console.log(`\n${block}`);
  writePerformanceBlock('start', block);
  console.log('Wrote the figures into docs/performance.md');
  const compact = (s: Summary | undefined) => (s ? { ...s, rounds: undefined } : null);
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      rounds: ROUNDS,
      loadAverage: load,
      pglite: compact(results.pglite),
      postgres: compact(results.postgres),
      goals: GOALS,
    }),
  );
}

function describe(index: number, kind: Kind, r: Round): string {
  return (
    `round ${index}  ${LABEL[kind].padEnd(18)} first start ${seconds(r.first.ms)} (CPU ${seconds(r.first.cpuMs)})  ` +
    `second start ${seconds(r.second.ms)} (CPU ${seconds(r.second.cpuMs)})  idle RSS ${megabytes(r.idleRssMb)}`
  );
}

await main();
