import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { FastifyInstance } from 'fastify';
import { AuthGuard } from '../auth/auth.guard.js';
import { PlansModule } from '../plans/plans.module.js';
import { PlansService } from '../plans/plans.service.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';
import { attachGraphqlAdmission } from './graphql-admission.js';
import { GRAPHQL_PATH, graphqlOptions } from './graphql.options.js';
import { GRAPHQL_RESOLVERS } from './graphql.resolvers.js';

/** POST /graphql for dashboards: the same PlansService as REST, plus aggregates. */
@Module({
  imports: [
    PlansModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [PlansModule],
      // AuthGuard comes from the global AuthModule, RateLimiter from the global RateLimitModule.
      inject: [PlansService, AuthGuard, RateLimiter, HttpAdapterHost],
      useFactory: (plans: PlansService, guard: AuthGuard, limiter: RateLimiter, adapterHost: HttpAdapterHost) => {
        // Before the driver registers the route: the front door is one of its hooks.
        attachGraphqlAdmission(adapterHost.httpAdapter.getInstance<FastifyInstance>(), GRAPHQL_PATH, guard);
        // The only environment read of this module: whether to refresh the committed schema file.
        return graphqlOptions(plans, process.env.NODE_ENV, limiter);
      },
    }),
  ],
  providers: [...GRAPHQL_RESOLVERS],
})
export class GraphqlApiModule {}
