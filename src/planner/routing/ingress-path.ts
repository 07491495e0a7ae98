import type { Component } from '../types.js';

/**
 * The API server's rule for the `path` of an Ingress rule whose pathType is Prefix or Exact (the
 * planner emits Prefix): an absolute path without the sequences and endings a proxy would
 * normalise into another path. Copied from kubernetes/kubernetes
 * pkg/apis/networking/validation/validation.go (`invalidPathSequences`, `invalidPathSuffixes`,
 * `validateHTTPIngressPath`):
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/validation/validation.go
 * One rule for the topology's `path` (topology.ts) and the manifest check (kube-validation.ts).
 */

export const INVALID_INGRESS_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'] as const;
export const INVALID_INGRESS_PATH_SUFFIXES = ['/..', '/.'] as const;

/** Each reason the API server would refuse `path` for pathType Prefix or Exact, in its own words; empty when none. */
export function ingressPathProblems(path: string): string[] {
  const problems: string[] = [];
  if (!path.startsWith('/')) {
    problems.push('must be an absolute path');
  }
  if (path.length > 0) {
    for (const sequence of INVALID_INGRESS_PATH_SEQUENCES) {
      if (path.includes(sequence)) {
        problems.push(`must not contain '${sequence}'`);
      }
    }
    for (const suffix of INVALID_INGRESS_PATH_SUFFIXES) {
      if (path.endsWith(suffix)) {
        problems.push(`cannot end with '${suffix}'`);
      }
    }
  }
  return problems;
}

/** The path a routed component is served under: the one it asked for, else "/" (takenRoutes keeps them unique per host). */
export function routedPath(component: Pick<Component, 'path'>): string {
  return component.path ?? '/';
}
