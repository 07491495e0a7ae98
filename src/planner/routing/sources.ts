import type { Component, Topology } from '../types.js';
import { isAlbClass } from './classes.js';
import { routedPath } from './ingress-path.js';
import { proxyClientAddress, proxyMisjudgesSources, proxySourcesConsequence } from './proxy-client-address.js';

/**
 * Traefik limits one route by the client address with an IPAllowList Middleware
 * (traefik.io/v1alpha1, https://doc.traefik.io/traefik/middlewares/http/ipallowlist/), which an
 * Ingress references through `traefik.ingress.kubernetes.io/router.middlewares`
 * (https://doc.traefik.io/traefik/routing/providers/kubernetes-ingress/#annotations). The
 * annotation applies to every route of its Ingress, so the restricted component gets an Ingress
 * of its own (routing/traefik-ingresses.ts) and the others stay open on the shared one.
 */
export function isTraefikClass(className: string): boolean {
  return className === 'traefik';
}

/**
 * allowedSources on a component behind the shared Ingress. The AWS Load Balancer Controller reads
 * `alb.ingress.kubernetes.io/conditions.<service>` on the Ingress and adds the conditions to every
 * rule whose backend is that Service, so one component can be limited without touching the others
 * on the same ALB:
 * https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/guide/ingress/annotations.md#conditions
 * A client outside the list does not match the rule and gets the listener's default (a 404).
 */

/**
 * AWS allows three match evaluations per condition and five per rule, host and path included
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html),
 * so three CIDRs is the most one source-ip condition can carry.
 */
export const ALB_MAX_SOURCE_CIDRS = 3;
const ALB_MAX_MATCHES_PER_RULE = 5;

/**
 * The match evaluations the controller spends on a component's rule before its source-ip
 * condition: one host-header value with a host, and the path-pattern values of its Prefix path,
 * one for "/" ("/*") and two for any other ("/admin" and "/admin/*"):
 * `buildPathPatternsForPrefixPathType`, pkg/ingress/model_build_listener_rules.go in
 * https://github.com/kubernetes-sigs/aws-load-balancer-controller (commit 225f445).
 */
function albRuleMatches(component: Component): { host: number; path: number } {
  return { host: component.host === undefined ? 0 : 1, path: routedPath(component) === '/' ? 1 : 2 };
}

/** The most CIDRs a source-ip condition on this component's ALB rule can carry without the rule exceeding AWS's limits. */
export function albSourceCidrLimit(component: Component): number {
  const { host, path } = albRuleMatches(component);
  return Math.max(0, Math.min(ALB_MAX_SOURCE_CIDRS, ALB_MAX_MATCHES_PER_RULE - host - path));
}

/** Why the ALB cannot hold this component's allowedSources on its rule, in one clause (the count is over albSourceCidrLimit). */
export function albSourceLimitReason(component: Component): string {
  const limit = albSourceCidrLimit(component);
  const listed = component.allowedSources.length;
  if (limit === ALB_MAX_SOURCE_CIDRS) {
    return `the ALB takes at most ${ALB_MAX_SOURCE_CIDRS} CIDRs in one source-ip condition and ${listed} are listed`;
  }
  const { host, path } = albRuleMatches(component);
  const spent = [
    ...(host === 0 ? [] : [`1 on the host ${component.host ?? ''}`]),
    `${path} on the path ${routedPath(component)} (the controller matches ${routedPath(component).replace(/\/$/, '')} and ${routedPath(component).replace(/\/$/, '')}/*)`,
  ].join(' and ');
  return `an ALB rule takes at most ${ALB_MAX_MATCHES_PER_RULE} match evaluations, and ${component.name}'s spends ${spent}, which leaves ${limit} CIDRs for its source-ip condition where ${listed} are listed`;
}

export const ALB_CONDITIONS_PREFIX = 'alb.ingress.kubernetes.io/conditions.';

/** An annotation key's name part (after the prefix) is at most 63 characters, so long Service names cannot carry one. */
const ANNOTATION_NAME_MAX = 63;

function conditionKeyFits(component: Component): boolean {
  return `conditions.${component.name}`.length <= ANNOTATION_NAME_MAX;
}

/** Whether the class restricts this component's sources per route on the shared load balancer. */
/**
 * `a host in <allowedSources>`: where a step that checks an entry point restricted to them must run
 * (VerificationStep.runFrom), since from anywhere else the correct answer is a refusal. Undefined without sources.
 */
export function sourceHosts(component: Component): string | undefined {
  return component.allowedSources.length > 0 ? `a host in ${component.allowedSources.join(', ')}` : undefined;
}

export function sourcesEnforcedAtL7(className: string, component: Component): boolean {
  if (component.allowedSources.length === 0) {
    return false;
  }
  return (
    isTraefikClass(className) ||
    (isAlbClass(className) &&
      component.allowedSources.length <= albSourceCidrLimit(component) &&
      conditionKeyFits(component))
  );
}

/** The Ingress annotations that limit routed components to their allowedSources, where the class can. */
export function sourceConditionAnnotations(className: string, routed: Component[]): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const component of routed) {
    if (isAlbClass(className) && sourcesEnforcedAtL7(className, component)) {
      annotations[`${ALB_CONDITIONS_PREFIX}${component.name}`] = JSON.stringify([
        { field: 'source-ip', sourceIpConfig: { values: component.allowedSources } },
      ]);
    }
  }
  return annotations;
}

/** A rationale line for a routed component with allowedSources: how they hold, or that they do not. */
export function routedSourcesNote(topology: Topology, className: string, component: Component): string[] {
  if (component.allowedSources.length === 0) {
    return [];
  }
  const sources = component.allowedSources.join(', ');
  if (sourcesEnforcedAtL7(className, component) && isTraefikClass(className)) {
    const middleware = `an IPAllowList Middleware (${component.name}-allowed-sources) on an Ingress of its own (traefik.ingress.kubernetes.io/router.middlewares)`;
    const verdict = proxyClientAddress(topology, 'Traefik', component);
    if (proxyMisjudgesSources(verdict)) {
      return [
        `allowedSources ${sources} are checked by ${middleware}, but ${proxySourcesConsequence(component, verdict)} (finding EXP040 says how to fix it); IPAllowList needs Traefik v2.11 or later`,
      ];
    }
    return [
      `allowedSources ${sources} hold on the shared Traefik through ${middleware}, so the other routed components stay open as asked; other clients get 403 Forbidden. Traefik must see the client address: set externalTrafficPolicy: Local on Traefik's LoadBalancer Service${topology.environment.platform === 'k3s' ? ' (k3s: a HelmChartConfig for traefik)' : ''}, or every client is refused; IPAllowList needs Traefik v2.11 or later`,
    ];
  }
  if (sourcesEnforcedAtL7(className, component)) {
    return [
      `allowedSources ${sources} hold on the shared ALB through a source-ip condition on ${component.name}'s rules (alb.ingress.kubernetes.io/conditions.${component.name}); other clients get the ALB's default 404, and the other routed components stay open as asked`,
    ];
  }
  const why = !isAlbClass(className)
    ? `the plan knows no per-route source restriction for class ${className}`
    : conditionKeyFits(component)
      ? albSourceLimitReason(component)
      : `the name ${component.name} is too long for the annotation key conditions.${component.name} (at most ${ANNOTATION_NAME_MAX} characters)`;
  return [
    `allowedSources ${sources} are NOT enforced: ${component.name} shares the Ingress's load balancer and ${why}, so anyone on the internet reaches it (finding EXP020 says how to restrict it)`,
  ];
}
