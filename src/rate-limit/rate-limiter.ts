import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../common/domain-error.js';
import { APP_CONFIG, type Config } from '../config/config.js';
import { APP_METRICS, type AppMetrics } from '../observability/metrics.js';
import type { Clock } from '../common/clock.js';
import { TokenBucketLimiter, type BucketDecision } from './token-bucket.js';

/** Nest injection token of the limiter's clock: the system clock, or a test's. */
export const RATE_LIMIT_CLOCK = Symbol('RATE_LIMIT_CLOCK');

/** Who a bucket belongs to, as the `caller` label of rate_limited_total (a bounded set). */
export const RATE_LIMITED_CALLERS = ['api-key', 'chat', 'loopback', 'address'] as const;
export type RateLimitedCaller = (typeof RATE_LIMITED_CALLERS)[number];

/**
 * The bucket a request draws from: an API key's own (whatever team it has, so one noisy key cannot
 * starve its team's other keys); a chat system's per team (every Slack user of a workspace shares
 * it, as they share the signing secret); protected mode's loopback callers one between them;
 * anyone else (a METRICS_TOKEN scrape or a share link,
 * which says who holds it no more than an address does) by
 * client address.
 */
export function rateLimitKeyOf(
  principal: Principal | undefined,
  address: string | undefined,
): { key: string; caller: RateLimitedCaller } {
  switch (principal?.kind) {
    case 'api-key':
      return { key: `key:${principal.keyId}`, caller: 'api-key' };
    case 'chat':
      return { key: `chat:${principal.platform}:${principal.team ?? ''}`, caller: 'chat' };
    case 'loopback':
      return { key: 'loopback', caller: 'loopback' };
    case 'metrics-token':
    case 'share-link':
    case undefined:
      return { key: `address:${address ?? 'unknown'}`, caller: 'address' };
  }
}

/** One request's verdict, the headers to answer with either way, and the error to raise when refused. */
export type RateLimitOutcome = {
  allowed: boolean;
  /** RateLimit-Limit, -Remaining, -Reset, -Policy; Retry-After too when refused. Empty when limiting is off. */
  headers: Record<string, string>;
  /** Refused: the DomainError (RATE_LIMITED, a 429) that says why and for how long, with these headers. */
  error?: DomainError;
};

const UNLIMITED: RateLimitOutcome = { allowed: true, headers: {} };

/**
 * Rate limits per caller (RATE_LIMIT_PER_MINUTE, RATE_LIMIT_BURST), in this process's memory: each
 * replica counts on its own, so N replicas allow up to N times the limit between them (a shared
 * store is future work; see docs/operations.md). The auth guard asks it once per HTTP request of
 * every transport, right after authentication, so the caller is known; GraphQL once more per
 * mutation past a request's first.
 */
@Injectable()
export class RateLimiter {
  private readonly buckets: TokenBucketLimiter | undefined;
  private readonly refused: Counter<'caller'> | undefined;

  constructor(
    @Inject(APP_CONFIG) config: Config,
    @Inject(RATE_LIMIT_CLOCK) clock: Clock,
    // Optional: absent when the app is built without ObservabilityModule.
    @Optional() @Inject(APP_METRICS) metrics?: AppMetrics,
  ) {
    const perMinute = config.rateLimitPerMinute;
    this.buckets =
      perMinute > 0
        ? new TokenBucketLimiter({ perMinute, burst: config.rateLimitBurst ?? perMinute }, clock)
        : undefined;
    if (metrics) {
      this.refused = new Counter({
        name: 'rate_limited_total',
        help: 'Requests refused with 429 by the rate limit, by caller kind (api-key, chat, loopback, address).',
        labelNames: ['caller'] as const,
        registers: [metrics.registry],
      });
      // Zero series from the start, so rate() and alerts work before the first refusal.
      RATE_LIMITED_CALLERS.forEach((caller) => this.refused?.inc({ caller }, 0));
    }
  }

  /** Whether limiting is on (RATE_LIMIT_PER_MINUTE > 0). */
  get enabled(): boolean {
    return this.buckets !== undefined;
  }

  /** Takes `count` requests (one, unless a GraphQL request runs several mutations) from the caller's budget. */
  take(principal: Principal | undefined, address: string | undefined, count = 1): RateLimitOutcome {
    if (this.buckets === undefined) {
      return UNLIMITED;
    }
    const { key, caller } = rateLimitKeyOf(principal, address);
    const decision = this.buckets.take(key, count);
    const headers = rateLimitHeaders(decision, this.buckets);
    if (decision.allowed) {
      return { allowed: true, headers };
    }
    this.refused?.inc({ caller });
    const refusedHeaders = { ...headers, 'retry-after': String(decision.retryAfterSeconds) };
    return {
      allowed: false,
      headers: refusedHeaders,
      error: new DomainError(
        'RATE_LIMITED',
        `Too many requests from ${describe(principal)}: at most ${decision.limit} at once, then ` +
          `${this.buckets.policy.perMinute} a minute. Retry in ${decision.retryAfterSeconds} s.`,
        [],
        refusedHeaders,
      ),
    };
  }
}

/**
 * The headers of the IETF draft "RateLimit header fields for HTTP" (RateLimit-Limit, -Remaining,
 * -Reset, -Policy). With a token bucket the quota is the bucket, and it "resets" when full again.
 */
function rateLimitHeaders(decision: BucketDecision, buckets: TokenBucketLimiter): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
    // "burst requests per the time a full refill takes": 600;w=60 for the defaults.
    'ratelimit-policy': `${decision.limit};w=${Math.ceil((decision.limit * 60) / buckets.policy.perMinute)}`,
  };
}

function describe(principal: Principal | undefined): string {
  switch (principal?.kind) {
    case 'api-key':
      return `the API key "${principal.name}"`;
    case 'chat':
      return principal.team === null
        ? `${principal.platform}`
        : `${principal.platform} for the team "${principal.team}"`;
    case 'loopback':
      return 'this machine (protected mode)';
    case 'metrics-token':
    case 'share-link':
    case undefined:
      return 'this address';
  }
}
