import { AppMetrics } from '../observability/metrics.js';
import { loadConfig, type Config } from '../config/config.js';
import { DomainError } from '../common/domain-error.js';
import type { Principal } from '../auth/principal.js';
import { rateLimitKeyOf, RateLimiter } from './rate-limiter.js';
import type { Clock } from '../common/clock.js';

const KEY: Principal = { kind: 'api-key', keyId: 'k-1', name: 'portal', scopes: ['plans:read'], team: 'payments' };
const OTHER_KEY_SAME_TEAM: Principal = { ...KEY, keyId: 'k-2', name: 'bot' };
const SLACK_PAYMENTS: Principal = { kind: 'chat', platform: 'slack', team: 'payments', scopes: [] };
const TEAMS_PAYMENTS: Principal = { kind: 'chat', platform: 'teams', team: 'payments', scopes: [] };

function limiter(overrides: Partial<Config>, metrics?: AppMetrics): RateLimiter {
  const clock: Clock = { now: () => 1_000 };
  return new RateLimiter({ ...loadConfig({}), ...overrides }, clock, metrics);
}

describe(rateLimitKeyOf.name, () => {
  it('gives each API key its own bucket, whatever its team', () => {
    expect(rateLimitKeyOf(KEY, '10.0.0.1').key).not.toBe(rateLimitKeyOf(OTHER_KEY_SAME_TEAM, '10.0.0.1').key);
    expect(rateLimitKeyOf(KEY, '10.0.0.1')).toEqual(rateLimitKeyOf(KEY, '10.0.0.2'));
  });

  it('gives chat one bucket per platform and team', () => {
    expect(rateLimitKeyOf(SLACK_PAYMENTS, 'a').key).toBe(rateLimitKeyOf(SLACK_PAYMENTS, 'b').key);
    expect(rateLimitKeyOf(SLACK_PAYMENTS, 'a').key).not.toBe(rateLimitKeyOf(TEAMS_PAYMENTS, 'a').key);
    expect(rateLimitKeyOf({ ...SLACK_PAYMENTS, team: null }, 'a').key).not.toBe(
      rateLimitKeyOf(SLACK_PAYMENTS, 'a').key,
    );
  });

  it('keys callers without a Principal by address, and never mixes them with a key', () => {
    expect(rateLimitKeyOf(undefined, '10.0.0.1')).toEqual({ key: 'address:10.0.0.1', caller: 'address' });
    expect(rateLimitKeyOf(undefined, '10.0.0.2').key).not.toBe(rateLimitKeyOf(undefined, '10.0.0.1').key);
    expect(rateLimitKeyOf({ kind: 'loopback' }, '127.0.0.1').caller).toBe('loopback');
  });

  it('keys a METRICS_TOKEN scrape by address: the token says no more about who holds it', () => {
    expect(rateLimitKeyOf({ kind: 'metrics-token' }, '10.0.0.9')).toEqual({
      key: 'address:10.0.0.9',
      caller: 'address',
    });
  });
});

describe(RateLimiter.name, () => {
  it('burst defaults to the per-minute figure', () => {
    const outcome = limiter({ rateLimitPerMinute: 120, rateLimitBurst: undefined }).take(KEY, undefined);
    expect(outcome.headers).toEqual({
      'ratelimit-limit': '120',
      'ratelimit-remaining': '119',
      'ratelimit-reset': '1',
      'ratelimit-policy': '120;w=60',
    });
  });

  it('refuses with a RATE_LIMITED DomainError, Retry-After and the headers', () => {
    const subject = limiter({ rateLimitPerMinute: 6, rateLimitBurst: 1 });
    expect(subject.take(KEY, undefined).allowed).toBe(true);
    const refused = subject.take(KEY, undefined);
    expect(refused.allowed).toBe(false);
    expect(refused.error).toBeInstanceOf(DomainError);
    expect(refused.error?.code).toBe('RATE_LIMITED');
    expect(refused.error?.message).toBe(
      'Too many requests from the API key "portal": at most 1 at once, then 6 a minute. Retry in 10 s.',
    );
    // The error carries its headers, so whichever transport answers it sends them.
    expect(refused.error?.headers).toEqual(refused.headers);
    expect(refused.headers).toMatchObject({
      'retry-after': '10',
      'ratelimit-remaining': '0',
      'ratelimit-policy': '1;w=10',
    });
  });

  it('is off at RATE_LIMIT_PER_MINUTE=0: everything allowed, no headers', () => {
    const subject = limiter({ rateLimitPerMinute: 0 });
    expect(subject.enabled).toBe(false);
    for (let i = 0; i < 1_000; i++) {
      expect(subject.take(KEY, undefined)).toEqual({ allowed: true, headers: {} });
    }
  });

  it('counts refusals by caller kind in rate_limited_total, every kind present from the start', async () => {
    const metrics = new AppMetrics();
    const subject = limiter({ rateLimitPerMinute: 1, rateLimitBurst: 1 }, metrics);
    const before = (await metrics.render()).body;
    for (const caller of ['api-key', 'chat', 'loopback', 'address']) {
      expect(before).toContain(`rate_limited_total{caller="${caller}"} 0`);
    }
    subject.take(SLACK_PAYMENTS, undefined);
    subject.take(SLACK_PAYMENTS, undefined);
    subject.take(SLACK_PAYMENTS, undefined);
    expect((await metrics.render()).body).toContain('rate_limited_total{caller="chat"} 2');
  });
});
