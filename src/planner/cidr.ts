import ipaddr from 'ipaddr.js';

type ParsedCidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parsed CIDRs by text, shared by every plan; cleared when full so that no input can grow it without bound. */
const parsed = new Map<string, ParsedCidr>();
const KEEP_AT_MOST = 4_096;

/**
 * `ipaddr.parseCIDR`, read once per distinct text. The NetworkPolicies ask for the same few ranges
 * (0.0.0.0/0, the private ranges, podCidr) for every component, and ipaddr.parseCIDR tries IPv6
 * first, failing through a regular expression and a thrown error for every IPv4 range: that was a
 * quarter of the planner's time. The result is only read (kind, match), never changed.
 */
export function parseCidr(cidr: string): ParsedCidr {
  let result = parsed.get(cidr);
  if (result === undefined) {
    // What ipaddr.parseCIDR does, without the failed attempt: an IPv6 range has a colon, an IPv4 one none.
    result = cidr.includes(':') ? ipaddr.IPv6.parseCIDR(cidr) : ipaddr.IPv4.parseCIDR(cidr);
    if (parsed.size >= KEEP_AT_MOST) {
      parsed.clear();
    }
    parsed.set(cidr, result);
  }
  return result;
}

/** Whether two ranges share an address (ranges of different families never do). */
export function cidrsOverlap(a: string, b: string): boolean {
  const [first, firstPrefix] = parseCidr(a);
  const [second, secondPrefix] = parseCidr(b);
  if (first.kind() !== second.kind()) {
    return false;
  }
  const prefix = Math.min(firstPrefix, secondPrefix);
  return first.match(second, prefix);
}

/**
 * The private IPv4 ranges a VPC's addresses come from: RFC 1918 and the RFC 6598 shared space
 * (100.64.0.0/10), which AWS accepts as a VPC CIDR and EKS uses for custom pod networking.
 */
export const PRIVATE_VPC_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'] as const;
