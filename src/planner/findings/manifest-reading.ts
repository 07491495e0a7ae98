import { isAlbClass } from '../routing/classes.js';
import type { Component, KubeObject } from '../types.js';

/**
 * Reading the rendered objects. The checks judge what the manifests do, not what the plan meant
 * (a Service without its source ranges, a NetworkPolicy that selects no pod), and the manifests
 * are untyped JSON here: every reader checks the shape it reads.
 */

const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** Whether a NetworkPolicy object selects pods with these labels in this namespace for ingress. */
export function networkPolicySelects(object: KubeObject, labels: Record<string, string>, namespace: string): boolean {
  if (object.kind !== 'NetworkPolicy' || (object.metadata.namespace ?? namespace) !== namespace) {
    return false;
  }
  const spec = asRecord(object.spec);
  if (spec === undefined) {
    return false;
  }
  const policyTypes: unknown = spec.policyTypes;
  // Left out, policyTypes always includes Ingress (the API server defaults it so).
  if (Array.isArray(policyTypes) && !(policyTypes as unknown[]).includes('Ingress')) {
    return false;
  }
  const selector = asRecord(spec.podSelector);
  return selector !== undefined && labelSelectorMatches(selector, labels);
}

function labelSelectorMatches(selector: Record<string, unknown>, labels: Record<string, string>): boolean {
  const matchLabels = asRecord(selector.matchLabels) ?? {};
  const labelsMatch = Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
  const expressions: unknown[] = Array.isArray(selector.matchExpressions)
    ? (selector.matchExpressions as unknown[])
    : [];
  return (
    labelsMatch &&
    expressions.every((expression) => {
      const { key, operator, values } = asRecord(expression) ?? {};
      if (typeof key !== 'string') {
        return false;
      }
      const list: unknown[] = Array.isArray(values) ? (values as unknown[]) : [];
      switch (operator) {
        case 'In':
          return key in labels && list.includes(labels[key]);
        case 'NotIn':
          return !(key in labels) || !list.includes(labels[key]);
        case 'Exists':
          return key in labels;
        case 'DoesNotExist':
          return !(key in labels);
        default:
          return false;
      }
    })
  );
}

export function sourceRanges(component: Component, service: KubeObject | undefined): string[] {
  if (service === undefined) {
    return component.allowedSources;
  }
  const fromSpec = specField(service, 'loadBalancerSourceRanges');
  const ranges = Array.isArray(fromSpec) ? fromSpec.filter((range): range is string => typeof range === 'string') : [];
  const fromAnnotation = annotation(service, SOURCE_RANGES_ANNOTATION);
  if (fromAnnotation !== undefined) {
    ranges.push(
      ...fromAnnotation
        .split(',')
        .map((range) => range.trim())
        .filter((range) => range !== ''),
    );
  }
  return ranges;
}

export function isWholeAddressSpace(cidr: string): boolean {
  return cidr.trim().endsWith('/0');
}

export function ingressTlsCovers(ingressObject: KubeObject, host: string | undefined): boolean {
  const tls = asRecord(ingressObject.spec)?.tls;
  if (!Array.isArray(tls)) {
    return false;
  }
  return tls.some((entry) => {
    const hosts = asRecord(entry)?.hosts;
    if (!Array.isArray(hosts) || hosts.length === 0) {
      // A tls entry without hosts serves its certificate for every host the controller sees.
      return true;
    }
    return host !== undefined && hosts.some((pattern) => typeof pattern === 'string' && hostMatches(pattern, host));
  });
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) {
    // A wildcard covers exactly one label, as in certificates and Ingress rules.
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === pattern.slice(2);
  }
  return pattern === host;
}

/** The class an Ingress object names, by field or by the older annotation. */
export function isAlbIngress(ingressObject: KubeObject): boolean {
  const className = asRecord(ingressObject.spec)?.ingressClassName;
  return isAlbClass(
    typeof className === 'string' ? className : (annotation(ingressObject, 'kubernetes.io/ingress.class') ?? ''),
  );
}

export function objectKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

export function specField(object: KubeObject, field: string): unknown {
  return asRecord(object.spec)?.[field];
}

export function annotation(object: KubeObject | undefined, key: string): string | undefined {
  return object?.metadata.annotations?.[key];
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
