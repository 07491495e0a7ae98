import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error.js';
import { loadConfig } from '../config/config.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';
import { Credentials, Public, RequireScopes } from './auth.decorators.js';
import { AuthGuard } from './auth.guard.js';
import type { Authenticator } from './authenticator.js';
import type { CredentialStrategyName } from './credentials.js';
import type { Principal } from './principal.js';
import { getPrincipal } from './request-principal.js';
import { domainErrorOf as refusal } from '../common/testing/domain-error-of.js';

const READER: Principal = { kind: 'api-key', keyId: 'k-1', name: 'reader', scopes: ['plans:read'], team: null };

class Routes {
  @Public()
  probe(): void {}

  unmarked(): void {}

  @RequireScopes('plans:read')
  read(): void {}

  @Credentials(['metrics-token', 'api-key'], 'Or METRICS_TOKEN.')
  @RequireScopes('admin')
  metrics(): void {}
}

/**
 * The guard over an Authenticator whose answers the test chooses (one per request, the last one
 * repeated), and a limiter of `burst` requests.
 */
function setUp(answers: Principal | DomainError | (Principal | DomainError)[], burst = 5) {
  const queue = [answers].flat();
  const asked: (readonly CredentialStrategyName[])[] = [];
  const authenticator = {
    authenticate: (_request: unknown, strategies: readonly CredentialStrategyName[]) => {
      asked.push(strategies);
      const answer = queue.length > 1 ? queue.shift()! : queue[0];
      return answer instanceof DomainError ? Promise.reject(answer) : Promise.resolve(answer);
    },
  } as unknown as Authenticator;
  const limiter = new RateLimiter(
    { ...loadConfig({}), rateLimitPerMinute: 60, rateLimitBurst: burst },
    { now: () => 0 },
  );
  return { guard: new AuthGuard(new Reflector(), authenticator, limiter), asked };
}

function call(route: keyof Routes) {
  const request = { headers: {}, ip: '10.0.0.1' } as FastifyRequest;
  const headers: Record<string, string> = {};
  const reply = { headers: (h: Record<string, string>) => Object.assign(headers, h) } as unknown as FastifyReply;
  // The handler is only a key for its decorators' metadata: it is never called.
  const handler = Object.getOwnPropertyDescriptor(Routes.prototype, route)?.value as () => void;
  const context = new ExecutionContextHost([request, reply, undefined], Routes, handler);
  context.setType('http');
  return { context, request, headers };
}

describe(AuthGuard.name, () => {
  it('lets a @Public route through without asking for credentials or counting it', async () => {
    const { guard, asked } = setUp(READER);
    const { context, request, headers } = call('probe');
    expect(await guard.canActivate(context)).toBe(true);
    expect(asked).toEqual([]);
    expect(getPrincipal(request)).toBeUndefined();
    expect(headers).toEqual({});
  });

  it('sets the Principal, checks the scope, and puts the rate limit on the answer', async () => {
    const { guard, asked } = setUp(READER);
    const { context, request, headers } = call('read');
    expect(await guard.canActivate(context)).toBe(true);
    expect(asked).toEqual([['api-key', 'loopback']]);
    expect(getPrincipal(request)).toEqual(READER);
    expect(headers['ratelimit-remaining']).toBe('4');
  });

  it('asks the strategies the route names', async () => {
    const { guard, asked } = setUp({ kind: 'metrics-token' });
    expect(await guard.canActivate(call('metrics').context)).toBe(true);
    expect(asked).toEqual([['metrics-token', 'api-key']]);
  });

  it('needs admin on a route that says nothing (a forgotten decorator fails closed), with the scope challenge', async () => {
    const { guard } = setUp(READER);
    const error = await refusal(guard.canActivate(call('unmarked').context));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe('The API key "reader" lacks the scope this needs: admin.');
    expect(error.headers).toEqual({
      'www-authenticate': 'Bearer realm="exposure-planner", error="insufficient_scope", scope="admin"',
    });
  });

  it('counts neither a refused credential nor a missing scope against the rate limit', async () => {
    const { guard } = setUp([DomainError.unauthenticated('no'), READER], 1);
    expect((await refusal(guard.canActivate(call('read').context))).code).toBe('UNAUTHENTICATED');
    expect((await refusal(guard.canActivate(call('unmarked').context))).code).toBe('FORBIDDEN');
    // The burst of one is still whole:
    const { context, headers } = call('read');
    expect(await guard.canActivate(context)).toBe(true);
    expect(headers['ratelimit-remaining']).toBe('0');
  });

  it('refuses past the rate limit with RATE_LIMITED carrying Retry-After', async () => {
    const { guard } = setUp(READER, 1);
    await guard.canActivate(call('read').context);
    const error = await refusal(guard.canActivate(call('read').context));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.headers['retry-after']).toBe('1');
  });
});
