import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressRefusal } from './blocked-addresses.js';
import { createWebhookSender, type WebhookResolver } from './webhook-sender.js';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = 'webhook-test-secret-0123456789abcdef0123';

describe('addressRefusal', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'reserved'],
    ['::ffff:10.0.0.1', 'ipv4-mapped'],
    ['::ffff:7f00:1', 'ipv4-mapped'],
    ['64:ff9b::a00:1', 'reserved'],
    ['not-an-ip', 'not-an-ip'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(addressRefusal(address, {})).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'])('allows public %s', (address) => {
    expect(addressRefusal(address, {})).toBeUndefined();
  });

  it('allows a category only when asked, and judges mapped addresses by their IPv4 part', () => {
    expect(addressRefusal('127.0.0.1', { loopback: true })).toBeUndefined();
    expect(addressRefusal('10.0.0.1', { loopback: true })).toBe('private');
    expect(addressRefusal('::ffff:127.0.0.1', { ipv4Mapped: true })).toBe('loopback');
    expect(addressRefusal('::ffff:8.8.8.8', { ipv4Mapped: true })).toBeUndefined();
  });
});

describe('createWebhookSender', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let replies: number[] = [];
  let hang = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (hang) return;
        res.writeHead(replies.shift() ?? 204).end();
      });
    });
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const fixed =
    (...addresses: string[]): WebhookResolver =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it.each([
    ['a literal 127.0.0.1', () => `http://127.0.0.1:${port}/hook`, undefined, 'refused:loopback'],
    ['a literal [::1]', () => `http://[::1]:${port}/hook`, undefined, 'refused:loopback'],
    [
      'a literal 169.254.169.254',
      () => 'http://169.254.169.254/latest/meta-data',
      undefined,
      'refused:link-local',
    ],
    [
      'a name resolving to 127.0.0.1',
      () => `http://hooks.test:${port}/`,
      fixed('127.0.0.1'),
      'refused:loopback',
    ],
    ['a name resolving to 10/8', () => `http://hooks.test:${port}/`, fixed('10.20.30.40'), 'refused:private'],
    [
      'a name resolving to the metadata address',
      () => `http://hooks.test:${port}/`,
      fixed('169.254.169.254'),
      'refused:link-local',
    ],
    ['a name resolving to ::1', () => `http://hooks.test:${port}/`, fixed('::1'), 'refused:loopback'],
    [
      'a name resolving to IPv4-mapped loopback',
      () => `http://hooks.test:${port}/`,
      fixed('::ffff:127.0.0.1'),
      'refused:ipv4-mapped',
    ],
    [
      'a name with one public and one private address',
      () => `http://hooks.test:${port}/`,
      fixed('8.8.8.8', '10.0.0.1'),
      'refused:private',
    ],
  ])('refuses %s before connecting', async (_name, url, resolver, error) => {
    const before = connections;
    const hook = createWebhookSender({
      url: url(),
      secret: SECRET,
      retries: 2,
      backoffMs: 1,
      ...(resolver ? { resolver } : {}),
    });
    const delivery = await hook.send({ type: 'test' });
    expect(delivery).toMatchObject({ ok: false, error });
    expect(connections).toBe(before);
  });

  it('refuses DNS that changes between the check and the connect (rebinding)', async () => {
    let calls = 0;
    // First answer public (passes the early check), every later one loopback (the connect).
    const rebinding: WebhookResolver = async () => {
      calls += 1;
      return [{ address: calls === 1 ? '8.8.8.8' : '127.0.0.1', family: 4 }];
    };
    const before = connections;
    const hook = createWebhookSender({
      url: `http://rebind.test:${port}/hook`,
      secret: SECRET,
      resolver: rebinding,
      retries: 0,
    });
    const delivery = await hook.send({ type: 'test' });
    expect(delivery).toMatchObject({ ok: false, error: 'refused:loopback' });
    expect(calls).toBe(2);
    expect(connections).toBe(before);
  });

  it('delivers to an allowed loopback receiver; the documented recipe verifies the signature', async () => {
    received.length = 0;
    const hook = createWebhookSender({
      url: `http://localhost.test:${port}/hook`,
      secret: SECRET,
      allow: { loopback: true },
      resolver: fixed('127.0.0.1'),
    });
    const delivery = await hook.send({ type: 'llmguard.alert', rule: 'r1' });
    expect(delivery).toMatchObject({ ok: true, status: 204, attempts: 1 });
    const [hit] = received;
    const header = hit!.headers['llmguard-signature'] as string;
    expect(hit!.headers['llmguard-webhook-id']).toBe(delivery.id);
    // The recipe from docs/audit.md, written out with node:crypto only.
    const { createHmac } = await import('node:crypto');
    const t = /t=(\d+)/.exec(header)![1]!;
    const v1 = /v1=([0-9a-f]{64})/.exec(header)![1]!;
    expect(createHmac('sha256', SECRET).update(`${t}.${hit!.body}`).digest('hex')).toBe(v1);
    expect(verifyWebhookSignature({ secret: SECRET, header, body: hit!.body }).ok).toBe(true);
    // Replays outside the tolerance and edited bodies fail.
    expect(
      verifyWebhookSignature({ secret: SECRET, header, body: hit!.body, nowSec: Number(t) + 301 }),
    ).toEqual({ ok: false, reason: 'expired' });
    expect(verifyWebhookSignature({ secret: SECRET, header, body: hit!.body.replace('r1', 'r2') })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature({ secret: SECRET, header: 'v1=zz', body: '' })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(signWebhook(SECRET, 'x', 1)).toBe(
      `t=1,v1=${createHmac('sha256', SECRET).update('1.x').digest('hex')}`,
    );
  });

  it('retries 503 and 429 with backoff, keeping the delivery id; does not retry other 4xx', async () => {
    received.length = 0;
    replies = [503, 429, 204];
    const hook = createWebhookSender({
      url: `http://127.0.0.1:${port}/hook`,
      secret: SECRET,
      allow: { loopback: true },
      backoffMs: 5,
    });
    expect(await hook.send({ n: 1 })).toMatchObject({ ok: true, attempts: 3 });
    expect(new Set(received.map((r) => r.headers['llmguard-webhook-id'])).size).toBe(1);
    replies = [400];
    expect(await hook.send({ n: 2 })).toMatchObject({
      ok: false,
      attempts: 1,
      status: 400,
      error: 'http:400',
    });
  });

  it('gives up after the timeout', async () => {
    hang = true;
    const hook = createWebhookSender({
      url: `http://127.0.0.1:${port}/hook`,
      secret: SECRET,
      allow: { loopback: true },
      timeoutMs: 100,
      retries: 1,
      backoffMs: 1,
    });
    expect(await hook.send({ n: 3 })).toMatchObject({ ok: false, attempts: 2, error: 'timeout' });
    hang = false;
  });

  it('rejects bad options at construction', () => {
    expect(() => createWebhookSender({ url: 'ftp://example.com/', secret: SECRET })).toThrow(
      /http and https/,
    );
    expect(() => createWebhookSender({ url: 'https://u:p@example.com/', secret: SECRET })).toThrow(
      /credentials/,
    );
    expect(() => createWebhookSender({ url: 'https://example.com/', secret: 'short' })).toThrow(/32 bytes/);
  });
});
