import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RateLimitInterceptor } from './rate-limit.interceptor.js';
import { RATE_LIMIT_CLOCK, RateLimiter } from './rate-limiter.js';
import { systemClock } from './token-bucket.js';

/**
 * Rate limits per caller on every transport: the interceptor for REST and chat; RateLimiter
 * exported (global) for the GraphQL context, which limits once per HTTP request.
 */
@Global()
@Module({
  providers: [
    // A fresh object per app, so a test can drive one app's clock without touching another's.
    { provide: RATE_LIMIT_CLOCK, useFactory: () => ({ now: () => systemClock.now() }) },
    RateLimiter,
    { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
  ],
  exports: [RateLimiter],
})
export class RateLimitModule {}
