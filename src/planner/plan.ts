import { estimateCost } from './cost.js';
import { publishedTopology } from './ports.js';
import { renderManifests } from './manifests.js';
import { networkPolicyCoverage, renderNetworkPolicies, withNetworkPolicyNotes } from './network-policies.js';
import { indexNetworkPolicies } from './findings/manifest-reading.js';
import { pricingForEnvironment, resolvePricing, type PricingOverride } from './pricing.js';
import { recommendAll } from './recommend.js';
import { assessSecurity } from './findings/index.js';
import { withRoutingApi, gatewayVerification, planGateway } from './routing/gateway-plan.js';
import { validateTopology } from './topology/index.js';
import type { PlanOutcome } from './types.js';
import { verificationSteps } from './verification.js';

/** Bumped whenever the same topology would get a different plan; stored with every revision. */
export const ENGINE_VERSION = '1.10.0';

export type PlanOptions = {
  /** Prices to use instead of the built-in dated table (merged over it, per provider). */
  pricing?: PricingOverride;
};

/**
 * The single entry point of the planner: a pure, deterministic function. The same input and the
 * same prices give a byte-identical plan. Bad input gives every problem as a value, never throws.
 */
export function plan(input: unknown, options: PlanOptions = {}): PlanOutcome {
  const validated = validateTopology(input);
  if (!validated.ok) {
    return validated;
  }
  const { topology } = validated;
  // The request's own prices win over the server's, which win over the built-in table; then the
  // environment's zones set the public addresses of a per-zone load balancer (AWS).
  const pricing = pricingForEnvironment(resolvePricing(options.pricing, topology.pricing), topology.environment);
  const recommended = recommendAll(topology, pricing);
  // Which components go through the shared L7 entry point is decided once; Gateway API only changes how.
  const gateway = planGateway(topology, recommended.recommendations, recommended.ingress);
  const { ingress } = recommended;
  const routedRecommendations = withRoutingApi(
    topology,
    recommended.recommendations,
    recommended.ingress,
    gateway,
    pricing,
  );
  // The NetworkPolicies are rendered once (they read no rationale) and indexed once: the rationale
  // notes, the plan's coverage and the findings all ask which of them select each component.
  const networkPolicies = renderNetworkPolicies(
    topology,
    routedRecommendations,
    ingress,
    gateway === null ? undefined : gateway.peers,
  );
  const networkPolicyIndex = indexNetworkPolicies(networkPolicies, topology.namespace);
  // What the NetworkPolicies select and admit is said in the rationale of each component with pods.
  const recommendations = withNetworkPolicyNotes(
    topology,
    routedRecommendations,
    ingress,
    gateway === null ? undefined : gateway.peers,
    networkPolicyIndex,
  );
  const manifests = renderManifests(topology, recommendations, ingress, gateway, networkPolicies);
  // The Ingress the recommender planned is replaced by the Gateway: nothing below may speak of it.
  const shownIngress = gateway === null ? ingress : null;
  // What reaches a component from outside is priced, judged and verified on its published ports
  // only (ports.ts); the manifests above carry the ports kept in-cluster on their own Service.
  const published = publishedTopology(topology);
  const cost = estimateCost(published, recommendations, ingress, pricing, gateway);
  return {
    ok: true,
    plan: {
      engineVersion: ENGINE_VERSION,
      topology,
      recommendations,
      ingress: shownIngress,
      gateway: gateway === null ? null : gateway.routing,
      manifests,
      // Read from the rendered policies, as EXP013 and EXP034 are: the counts and the findings agree.
      networkPolicyCoverage: networkPolicyCoverage(topology, recommendations, manifests, networkPolicyIndex),
      cost,
      findings: assessSecurity(published, recommendations, shownIngress, manifests, cost, networkPolicyIndex),
      verification: [
        ...verificationSteps(topology, recommendations, shownIngress),
        ...(gateway === null ? [] : gatewayVerification(published, gateway)),
      ],
    },
  };
}
