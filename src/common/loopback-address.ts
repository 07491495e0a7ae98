import { BlockList, isIP } from 'node:net';

// The loopback addresses: 127.0.0.0/8 and ::1. Node's BlockList also matches an IPv4 address
// written IPv4-mapped in IPv6 (::ffff:127.0.0.1, ::ffff:7f00:1) against the IPv4 subnet, and
// compares IPv6 addresses as numbers, whatever their spelling (0:0:0:0:0:0:0:1). (ipaddr.js would
// read the IPv4-compatible ::127.0.0.1, which is ::7f00:1 and not loopback, as ::ffff:127.0.0.1.)
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether an address is this machine's loopback, read by the platform's parser, not its spelling.
 * Shared by protected mode (who may call before the first API key) and the compose import (a port
 * bound to loopback is reached from the host alone).
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  const version = address === undefined ? 0 : isIP(address);
  return address !== undefined && version !== 0 && LOOPBACK.check(address, version === 4 ? 'ipv4' : 'ipv6');
}
