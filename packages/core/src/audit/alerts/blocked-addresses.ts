import { BlockList, isIP } from 'node:net';

/** Address ranges a webhook may not reach unless allowed. */
export type AddressCategory = 'loopback' | 'private' | 'link-local' | 'reserved';

function list(entries: readonly [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const blocks = new BlockList();
  for (const [net, prefix, type] of entries) blocks.addSubnet(net, prefix, type);
  return blocks;
}

// RFC 6890 special-purpose registries, grouped by what an allow option would mean.
const CATEGORIES: readonly [AddressCategory, BlockList][] = [
  [
    'loopback',
    list([
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ]),
  ],
  [
    'private',
    list([
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'], // CGNAT, RFC 6598
      ['fc00::', 7, 'ipv6'], // unique local, RFC 4193
    ]),
  ],
  [
    'link-local',
    list([
      ['169.254.0.0', 16, 'ipv4'], // includes the cloud metadata address 169.254.169.254
      ['fe80::', 10, 'ipv6'],
    ]),
  ],
  [
    'reserved',
    list([
      ['0.0.0.0', 8, 'ipv4'],
      ['192.0.0.0', 24, 'ipv4'],
      ['192.0.2.0', 24, 'ipv4'],
      ['198.18.0.0', 15, 'ipv4'],
      ['198.51.100.0', 24, 'ipv4'],
      ['203.0.113.0', 24, 'ipv4'],
      ['224.0.0.0', 4, 'ipv4'], // multicast
      ['240.0.0.0', 4, 'ipv4'], // reserved and broadcast
      ['::', 128, 'ipv6'],
      ['64:ff9b::', 96, 'ipv6'], // NAT64 can reach any IPv4 address, private ones included
      ['64:ff9b:1::', 48, 'ipv6'],
      ['100::', 64, 'ipv6'],
      ['2001:db8::', 32, 'ipv6'],
      ['2002::', 16, 'ipv6'], // 6to4 embeds an IPv4 address
      ['ff00::', 8, 'ipv6'],
    ]),
  ],
];

/** Which categories a sender may reach anyway (tests, internal alert receivers). */
export interface AddressAllowance {
  /** Default `false`. */
  readonly loopback?: boolean;
  /** 10/8, 172.16/12, 192.168/16, CGNAT 100.64/10, fc00::/7. Default `false`. */
  readonly private?: boolean;
  /** 169.254/16, fe80::/10. Default `false`. */
  readonly linkLocal?: boolean;
  /** IPv4-mapped IPv6 (::ffff:a.b.c.d) is refused outright unless this is `true`; it is then judged as its IPv4 address. */
  readonly ipv4Mapped?: boolean;
}

/**
 * Why an address may not be contacted, or `undefined` when it may. Not an IP address at all is
 * refused too.
 *
 * @example
 * addressRefusal('169.254.169.254', {}); // 'link-local'
 * addressRefusal('::ffff:127.0.0.1', {}); // 'ipv4-mapped'
 */
export function addressRefusal(address: string, allow: AddressAllowance): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not-an-ip';
  let ip = address;
  let type: 'ipv4' | 'ipv6' = family === 4 ? 'ipv4' : 'ipv6';
  if (type === 'ipv6') {
    const mapped = mappedIpv4(ip);
    if (mapped !== undefined) {
      // ::ffff:10.0.0.1 reaches 10.0.0.1; attackers use it to slip past IPv4-only lists.
      if (!allow.ipv4Mapped) return 'ipv4-mapped';
      ip = mapped;
      type = 'ipv4';
    }
  }
  for (const [category, blocks] of CATEGORIES) {
    if (!blocks.check(ip, type)) continue;
    if (category === 'loopback' && allow.loopback) return undefined;
    if (category === 'private' && allow.private) return undefined;
    if (category === 'link-local' && allow.linkLocal) return undefined;
    return category;
  }
  return undefined;
}

const MAPPED = new BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

function mappedIpv4(ipv6: string): string | undefined {
  if (!MAPPED.check(ipv6, 'ipv6')) return undefined;
  const lower = ipv6.toLowerCase();
  const dotted = lower.lastIndexOf(':');
  const tail = lower.slice(dotted + 1);
  if (isIP(tail) === 4) return tail;
  // ::ffff:7f00:1 form: the last two hextets are the IPv4 address.
  const parts = lower.split(':');
  const hi = Number.parseInt(parts.at(-2) ?? '0', 16);
  const lo = Number.parseInt(parts.at(-1) ?? '0', 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}
