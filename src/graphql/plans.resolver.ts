import { Inject, UseFilters } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Caller, CallerAccess, RequireScopes } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { DomainError } from '../common/domain-error.js';
import { Deadline, type RequestDeadline } from '../common/request-deadline.js';
import { IDEMPOTENCY_KEY_HEADER, idempotencyRequestOf, parseIdempotencyKey } from '../idempotency/idempotency-key.js';
import { toYaml } from '../planner/yaml.js';
import { cursorAfter } from '../plans/list-cursor.js';
import type { PlanAccess } from '../plans/plan-access.js';
import type { PlanDiff } from '../plans/plan-diff.js';
import { PlansService } from '../plans/plans.service.js';
import type { PlanPreview, StoredPlan } from '../plans/plans.types.js';
import { GraphqlExceptionFilter } from './graphql-errors.js';
import { PlanFilterInput, toPlanFilter } from './inputs/plan-filter.input.js';
import { PlanStatsArgs, toStatsQuery } from './inputs/plan-stats.args.js';
import { ParamTypesFallback } from './param-types.decorator.js';
import type { PlanEdgeSource } from './models/plan-connection.model.js';
import { PlanConnectionModel, PlanEdgeModel } from './models/plan-connection.model.js';
import { PlanModel, PlanPreviewModel } from './models/plan.model.js';
import { PlanDiffModel } from './models/plan-diff.model.js';
import { PlanStatsModel, toPlanStatsModel } from './models/plan-stats.model.js';
import type { GraphqlContext } from './plan.loader.js';
import {
  DEFAULT_PAGE_SIZE,
  MANIFESTS_COMPLEXITY,
  MAX_PAGE_SIZE,
  pageComplexity,
  planningComplexity,
  revisionsComplexity,
} from './query-limits.js';
import { TopologyInputScalar } from './scalars.js';
import type { ObjectTypeClass } from './zod-object-type.js';

// Every resolver here is parse → PlansService → return: no rule lives in the transport. The auth
// guard checks each query's and mutation's @RequireScopes (FORBIDDEN otherwise); the caller's
// PlanAccess goes to PlansService, so another team's plan is NOT_FOUND like an unknown one.

const STATS_COMPLEXITY = 25;

/**
 * The base of the resolver of a type that has `manifestsYaml`: a stored plan or a preview. A class of
 * its own for each, because Nest serves the fields of a base class through one resolver only.
 */
function ManifestsYamlResolver(type: ObjectTypeClass<unknown>) {
  @Resolver(() => type, { isAbstract: true })
  abstract class ManifestsYamlHost {
    @ResolveField('manifestsYaml', () => String, {
      description: 'The manifests as one multi-document YAML file, ready for `kubectl apply -f -`.',
      complexity: MANIFESTS_COMPLEXITY,
    })
    manifestsYaml(@Parent() plan: Pick<PlanPreview, 'manifests'>): string {
      return toYaml(plan.manifests);
    }
  }
  return ManifestsYamlHost;
}

@Resolver(() => PlanModel)
@UseFilters(GraphqlExceptionFilter)
@ParamTypesFallback()
export class PlansResolver extends ManifestsYamlResolver(PlanModel) {
  // @Inject names the dependency without decorator metadata (tsx: see docs/architecture.md).
  constructor(@Inject(PlansService) private readonly service: PlansService) {
    super();
  }

  @Query(() => PlanModel, {
    nullable: true,
    description:
      'The latest revision of one plan. An unknown id gives a NOT_FOUND error; a malformed one BAD_USER_INPUT.',
  })
  @RequireScopes('plans:read')
  async plan(@Args('id', { type: () => ID }) id: string, @CallerAccess() access: PlanAccess): Promise<StoredPlan> {
    return this.service.get(id, access);
  }

