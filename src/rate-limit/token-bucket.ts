import { systemClock, type Clock } from '../common/clock.js';

/** How fast tokens come back, and how many an idle caller holds. */
export type BucketPolicy = {
  /** Requests per minute, sustained (refilled continuously: perMinute / 60 a second). */
  perMinute: number;
  /** The bucket's size: the most requests a caller may send at once after being idle. */
  burst: number;
};

/** One caller's answer: whether this request may go on, and what the RateLimit headers say. */
export type BucketDecision = {
  allowed: boolean;
  /** The bucket's size (RateLimit-Limit). */
  limit: number;
  /** Whole requests left right now, after this one (RateLimit-Remaining). */
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit-Reset), rounded up. */
  resetSeconds: number;
  /** Refused: seconds until this request would be allowed (Retry-After), at least 1. Allowed: 0. */
  retryAfterSeconds: number;
};

type Bucket = { tokens: number; at: number };

/** Above this many callers tracked at once, the least recently seen are forgotten first. */
export const DEFAULT_MAX_BUCKETS = 100_000;

/**
 * Token buckets in memory, one per caller key. A bucket holds at most `burst` tokens, refills at
 * `perMinute / 60` tokens a second, and each request takes one; with no token left the request is
 * refused and told when the next one comes. Smoother than fixed windows: no double burst at a
 * window's edge.
 *
 * Memory stays bounded: a bucket untouched for as long as a full refill takes is full, exactly like
 * no bucket at all, so it is dropped (the Map keeps buckets in order of last use, so the sweep only
 * looks at the ones it drops); and past `maxBuckets` callers (a flood of client addresses) the least
 * recently seen are forgotten, which can only ever be lenient to them.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  /** How long an empty bucket takes to fill: a bucket idle that long is full. */
  private readonly fullRefillMs: number;
  private lastSweep: number;

  constructor(
    readonly policy: BucketPolicy,
    private readonly clock: Clock = systemClock,
    private readonly maxBuckets = DEFAULT_MAX_BUCKETS,
  ) {
    if (!(policy.perMinute > 0) || !(policy.burst >= 1)) {
      throw new RangeError('A token bucket needs perMinute > 0 and burst >= 1.');
    }
    this.perMs = policy.perMinute / 60_000;
    this.fullRefillMs = policy.burst / this.perMs;
    this.lastSweep = clock.now();
  }

  /**
   * Takes `count` tokens from `key`'s bucket if it has that many, else none (a GraphQL request
   * with several mutations takes one per mutation, all or nothing).
   */
  take(key: string, count = 1): BucketDecision {
    const now = this.clock.now();
    this.sweep(now);
    const { burst } = this.policy;
    const previous = this.buckets.get(key);
    // A clock that steps back (NTP) must not hand out tokens nor take them away.
    const elapsed = previous === undefined ? 0 : Math.max(0, now - previous.at);
    let tokens = previous === undefined ? burst : Math.min(burst, previous.tokens + elapsed * this.perMs);
    const allowed = tokens >= count;
    if (allowed) {
      tokens -= count;
    }
    // Re-inserted, so the Map's order stays "least recently used first".
    this.buckets.delete(key);
    this.buckets.set(key, { tokens, at: now });
    this.evictOverflow();
    return {
      allowed,
      limit: burst,
      remaining: Math.floor(tokens),
      resetSeconds: Math.ceil((burst - tokens) / this.perMs / 1000),
      // More than the bucket ever holds can never be allowed: then the time until it is full.
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((Math.min(count, burst) - tokens) / this.perMs / 1000)),
    };
  }

  /** How many callers are tracked now (for tests of the memory bound). */
  get size(): number {
    return this.buckets.size;
  }

  // At most once per full-refill time (and at least once a minute): cheap, and enough to keep
  // only callers seen within that time.
  private sweep(now: number): void {
    if (now - this.lastSweep < Math.min(this.fullRefillMs, 60_000)) {
      return;
    }
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at < this.fullRefillMs) {
        // Every later bucket was used more recently still.
        break;
      }
      this.buckets.delete(key);
    }
  }

  private evictOverflow(): void {
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxBuckets) {
        return;
      }
      this.buckets.delete(key);
    }
  }
}
