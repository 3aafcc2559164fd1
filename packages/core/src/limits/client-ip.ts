import { BlockList, isIP } from 'node:net';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import type { GuardRequest } from '../pipeline/request.js';

/** Options of {@link createClientIpResolver}. */
export interface ClientIpOptions {
  /**
   * Addresses or CIDR ranges of the proxies in front of the app (load balancer, CDN, ingress).
   * Only when the socket peer is one of them is `X-Forwarded-For` read, right to left, skipping
   * trusted hops. Default: none, so `X-Forwarded-For` is never trusted and the framework's value
   * (or the socket address) is used.
   *
   * @example ['10.0.0.0/8', '127.0.0.1', '2001:db8::/32']
   */
  readonly trustedProxies?: readonly string[];
}

/**
 * Strips the IPv4-mapped IPv6 prefix (`::ffff:192.0.2.1` → `192.0.2.1`) and the zone id, so one
 * client has one address whatever socket family it arrived on.
 */
export function canonicalIp(address: string): string | undefined {
  let value = address.trim();
  // `[2001:db8::1]:443` style (some proxies write a port into X-Forwarded-For).
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end === -1) return undefined;
    value = value.slice(1, end);
  } else if (
    value.indexOf(':') !== -1 &&
    value.indexOf(':') === value.lastIndexOf(':') &&
    value.indexOf('.') !== -1
  ) {
    value = value.slice(0, value.indexOf(':')); // `192.0.2.1:8080`
  }
  const zone = value.indexOf('%');
  if (zone !== -1) value = value.slice(0, zone);
  const lower = value.toLowerCase();
  if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) return lower.slice(7);
  return isIP(lower) === 0 ? undefined : lower;
}

function buildBlockList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const slash = range.indexOf('/');
    const address = canonicalIp(slash === -1 ? range : range.slice(0, slash));
    const family = address === undefined ? 0 : isIP(address);
    const prefix = slash === -1 ? (family === 4 ? 32 : 128) : Number(range.slice(slash + 1));
    if (
      address === undefined ||
      !Number.isInteger(prefix) ||
      prefix < 0 ||
      prefix > (family === 4 ? 32 : 128) ||
      (slash !== -1 && range.slice(slash + 1).trim() === '')
    ) {
      throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
        detail: `Invalid option "limits.trustedProxies": "${range}" is not an IP address or CIDR range.`,
      });
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

/**
 * Builds the pipeline's `resolveClientIp`. Without `trustedProxies` it returns the framework's
 * trusted value (or the socket address). With them, it starts at the socket peer and walks
 * `X-Forwarded-For` from the right while the current hop is a trusted proxy: the first address
 * not in the list is the client. A client can prepend anything to the header, so entries left of
 * the first untrusted hop are never used (this is what stops rate-limit evasion by spoofing).
 *
 * @example
 * const resolveClientIp = createClientIpResolver({ trustedProxies: ['10.0.0.0/8'] });
 * createGuardPipeline({ guards, resolveClientIp });
 */
export function createClientIpResolver(
  options: ClientIpOptions = {},
): (request: GuardRequest) => string | undefined {
  const ranges = options.trustedProxies ?? [];
  if (ranges.length === 0) {
    return function frameworkClientIp(request) {
      const raw = request.clientIp ?? request.remoteAddress;
      return raw === undefined ? undefined : (canonicalIp(raw) ?? raw);
    };
  }
  const trusted = buildBlockList(ranges);
  const isTrusted = (ip: string): boolean => trusted.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
  return function trustedProxyClientIp(request) {
    const peer = request.remoteAddress === undefined ? undefined : canonicalIp(request.remoteAddress);
    if (peer === undefined) return request.clientIp;
    let current = peer;
    if (!isTrusted(current)) return current;
    const header = request.header('x-forwarded-for');
    if (header === undefined) return current;
    const hops = header.split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = canonicalIp(hops[i] ?? '');
      // A malformed entry ends the walk: the last trusted hop stands in for the client (stricter, never spoofable).
      if (hop === undefined) return current;
      current = hop;
      if (!isTrusted(current)) return current;
    }
    return current;
  };
}

/**
 * The limit key for an address: IPv4 as is, IPv6 cut to its first `v6Prefix` bits (default 56,
 * the usual size of one customer's delegation), so one subscriber cannot rotate through 2^72
 * addresses to dodge a limit.
 *
 * @example ipLimitKey('2001:db8:1:2aff::1', 56) // '2001:db8:1:2a00::/56'
 */
export function ipLimitKey(raw: string, v6Prefix = 56): string {
  // `::ffff:192.0.2.1` (dual-stack sockets) must count as the IPv4 client, not as one shared /56.
  const address = canonicalIp(raw) ?? raw;
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  if (groups === undefined) return address;
  const out: number[] = [];
  for (let i = 0; i < 8; i++) {
    const bits = Math.max(0, Math.min(16, v6Prefix - i * 16));
    const mask = bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
    out.push((groups[i] ?? 0) & mask);
  }
  let last = 8;
  while (last > 0 && out[last - 1] === 0) last--;
  const head = out.slice(0, last).map((g) => g.toString(16));
  return `${head.join(':')}${last < 8 ? '::' : ''}/${v6Prefix}`;
}

function expandIpv6(address: string): number[] | undefined {
  let text = address;
  const groups: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  let v4: number[] = [];
  if (tail.indexOf('.') !== -1) {
    const parts = tail.split('.').map(Number);
    v4 = [((parts[0] ?? 0) << 8) | (parts[1] ?? 0), ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)];
    text = `${text.slice(0, lastColon + 1)}0`;
  }
  const halves = text.split('::');
  const left = halves[0] === '' ? [] : (halves[0] ?? '').split(':');
  const right = halves.length > 1 && halves[1] !== '' ? (halves[1] ?? '').split(':') : [];
  const width = 8 - (v4.length > 0 ? 1 : 0);
  const fill = width - left.length - right.length;
  if (fill < 0) return undefined;
  for (const g of left) groups.push(Number.parseInt(g, 16));
  if (halves.length > 1) for (let i = 0; i < fill; i++) groups.push(0);
  for (const g of right) groups.push(Number.parseInt(g, 16));
  if (v4.length > 0) {
    groups.pop();
    groups.push(...v4);
  }
  return groups.length === 8 ? groups : undefined;
}
