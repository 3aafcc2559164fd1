import { isIPv6 } from 'node:net';
import { re2 } from './re2-cache.js';

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const isHex = (ch: string | undefined): boolean =>
  ch !== undefined && ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'));
const isWordish = (ch: string | undefined): boolean =>
  ch !== undefined && (isDigit(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_');

/**
 * IPv4 dotted quad (optionally with a CIDR suffix): four octets 0–255, not glued to letters or
 * to more dotted digits (so `1.2.3.4.5` and `text192.168.1.1` are not addresses).
 *
 * @example
 * ipv4Valid('10.0.0.1', 'host 10.0.0.1', 5, 13); // true
 */
export function ipv4Valid(value: string, text: string, start: number, end: number): boolean | number {
  // Neighbours first: inside a run of dotted digits (`1.1.1.1.1…`) this rejects at once.
  const before = text[start - 1];
  if (before !== undefined && (isWordish(before) || (before === '.' && isDigit(text[start - 2] ?? ''))))
    return false;
  const [address, prefix] = value.split('/');
  if (prefix !== undefined && Number(prefix) > 32)
    return ipv4Valid(address!, text, start, start + address!.length) ? address!.length : false;
  const octets = address!.split('.');
  if (octets.length !== 4) return false;
  for (const octet of octets) {
    if (octet.length === 0 || octet.length > 3 || Number(octet) > 255) return false;
    if (octet.length > 1 && octet.startsWith('0')) return false;
  }
  const after = text[end];
  if (after !== undefined && (isWordish(after) || (after === '.' && isDigit(text[end + 1] ?? ''))))
    return false;
  return true;
}

/**
 * IPv6 address (RFC 4291 text forms, optional CIDR suffix), checked by `net.isIPv6`. Short forms
 * with fewer than three groups count only when a group is four hex digits or the address is
 * `::`, `::1` or IPv4-mapped, so `a::b` in source code and `1:2:3:4` ratios are not addresses.
 *
 * @example
 * ipv6Valid('2001:db8::1', '2001:db8::1', 0, 11); // true
 */
export function ipv6Valid(value: string, text: string, start: number, end: number): boolean | number {
  // 45 characters for the longest text form (IPv4-mapped, RFC 4291 §2.2) and `/128`.
  if (value.length > 49) return false;
  const [address, prefix] = value.split('/');
  if (address === undefined || !isIPv6(address)) return false;
  if (prefix !== undefined && (prefix.length === 0 || Number(prefix) > 128)) return address.length;
  // "::ffff:192.168.1" is a truncated IPv4-mapped address, not "::ffff:192".
  if (text[end] === '.' && isDigit(text[end + 1] ?? '')) return false;
  const groups = address.split(':').filter((g) => g.length > 0);
  const strong =
    groups.length >= 3 ||
    address === '::' ||
    address === '::1' ||
    address.includes('.') ||
    groups.some((g) => g.length === 4);
  if (!strong) return false;
  const before = text[start - 1];
  const after = text[end];
  if (before !== undefined && (isWordish(before) || before === ':')) return false;
  if (after !== undefined && (isWordish(after) || after === ':')) return false;
  return true;
}

/**
 * MAC address in colon, dash or Cisco dot notation, one separator style throughout.
 *
 * @example
 * macValid('00:1A:2B:3C:4D:5E'); // true
 */
export function macValid(value: string, text: string, start: number, end: number): boolean {
  if (value.length !== 17 && value.length !== 14) return false;
  if (value.includes('.')) {
    if (!re2(String.raw`^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$`).test(value)) return false;
  } else {
    const separator = value[2];
    if (!value.split('').every((ch, i) => (i % 3 === 2 ? ch === separator : isHex(ch)))) return false;
  }
  // All-zero and broadcast addresses identify no device.
  const hex = value.replace(re2('[^0-9A-Fa-f]', 'g'), '').toLowerCase();
  if (hex === '000000000000' || hex === 'ffffffffffff') return false;
  const before = text[start - 1];
  const after = text[end];
  if (before !== undefined && (isWordish(before) || before === ':' || before === '-')) return false;
  if (
    after !== undefined &&
    (isWordish(after) || ((after === ':' || after === '-') && isHex(text[end + 1] ?? '')))
  ) {
    return false;
  }
  return true;
}
