import { describe, expect, it } from 'vitest';
import type { GuardRequest } from '../pipeline/request.js';
import { canonicalIp, createClientIpResolver, ipLimitKey } from './client-ip.js';

function request(remoteAddress: string | undefined, xff?: string, clientIp?: string): GuardRequest {
  return {
    method: 'GET',
    url: '/v1/models',
    header: (name) => (name === 'x-forwarded-for' ? xff : undefined),
    clientIp,
    remoteAddress,
    body: { kind: 'none' },
  };
}

describe('createClientIpResolver', () => {
  it('never trusts X-Forwarded-For by default', () => {
    const resolve = createClientIpResolver();
    expect(resolve(request('203.0.113.9', '1.2.3.4'))).toBe('203.0.113.9');
    expect(resolve(request('10.0.0.1', '1.2.3.4', '10.0.0.1'))).toBe('10.0.0.1');
  });

  it('walks X-Forwarded-For right to left through trusted hops only', () => {
    const resolve = createClientIpResolver({ trustedProxies: ['10.0.0.0/8', '192.168.1.5'] });
    // client → CDN edge (untrusted 198.51.100.7 is the first untrusted from the right) → LB → app
    expect(resolve(request('10.0.0.2', '6.6.6.6, 198.51.100.7, 192.168.1.5'))).toBe('198.51.100.7');
    // A spoofed left-most entry is ignored: the nearest untrusted hop wins.
    expect(resolve(request('10.0.0.2', 'spoofed, 203.0.113.1'))).toBe('203.0.113.1');
    // Every hop trusted: the left-most one is the client.
    expect(resolve(request('10.0.0.2', '10.1.1.1, 10.2.2.2'))).toBe('10.1.1.1');
  });

  it('ignores X-Forwarded-For when the peer is not a trusted proxy', () => {
    const resolve = createClientIpResolver({ trustedProxies: ['10.0.0.0/8'] });
    expect(resolve(request('203.0.113.9', '1.2.3.4'))).toBe('203.0.113.9');
  });

  it('stops at a malformed entry and keeps the last trusted hop', () => {
    const resolve = createClientIpResolver({ trustedProxies: ['10.0.0.0/8'] });
    expect(resolve(request('10.0.0.2', '1.2.3.4, not-an-ip'))).toBe('10.0.0.2');
  });

  it('treats IPv4-mapped IPv6 peers and ports like plain addresses', () => {
    const resolve = createClientIpResolver({ trustedProxies: ['127.0.0.1', '::1'] });
    expect(resolve(request('::ffff:127.0.0.1', '[2001:db8::5]:443'))).toBe('2001:db8::5');
    expect(resolve(request('::1', '198.51.100.1:8080'))).toBe('198.51.100.1');
  });

  it('rejects an invalid trusted proxy at startup', () => {
    expect(() => createClientIpResolver({ trustedProxies: ['10.0.0.0/33'] })).toThrow(/trustedProxies/);
    expect(() => createClientIpResolver({ trustedProxies: ['nope'] })).toThrow(/trustedProxies/);
  });
});

describe('ipLimitKey', () => {
  it('groups IPv6 addresses by prefix and leaves IPv4 alone', () => {
    expect(ipLimitKey('203.0.113.9')).toBe('203.0.113.9');
    expect(ipLimitKey('2001:db8:1:2aff::1')).toBe('2001:db8:1:2a00::/56');
    expect(ipLimitKey('2001:db8:1:2a01:ffff:1:2:3')).toBe('2001:db8:1:2a00::/56');
    expect(ipLimitKey('2001:db8:1:2b00::1')).not.toBe(ipLimitKey('2001:db8:1:2a00::1'));
    expect(ipLimitKey('2001:db8::1', 64)).toBe('2001:db8::/64');
    expect(ipLimitKey('2001:db8:0:0:1:2:3:4', 128)).toBe('2001:db8:0:0:1:2:3:4/128');
    // IPv4-mapped addresses from dual-stack sockets are their IPv4 client, never one shared prefix.
    expect(ipLimitKey('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(ipLimitKey('::ffff:5.6.7.8')).toBe('5.6.7.8');
    expect(ipLimitKey('2001:DB8::1', 64)).toBe('2001:db8::/64');
  });

  it('canonicalIp rejects what is not an address', () => {
    expect(canonicalIp('unknown')).toBeUndefined();
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1');
  });
});
