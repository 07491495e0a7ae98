import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { Authenticator } from '../auth/authenticator.js';
import { PlansModule } from '../plans/plans.module.js';
import { PlansService } from '../plans/plans.service.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';
import { graphqlOptions } from './graphql.options.js';
import { GRAPHQL_RESOLVERS } from './graphql.resolvers.js';

/** POST /graphql for dashboards: the same PlansService as REST, plus aggregates. */
@Module({
  imports: [
    PlansModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [PlansModule],
      // Authenticator comes from the global AuthModule, RateLimiter from the global RateLimitModule.
      inject: [PlansService, Authenticator, RateLimiter],
      // The only environment read of this module: whether to refresh the committed schema file.
      useFactory: (plans: PlansService, authenticator: Authenticator, limiter: RateLimiter) =>
        graphqlOptions(plans, authenticator, process.env.NODE_ENV, limiter),
    }),
  ],
  providers: [...GRAPHQL_RESOLVERS],
})
export class GraphqlApiModule {}