  @Query(() => PlanConnectionModel, {
    description: `Plans, newest first, a page at a time (Relay cursor connection). \`first\` is 1-${MAX_PAGE_SIZE}.`,
    complexity: pageComplexity,
  })
  @RequireScopes('plans:read')
  async plans(
    @Args('first', {
      type: () => Int,
      nullable: true,
      defaultValue: DEFAULT_PAGE_SIZE,
      description: `How many plans, 1-${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
    })
    first: number | null,
    @Args('after', {
      type: () => String,
      nullable: true,
      description: "A cursor from a previous page (an edge's `cursor` or `pageInfo.endCursor`).",
    })
    after: string | null | undefined,
    @Args('filter', { type: () => PlanFilterInput, nullable: true }) filter: PlanFilterInput | null,
    @CallerAccess() access: PlanAccess,
  ): Promise<PlanConnectionModel> {
    const limit = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw DomainError.validation([{ path: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
    }
    const page = await this.service.list(
      { ...toPlanFilter(filter), limit, ...(after === null || after === undefined ? {} : { cursor: after }) },
      access,
      // A bad `after` is told where GraphQL's cursors are: REST's `nextCursor` is no field here.
      'graphql',
    );
    const edges: PlanEdgeSource[] = page.items.map((summary) => ({ summary, cursor: cursorAfter(summary) }));
    return {
      edges,
      pageInfo: {
        hasNextPage: page.nextCursor !== null,
        hasPreviousPage: Boolean(after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: page.totalCount,
    };
  }

  @Query(() => [PlanModel], {
    description: 'Every revision of a plan, newest first.',
    complexity: revisionsComplexity,
  })
  @RequireScopes('plans:read')
  async planRevisions(
    @Args('id', { type: () => ID }) id: string,
    @CallerAccess() access: PlanAccess,
  ): Promise<StoredPlan[]> {
    return this.service.revisions(id, access);
  }

  @Query(() => PlanDiffModel, {
    description:
      'What changed between two revisions of a plan (GET /v1/plans/{id}/diff). `from` defaults to the revision before `to`, `to` to the latest; a plan with one revision diffs with itself. A revision the plan does not have gives NOT_FOUND.',
    // Two revisions are read and compared.
    complexity: ({ childComplexity }) => 2 + childComplexity * 2,
  })
  @RequireScopes('plans:read')
  async planDiff(
    @Args('id', { type: () => ID }) id: string,
    @Args('from', { type: () => Int, nullable: true }) from: number | null | undefined,
    @Args('to', { type: () => Int, nullable: true }) to: number | null | undefined,
    @CallerAccess() access: PlanAccess,
  ): Promise<PlanDiff> {
    return this.service.diff(id, { from, to }, access);
  }

  @Query(() => PlanStatsModel, {
    description:
      'Aggregates over the latest revision of every plan the filter matches (the same filter as `plans`, narrowed by `team`, `namespace` and `stage`) and, with `bucket`, the same plans per time bucket of their creation (UTC) from `from` to `to`, widened to whole buckets; the range narrows the totals too. See docs/graphql.md.',
    complexity: STATS_COMPLEXITY,
  })
  @RequireScopes('plans:read')
  async planStats(
    @Args({ type: () => PlanStatsArgs }) args: PlanStatsArgs,
    @CallerAccess() access: PlanAccess,
  ): Promise<PlanStatsModel> {
    return toPlanStatsModel(await this.service.stats(toStatsQuery(args), access), args.groupBy ?? undefined);
  }

  @Mutation(() => PlanModel, {
    description: 'Plans a topology and stores it (revision 1). Same as POST /v1/plans.',
    complexity: planningComplexity,
  })
  @RequireScopes('plans:write')
  async createPlan(
    @Args('topology', { type: () => TopologyInputScalar }) topology: unknown,
    @Args('idempotencyKey', {
      type: () => String,
      nullable: true,
      description:
        'Makes retries safe, like the Idempotency-Key header of POST /v1/plans (which is read too when this is absent): ' +
        'the same key and the same topology from the same API key return the plan the first request created ' +
        '(revision 1 as created) instead of storing another, for IDEMPOTENCY_TTL_HOURS (24 by default); the same key ' +
        'with another topology is a CONFLICT error. 1 to 255 visible ASCII characters, e.g. a UUID.',
    })
    idempotencyKey: string | null | undefined,
    @Context() context: GraphqlContext,
    @Caller() caller: Principal,
    @CallerAccess() access: PlanAccess,
    @Deadline() deadline: RequestDeadline,
  ): Promise<StoredPlan> {
    const request = idempotencyRequestOf(caller, graphqlIdempotencyKey(idempotencyKey, context));
    return (await this.service.createOnce(topology, access, request, deadline)).plan;
  }

  @Mutation(() => PlanPreviewModel, {
    description: 'Plans a topology without storing it. Same as POST /v1/plans?dryRun=true.',
    complexity: planningComplexity,
  })
  // Stores nothing: a read-only key may preview too, like POST /v1/plans?dryRun=true.
  @RequireScopes('plans:read', 'plans:write')
  async previewPlan(
    @Args('topology', { type: () => TopologyInputScalar }) topology: unknown,
    @Deadline() deadline: RequestDeadline,
  ): Promise<PlanPreview> {
    return this.service.preview(topology, deadline);
  }

  @Mutation(() => PlanModel, {
    description:
      'Re-plans a stored plan with a changed topology: a new revision, the old ones kept. Same as PUT /v1/plans/{id}.',
    complexity: planningComplexity,
  })
  @RequireScopes('plans:write')
  async revisePlan(
    @Args('id', { type: () => ID }) id: string,
    @Args('topology', { type: () => TopologyInputScalar }) topology: unknown,
    @CallerAccess() access: PlanAccess,
    @Deadline() deadline: RequestDeadline,
  ): Promise<StoredPlan> {
    return this.service.revise(id, topology, access, deadline);
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a plan and all its revisions. True when done; NOT_FOUND for an unknown id.',
  })
  @RequireScopes('plans:write')
  async deletePlan(
    @Args('id', { type: () => ID }) id: string,
    @CallerAccess() access: PlanAccess,
    @Deadline() deadline: RequestDeadline,
  ): Promise<boolean> {
    await this.service.delete(id, access, deadline);
    return true;
  }
}

@Resolver(() => PlanPreviewModel)
@UseFilters(GraphqlExceptionFilter)
export class PlanPreviewResolver extends ManifestsYamlResolver(PlanPreviewModel) {}

@Resolver(() => PlanEdgeModel)
@UseFilters(GraphqlExceptionFilter)
export class PlanEdgeResolver {
  @ResolveField('node', () => PlanModel, {
    description: 'The latest revision of the plan, in full. All the nodes of a page load in one query.',
  })
  node(@Parent() edge: PlanEdgeSource, @Context() context: GraphqlContext): Promise<StoredPlan> {
    return context.planLoader.load(edge.summary.id);
  }
}

/**
 * createPlan's key: the argument, else the request's Idempotency-Key header (so a client's generic
 * retry middleware works for GraphQL too). Both, and different: a mistake worth saying.
 */
function graphqlIdempotencyKey(argument: string | null | undefined, context: GraphqlContext): string | undefined {
  const fromArgument = parseIdempotencyKey(argument, 'idempotencyKey');
  const headers = (context.req as { headers?: Record<string, unknown> } | undefined)?.headers;
  const fromHeader = parseIdempotencyKey(headers?.[IDEMPOTENCY_KEY_HEADER]);
  if (fromArgument !== undefined && fromHeader !== undefined && fromArgument !== fromHeader) {
    throw DomainError.validation(
      [
        {
          path: 'idempotencyKey',
          message: 'differs from the Idempotency-Key header: send one of them, or the same key',
        },
      ],
      'The Idempotency-Key is not valid.',
    );
  }
  return fromArgument ?? fromHeader;
}
