import { Global, Module } from '@nestjs/common';
import { RATE_LIMIT_CLOCK, RateLimiter } from './rate-limiter.js';
import { systemClock } from '../common/clock.js';

/**
 * Rate limits per caller on every transport. Global: the auth guard asks the limiter once per
 * HTTP request, right after authentication (src/auth/auth.guard.ts), and the GraphQL module once
 * more per mutation past a request's first.
 */
@Global()
@Module({
  providers: [
    // A fresh object per app, so a test can drive one app's clock without touching another's.
    { provide: RATE_LIMIT_CLOCK, useFactory: () => ({ now: () => systemClock.now() }) },
    RateLimiter,
  ],
  exports: [RateLimiter],
})
export class RateLimitModule {}
