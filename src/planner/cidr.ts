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
