import type { Platform } from '../types.js';

/**
 * How far a finding's component is really exposed, where that changes its severity
 * (docs/findings.md, "Severity column").
 */

/**
 * A source no wider than one small network: an IPv4 /24 (256 addresses, one office or one subnet)
 * or an IPv6 /64 (one subnet). A public data store whose every allowed source is this narrow is
 * not reachable by internet-wide scanners, so EXP001 stays high instead of critical.
 */
export const NARROW_IPV4_PREFIX = 24;
export const NARROW_IPV6_PREFIX = 64;

/** Whether a CIDR (or a bare address, a host) is at most a /24 (IPv4) or a /64 (IPv6). */
export function isNarrowSource(source: string): boolean {
  const [address = '', prefixText] = source.trim().split('/');
  const ipv6 = address.includes(':');
  const prefix = prefixText === undefined ? (ipv6 ? 128 : 32) : Number(prefixText);
  if (!Number.isInteger(prefix)) {
    return false;
  }
  return prefix >= (ipv6 ? NARROW_IPV6_PREFIX : NARROW_IPV4_PREFIX);
}

/**
 * Whether "public" can put the node addresses on the internet. kind nodes are containers on a
 * Docker network of the local machine, and minikube's node is a container or a VM there: what
 * the topology calls public is reached from that machine (or through explicit port mappings),
 * so node-port and sensitive-port findings keep their usual severity.
 */
export function nodesMayBeOnTheInternet(platform: Platform): boolean {
  return platform !== 'kind' && platform !== 'minikube';
}
