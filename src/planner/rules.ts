import { SEVERITIES, type Platform, type Role, type Severity } from './types.js';

/**
 * Rules that several parts of the planner (and the transports around it) must apply the same way:
 * each is defined here once, so validation, the recommender, the renderers, the findings and the
 * chat replies cannot disagree about it.
 */

/** Roles that hold data: never reachable from outside the cluster, whatever is asked. */
export const DATA_STORE_ROLES = ['database', 'cache', 'queue'] as const satisfies readonly Role[];

export function isDataStore(role: Role): boolean {
  return (DATA_STORE_ROLES as readonly Role[]).includes(role);
}

/**
 * A StatefulSet with ports that runs in this cluster gets the headless Service `<name>-headless`
 * (clusterIP: None), its governing Service, for stable pod identity; nothing else does. Typed
 * loosely so that validation can ask it of raw input before the shape is known to be right.
 */
export function getsHeadlessService(component: {
  workload: unknown;
  externalName?: unknown;
  ports: readonly unknown[];
}): boolean {
  return component.workload === 'StatefulSet' && component.externalName === undefined && component.ports.length > 0;
}

/** The default `--service-node-port-range` of the API server: the only node ports a Service may pin. */
export const NODE_PORT_RANGE = { min: 30_000, max: 32_767 } as const;

/**
 * The lower band of a node-port range that KEP-3668 keeps for pinned ports: min(max(16, size/32), 128)
 * ports from the start. For the default range that is 30000-30085.
 */
export function nodePortStaticBand(range: { min: number; max: number } = NODE_PORT_RANGE): {
  min: number;
  max: number;
} {
  const size = range.max - range.min + 1;
  const bandSize = Math.min(Math.max(16, Math.floor(size / 32)), 128);
  return { min: range.min, max: range.min + bandSize - 1 };
}

/** Clusters that run on one machine for development; nothing outside that machine reaches them. */
export const LOCAL_PLATFORMS = ['kind', 'minikube'] as const satisfies readonly Platform[];

export function isLocalPlatform(platform: Platform): boolean {
  return (LOCAL_PLATFORMS as readonly Platform[]).includes(platform);
}

/** 0 for the most severe (critical) up to info: findings are listed most severe first everywhere. */
export function severityOrder(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Whether `severity` is `threshold` or worse: a list filter's minSeverity, the CLI's --fail-on. */
export function isAtLeastAsSevere(severity: Severity, threshold: Severity): boolean {
  return severityOrder(severity) <= severityOrder(threshold);
}
