import { readFileSync } from 'node:fs';
import {
  cpuPerRequest,
  meanLatencyFloorMs,
  parseMachineTicks,
  parseProcessTicks,
  sampler,
  type CpuPerRequest,
  type CpuSample,
} from './cpu-accounting.js';

describe('parseMachineTicks', () => {
  it('counts user, nice, system, irq and softirq as busy, and steal apart from busy and idle', () => {
    const stat = 'cpu  58390 220 18812 215253 896 0 1262 1078 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1\n';
    expect(parseMachineTicks(stat)).toEqual({
      busy: 58390 + 220 + 18812 + 0 + 1262,
      steal: 1078,
      total: 58390 + 220 + 18812 + 215253 + 896 + 0 + 1262 + 1078,
    });
  });

  it('refuses text that is not /proc/stat', () => {
    expect(() => parseMachineTicks('cpu0 1 2 3\n')).toThrow(/not a \/proc\/stat/);
    expect(() => parseMachineTicks('cpu  1 2 x 4 5 6 7 8\n')).toThrow(/not a \/proc\/stat/);
  });
});

describe('parseProcessTicks', () => {
  it('adds utime and stime, counting fields from the last parenthesis of the command name', () => {
    // Fields 3-13, then utime 700 and stime 45 (fields 14 and 15), then the rest.
    const stat = '4242 (node (bench) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 700 45 0 0 20 0 11 0';
    expect(parseProcessTicks(stat)).toBe(745);
  });

  it('reads this process: its ticks grow with the CPU it spends', () => {
    const read = (): number => parseProcessTicks(readFileSync('/proc/self/stat', 'utf8'));
    const before = read();
    // Spend 200 ms of CPU, measured as CPU rather than wall time, so a loaded machine only makes it longer.
    const start = process.cpuUsage();
    const spent = (): number => {
      const { user, system } = process.cpuUsage(start);
      return user + system;
    };
    let spin = 0;
    while (spent() < 200_000) {
      for (let i = 0; i < 10_000; i++) {
        spin += Math.sqrt(spin + i);
      }
    }
    expect(spin).toBeGreaterThan(0);
    // 200 ms is 20 ticks at the usual 100 a second; allow for the tick being counted on either side.
    expect(read() - before).toBeGreaterThanOrEqual(10);
  });

  it('refuses a line without the time fields', () => {
    expect(() => parseProcessTicks('4242 (node) S 1 2')).toThrow(/not a \/proc\/<pid>\/stat/);
  });
});

describe('cpuPerRequest', () => {
  const sample = (
    busy: number,
    steal: number,
    total: number,
    service: number,
    threads: [number, number][],
    loadGenerator: number,
  ): CpuSample => ({ machine: { busy, steal, total }, service, serviceThreads: new Map(threads), loadGenerator });

  it('shares the ticks between the service, its busiest thread, the load generator and the rest, per request', () => {
    // 8 s on 2 CPUs at 100 ticks a second: 1,600 ticks, 1,500 of them busy, 40 stolen.
    const before = sample(
      10_000,
      100,
      50_000,
      2_000,
      [
        [7, 1_500],
        [8, 400],
        [9, 100],
      ],
      500,
    );
    const after = sample(
      11_500,
      140,
      51_600,
      2_900,
      [
        [7, 2_100],
        [8, 700],
        [9, 100],
      ],
      800,
    );
    const cost = cpuPerRequest(before, after, 2_400, 100);
    expect(cost.serviceMs).toBeCloseTo((900 * 10) / 2_400);
    expect(cost.busiestThreadMs).toBeCloseTo((600 * 10) / 2_400);
    expect(cost.loadGeneratorMs).toBeCloseTo((300 * 10) / 2_400);
    expect(cost.restMs).toBeCloseTo((300 * 10) / 2_400);
    expect(cost.busyShare).toBeCloseTo(1_500 / 1_600);
    expect(cost.stealShare).toBeCloseTo(40 / 1_600);
  });

  it('counts only threads alive at both samples for the busiest', () => {
    // Thread 9 started in between with 500 ticks: not known from when, so not a thread's share.
    const before = sample(0, 0, 1_000, 100, [[7, 100]], 0);
    const after = sample(
      900,
      0,
      2_000,
      800,
      [
        [7, 300],
        [9, 500],
      ],
      0,
    );
    expect(cpuPerRequest(before, after, 100, 100).busiestThreadMs).toBeCloseTo((200 * 10) / 100);
  });

  it('never reports a negative rest, and no cost for no requests', () => {
    const before = sample(0, 0, 0, 0, [], 0);
    const after = sample(100, 0, 200, 90, [], 20);
    expect(cpuPerRequest(before, after, 10, 100).restMs).toBe(0);
    expect(cpuPerRequest(before, after, 0, 100)).toMatchObject({ serviceMs: 0, loadGeneratorMs: 0, restMs: 0 });
  });
});

describe('meanLatencyFloorMs', () => {
  const cost = (inAll: number, busiestThreadMs: number): CpuPerRequest => ({
    serviceMs: inAll - 1,
    busiestThreadMs,
    loadGeneratorMs: 0.5,
    restMs: 0.5,
    busyShare: 1,
    stealShare: 0,
  });

  it('is connections x CPU in all / CPUs when the machine is the limit (Little law)', () => {
    expect(meanLatencyFloorMs(cost(6.7, 2), 2, 10)).toBeCloseTo(33.5);
  });

  it('is connections x the busiest thread share when that thread is the limit', () => {
    expect(meanLatencyFloorMs(cost(3, 2.2), 2, 10)).toBeCloseTo(22);
  });
});

describe('sampler', () => {
  it('samples the machine, the service with each of its threads, and the load generator', () => {
    const sample = sampler(process.pid, process.pid)?.();
    // This process's main thread has the process's id.
    expect(sample?.serviceThreads.has(process.pid)).toBe(true);
    expect(sample?.service).toBeGreaterThanOrEqual(sample?.serviceThreads.get(process.pid) ?? Infinity);
    expect(sample?.machine.total).toBeGreaterThan(sample?.machine.busy ?? Infinity);
  });

  it('gives none for a process that does not exist', () => {
    // Above the kernel's pid_max limit (2^22), so no process has it.
    expect(sampler(2 ** 23, process.pid)).toBeUndefined();
  });
});
