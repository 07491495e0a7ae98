import { PlanEdgeResolver, PlanPreviewResolver, PlansResolver } from './plans.resolver.js';

/** Every resolver class: the module provides them and the schema file is built from them. */
export const GRAPHQL_RESOLVERS = [PlansResolver, PlanPreviewResolver, PlanEdgeResolver];
