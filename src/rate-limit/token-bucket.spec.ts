import fc from 'fast-check';
import type { Clock } from '../common/clock.js';
import { TokenBucketLimiter } from './token-bucket.js';

class ManualClock implements Clock {
  constructor(public ms = 1_000_000) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

function takeMany(limiter: TokenBucketLimiter, key: string, n: number) {
  return Array.from({ length: n }, () => limiter.take(key));
}

describe(TokenBucketLimiter.name, () => {
  it('lets an idle caller send `burst` requests at once, then refuses with the wait for the next token', () => {
    const clock = new ManualClock();
    // 60 a minute: one token a second.
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 5 }, clock);
    const decisions = takeMany(limiter, 'k', 6);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions[0]).toMatchObject({ limit: 5, resetSeconds: 1, retryAfterSeconds: 0 });
    expect(decisions[5]).toMatchObject({
      allowed: false,
      limit: 5,
      remaining: 0,
      resetSeconds: 5,
      retryAfterSeconds: 1,
    });
  });

  it('refills continuously at perMinute / 60 a second, never above burst', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketLimiter({ perMinute: 120, burst: 4 }, clock);
    takeMany(limiter, 'k', 4);
    expect(limiter.take('k').allowed).toBe(false);
    // Two a second: 499 ms is not yet a token, 500 ms is.
    clock.advance(499);
    expect(limiter.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(1);
    expect(limiter.take('k').allowed).toBe(true);
    clock.advance(3_600_000);
    expect(takeMany(limiter, 'k', 5).map((d) => d.allowed)).toEqual([true, true, true, true, false]);
  });

  it('takes several tokens at once, all or none, and says how long until that many are back', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 5 }, clock);
    expect(limiter.take('k', 3)).toMatchObject({ allowed: true, remaining: 2 });
    // Three more than the two left: refused, and nothing taken.
    expect(limiter.take('k', 3)).toMatchObject({ allowed: false, remaining: 2, retryAfterSeconds: 1 });
    expect(limiter.take('k', 2)).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take('k', 4)).toMatchObject({ allowed: false, retryAfterSeconds: 4 });
    // More than the bucket ever holds: refused, told to wait for a full bucket (which still will not do).
    expect(limiter.take('other', 6)).toMatchObject({ allowed: false, remaining: 5, retryAfterSeconds: 1 });
  });

  it('says how long to wait when tokens come slowly', () => {
    const clock = new ManualClock();
    // One token every 20 seconds.
    const limiter = new TokenBucketLimiter({ perMinute: 3, burst: 1 }, clock);
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 20, resetSeconds: 20 });
    clock.advance(15_000);
    expect(limiter.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 5 });
    clock.advance(5_000);
    expect(limiter.take('k').allowed).toBe(true);
  });

  it('keeps callers apart', () => {
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 2 }, new ManualClock());
    takeMany(limiter, 'a', 2);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('neither gives nor takes tokens when the clock steps back', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 2 }, clock);
    takeMany(limiter, 'k', 2);
    clock.advance(-30_000);
    expect(limiter.take('k').allowed).toBe(false);
    clock.advance(31_000);
    expect(limiter.take('k').allowed).toBe(true);
  });

  it('forgets callers idle for a full refill (their bucket is full anyway)', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 10 }, clock);
    for (let i = 0; i < 1_000; i++) {
      limiter.take(`ip:${i}`);
    }
    expect(limiter.size).toBe(1_000);
    clock.advance(5_000);
    limiter.take('recent');
    // 10 s refill: nobody is idle long enough yet.
    expect(limiter.size).toBe(1_001);
    clock.advance(5_000);
    limiter.take('recent');
    expect(limiter.size).toBe(1);
  });

  it('never tracks more than maxBuckets callers, forgetting the least recently seen', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 1 }, clock, 3);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    // `a` is used again, so `b` is now the least recently seen.
    expect(limiter.take('a').allowed).toBe(false);
    limiter.take('d');
    expect(limiter.size).toBe(3);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('c').allowed).toBe(false);
    // Forgotten, so it starts with a full bucket again.
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('never allows more than burst + the refill over any stretch of time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        (perMinute, burst, gaps) => {
          const clock = new ManualClock();
          const limiter = new TokenBucketLimiter({ perMinute, burst }, clock);
          const start = clock.now();
          let allowed = 0;
          for (const gap of gaps) {
            clock.advance(gap);
            if (limiter.take('k').allowed) {
              allowed += 1;
            }
          }
          const refilled = ((clock.now() - start) * perMinute) / 60_000;
          expect(allowed).toBeLessThanOrEqual(Math.floor(burst + refilled + 1e-9));
        },
      ),
    );
  });

  it('refuses a policy that would allow nothing', () => {
    expect(() => new TokenBucketLimiter({ perMinute: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBucketLimiter({ perMinute: 1, burst: 0 })).toThrow(RangeError);
  });
});
