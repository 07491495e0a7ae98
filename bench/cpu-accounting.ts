/**
 * Where a benchmark's CPU goes, read from Linux's /proc: the whole machine's busy and stolen time
 * (/proc/stat) and, per process, its user and system time over all its threads (/proc/<pid>/stat).
 *
 * On a machine that also runs the load generator, a latency goal can be out of reach whatever the
 * service does: with every CPU busy, throughput is the CPUs over the CPU a request costs in all
 * (the service, the database, the load generator, the kernel), and with a fixed number of
 * connections the mean latency is connections / throughput (Little's law). These figures say how
 * far that floor is from a goal. Elsewhere than Linux there is no /proc: `sample` gives undefined
 * and the bench prints no CPU figures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks of the machine since boot, summed over its CPUs. */
export type MachineTicks = { busy: number; steal: number; total: number };

/**
 * One reading: the machine's ticks, the service's (all its threads, and each live thread by id)
 * and the load generator's.
 */
export type CpuSample = {
  machine: MachineTicks;
  service: number;
  serviceThreads: Map<number, number>;
  loadGenerator: number;
};

/** What one request cost, in ms of CPU, between two samples. */
export type CpuPerRequest = {
  serviceMs: number;
  /**
   * The service's busiest thread (its main thread, or on embedded PGlite often the database's):
   * a thread does one thing at a time, so requests queue behind its share of each of them.
   */
  busiestThreadMs: number;
  loadGeneratorMs: number;
  /** The machine's busy time minus both: a database server, the kernel's interrupt work, anything else running. */
  restMs: number;
  /** Of the machine's time: busy, and stolen by the hypervisor for other guests (0-1). */
  busyShare: number;
  stealShare: number;
};

/**
 * The first line of /proc/stat: `cpu user nice system idle iowait irq softirq steal guest guest_nice`.
 * Guest time is already inside user and nice (proc(5)), so it is not added again. Stolen time is
 * time the CPUs were not ours, so it is neither busy nor idle.
 */
export function parseMachineTicks(procStat: string): MachineTicks {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  const fields = line?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
  if (fields.length < 8 || fields.some((f) => !Number.isFinite(f))) {
    throw new Error(`not a /proc/stat: ${procStat.slice(0, 80)}`);
  }
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq;
  return { busy, steal, total: busy + idle + iowait + steal };
}

/**
 * utime + stime of /proc/<pid>/stat (fields 14 and 15), every thread of the process included.
 * The command name (field 2) is in parentheses and may hold spaces or parentheses itself, so the
 * fields are counted from the last ')'.
 */
export function parseProcessTicks(pidStat: string): number {
  const rest = pidStat
    .slice(pidStat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (the state), so field n is rest[n - 3].
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`not a /proc/<pid>/stat: ${pidStat.slice(0, 80)}`);
  }
  return utime + stime;
}

/** The CPU a request cost between two samples taken around `requests` requests. */
export function cpuPerRequest(
  before: CpuSample,
  after: CpuSample,
  requests: number,
  ticksPerSecond: number,
): CpuPerRequest {
  const msPerTick = 1000 / ticksPerSecond;
  const service = after.service - before.service;
  const generator = after.loadGenerator - before.loadGenerator;
  const busy = after.machine.busy - before.machine.busy;
  const total = after.machine.total - before.machine.total;
  // Threads alive at both samples; one that started or ended in between is in `service` only.
  const busiestThread = Math.max(
    0,
    ...[...after.serviceThreads].map(([tid, ticks]) => ticks - (before.serviceThreads.get(tid) ?? ticks)),
  );
  const perRequest = (ticks: number): number => (requests > 0 ? (ticks * msPerTick) / requests : 0);
  return {
    serviceMs: perRequest(service),
    busiestThreadMs: perRequest(busiestThread),
    loadGeneratorMs: perRequest(generator),
    // Ticks are counted per process and per CPU at slightly different instants: never below zero.
    restMs: perRequest(Math.max(0, busy - service - generator)),
    busyShare: total > 0 ? busy / total : 0,
    stealShare: total > 0 ? (after.machine.steal - before.machine.steal) / total : 0,
  };
}

/**
 * The least mean latency `connections` closed-loop connections can see, from what a request costs:
 * throughput is at most `cpus` / (its CPU in all), and at most 1 / (its share of the busiest
 * thread), since a thread does one thing at a time; each connection then waits connections /
 * throughput on average (Little's law).
 */
export function meanLatencyFloorMs(cost: CpuPerRequest, cpus: number, connections: number): number {
  const inAll = cost.serviceMs + cost.loadGeneratorMs + cost.restMs;
  return connections * Math.max(inAll / cpus, cost.busiestThreadMs);
}

/**
 * Reads /proc for the machine, the service's process and threads, and the load generator;
 * undefined where there is no /proc.
 */
export function sampler(servicePid: number, loadGeneratorPid: number): (() => CpuSample) | undefined {
  if (!existsSync('/proc/stat') || ![servicePid, loadGeneratorPid].every((pid) => existsSync(`/proc/${pid}/stat`))) {
    return undefined;
  }
  const ticksOf = (path: string): number => parseProcessTicks(readFileSync(path, 'utf8'));
  return () => {
    const serviceThreads = new Map<number, number>();
    for (const tid of readdirSync(`/proc/${servicePid}/task`)) {
      try {
        serviceThreads.set(Number(tid), ticksOf(`/proc/${servicePid}/task/${tid}/stat`));
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    return {
      machine: parseMachineTicks(readFileSync('/proc/stat', 'utf8')),
      service: ticksOf(`/proc/${servicePid}/stat`),
      serviceThreads,
      loadGenerator: ticksOf(`/proc/${loadGeneratorPid}/stat`),
    };
  };
}

/** USER_HZ, the unit of /proc's times: `getconf CLK_TCK`, 100 on every Linux that does not say. */
export function ticksPerSecond(): number {
  try {
    const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(hz) && hz > 0 ? hz : 100;
  } catch {
    return 100;
  }
}
