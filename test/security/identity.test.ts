import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiKeyRecord, FileKeyStore, generateApiKey, type LlmGuardOptions } from '@llmguard/core';
import { base64url, exportSPKI, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type RunningApp, startApp } from '../helpers/apps.js';
import { createSigningKey, type JwksServer, startJwksServer } from '../helpers/jwks-server.js';

// Acceptance A of the identity layer: every forged, stale or malformed credential and every path
// trick is refused over real HTTP on each adapter, with a real JWKS served over HTTP.

const PROBLEM = 'https://llmguard.dev/problems/';
const COOLDOWN_MS = 1000;
const CHAT = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });

let idp: JwksServer;
let dir: string;
let store: FileKeyStore;
const keys = { user: '', revoked: '', expired: '' };

beforeAll(async () => {
  idp = await startJwksServer();
  dir = await mkdtemp(join(tmpdir(), 'llmguard-identity-'));
  store = new FileKeyStore(join(dir, 'keys.json'));
  const now = Date.now();
  const make = async (extra: Partial<ApiKeyRecord>): Promise<string> => {
    const { key, id, hash } = generateApiKey();
    await store.put({
      id,
      hash,
      roles: ['user'],
      scopes: [],
      createdAt: new Date(now).toISOString(),
      ...extra,
    });
    return key;
  };
  keys.user = await make({});
  keys.revoked = await make({});
  keys.expired = await make({ expiresAt: new Date(now - 1000).toISOString() });
  await store.revoke(keys.revoked.split('_')[1]!);
});

afterAll(async () => {
  await idp.close();
  await rm(dir, { recursive: true, force: true });
});

function guardOptions(): LlmGuardOptions {
  return {
    // Only identity is under test here: no audit output, no rate limits in the way of 1,000 requests,
    // no scoring of the same prompt sent hundreds of times.
    audit: false,
    limits: false,
    injection: false,
    pii: false,
    identity: {
      apiKeys: { store },
      jwt: {
        issuers: [
          {
            issuer: idp.issuer,
            audience: 'llm-api',
            algorithms: ['RS256'],
            jwksUri: idp.jwksUri,
            jwksCooldownMs: COOLDOWN_MS,
          },
        ],
      },
    },
  };
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Raw request with node:http: the path is sent byte for byte (fetch would resolve `..` first). */
function send(
  app: RunningApp,
  path: string,
  headers: Record<string, string> = {},
  body = CHAT,
  agent: Agent | false = false,
): Promise<Reply> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          ...headers,
        },
        agent,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function problemOf(reply: Reply): { type?: string; code?: string; detail?: string } {
  return JSON.parse(reply.body) as { type?: string; code?: string; detail?: string };
}

function expectRefused(reply: Reply, slug: string, status: number): void {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toContain('application/problem+json');
  expect(problemOf(reply).type).toBe(PROBLEM + slug);
  if (status === 401) expect(reply.headers['www-authenticate']).toMatch(/^Bearer realm="llmguard"/);
}

describe.each(ADAPTERS)('%s: identity attacks', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(adapter, { guard: guardOptions() });
  });
  afterAll(() => app.close());

  it('lets a valid JWT and a valid API key through (baseline)', async () => {
    const jwt = await send(app, '/v1/chat/completions', {
      authorization: `Bearer ${await idp.sign({ roles: ['user'] })}`,
    });
    expect(jwt.status).toBe(200);
    const key = await send(app, '/v1/chat/completions', { 'x-api-key': keys.user });
    expect(key.status).toBe(200);
    expect(app.calls.at(-1)?.guard?.context.principal?.kind).toBe('api-key');
  });

  it('refuses forged, stale and malformed JWTs with 401 invalid-credentials', async () => {
    const now = Math.floor(Date.now() / 1000);
    const valid = await idp.sign({ roles: ['user'] });
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<string, unknown>;
    const tampered = `${header}.${base64url.encode(JSON.stringify({ ...claims, roles: ['admin'] }))}.${signature}`;
    const pem = await exportSPKI(idp.key.publicKey);
    const confused = await new SignJWT({
      sub: 'mallory',
      roles: ['admin'],
      iss: idp.issuer,
      aud: 'llm-api',
      exp: now + 60,
    })
      .setProtectedHeader({ alg: 'HS256', kid: idp.key.kid })
      .sign(new TextEncoder().encode(pem));
    const unsecured = new UnsecuredJWT({ sub: 'mallory', roles: ['admin'], exp: now + 60 })
      .setIssuer(idp.issuer)
      .setAudience('llm-api')
      .encode();
    const cases: [string, string][] = [
      ['alg none', unsecured],
      [
        'alg none with an empty signature and a kid',
        `${base64url.encode('{"alg":"none","kid":"key-1"}')}.${payload}.`,
      ],
      ['HS256 signed with the RSA public key', confused],
      ['expired', await idp.sign({ exp: now - 3600 })],
      ['not yet valid', await idp.sign({ nbf: now + 3600 })],
      ['wrong iss', await idp.sign({ iss: 'https://attacker.example' })],
      ['wrong aud', await idp.sign({ aud: 'another-api' })],
      ['tampered payload', tampered],
      ['signature of another token', `${header}.${payload}.${(await idp.sign({ sub: 'x' })).split('.')[2]}`],
      ['oversize token', `${header}.${'A'.repeat(10_000)}.${signature}`],
      ['malformed base64', `${header}.${payload.slice(0, -1)}~.${signature}`],
      ['malformed header JSON', `${base64url.encode('{"alg":')}.${payload}.${signature}`],
      ['two segments', `${header}.${payload}`],
    ];
    for (const [name, token] of cases) {
      const reply = await send(app, '/v1/chat/completions', { authorization: `Bearer ${token}` });
      expectRefused(reply, 'invalid-credentials', 401);
      expect(reply.headers['www-authenticate'], name).toMatch(/error="invalid_(token|request)"/);
    }
    expect(app.calls.filter((c) => c.guard?.context.principal?.id === 'mallory')).toHaveLength(0);
  });

  it('refuses bad-checksum, unknown, revoked and expired API keys with 401', async () => {
    const typo = keys.user.slice(0, 20) + (keys.user[20] === 'a' ? 'b' : 'a') + keys.user.slice(21);
    for (const key of [
      typo,
      generateApiKey().key,
      keys.revoked,
      keys.expired,
      'llmg_short',
      keys.user.toUpperCase(),
    ]) {
      const variants: Record<string, string>[] = [{ 'x-api-key': key }, { authorization: `Bearer ${key}` }];
      for (const headers of variants) {
        const reply = await send(app, '/v1/chat/completions', headers);
        expectRefused(reply, 'invalid-credentials', 401);
      }
    }
  });

  it('refuses an unknown kid after one JWKS refetch, with no refetch storm under 1,000 requests', async () => {
    // Warm the cache, then let the cooldown pass so an unknown kid may trigger exactly one refetch.
    const warm = await send(app, '/v1/chat/completions', {
      authorization: `Bearer ${await idp.sign({ roles: ['user'] })}`,
    });
    expect(warm.status, warm.body).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 50));
    const stranger = await createSigningKey('key-unknown');
    const token = await idp.sign({}, { key: stranger });
    const before = idp.hits.jwks;
    const first = await send(app, '/v1/chat/completions', { authorization: `Bearer ${token}` });
    expectRefused(first, 'invalid-credentials', 401);
    expect(idp.hits.jwks - before).toBe(1);

    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const started = performance.now();
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < 1000) {
        next++;
        const reply = await send(
          app,
          '/v1/chat/completions',
          { authorization: `Bearer ${token}` },
          CHAT,
          agent,
        );
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    const elapsed = performance.now() - started;
    agent.destroy();
    expect(Object.fromEntries(statuses)).toEqual({ 401: 1000 });
    // jose refetches at most once per cooldown for unknown kids: bounded by elapsed time, not by requests.
    const refetches = idp.hits.jwks - before - 1;
    expect(refetches).toBeLessThanOrEqual(Math.floor(elapsed / COOLDOWN_MS) + 1);
    expect(refetches).toBeLessThan(10);
  });

  it('keeps protected prefixes protected whatever the path spelling', async () => {
    const attempts = [
      '//v1/chat/completions',
      '/V1/chat/completions',
      '/v1/CHAT/COMPLETIONS',
      '/v1/chat/completions/',
      '/v1//chat//completions',
      '/v1/../v1/chat/completions',
      '/v1/./chat/completions',
      '/v1/%2e%2e/v1/chat/completions',
      '/v1/%2E%2E/v1/chat/completions',
      '/v1/%252e%252e/v1/chat/completions',
      '/v1%2Fchat%2Fcompletions',
      '/v1/chat%2Fcompletions',
      '/%76%31/chat/completions',
      '/v1/chat/completions/..%2F..%2Fhealth',
      '/v1/chat/completions/../../health',
      '/health/../v1/chat/completions',
      '/v1/chat\\completions',
      '/v1/chat/completions?/health',
      '/v1/chat/completions#/health',
      'http://127.0.0.1/v1/chat/completions',
    ];
    const before = app.calls.length;
    for (const path of attempts) {
      const reply = await send(app, path);
      // Never reaches the handler: refused by the guard (400 ambiguous-path / 401), or by the framework
      // before routing (404 no route; @hono/node-server answers 400 to a target its URL parser rejects).
      expect([400, 401, 404], `${path} → ${reply.status}`).toContain(reply.status);
      if (String(reply.headers['content-type']).includes('application/problem+json')) {
        expectRefused(reply, reply.status === 401 ? 'unauthenticated' : 'ambiguous-path', reply.status);
      }
    }
    expect(app.calls.length).toBe(before);
  });

  it('is still healthy after all of the above', async () => {
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
    expect((await send(app, '/v1/chat/completions', { 'x-api-key': keys.user })).status).toBe(200);
  });
});

describe.each(ADAPTERS)('%s: identity provider outage', (adapter) => {
  let app: RunningApp;
  let down: JwksServer;
  beforeAll(async () => {
    down = await startJwksServer();
    down.failWith = 500;
    app = await startApp(adapter, {
      guard: {
        audit: false,
        limits: false,
        injection: false,
        pii: false,
        identity: {
          apiKeys: { store },
          jwt: {
            issuers: [
              { issuer: down.issuer, audience: 'llm-api', algorithms: ['RS256'], jwksUri: down.jwksUri },
            ],
          },
        },
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await down.close();
  });

  it('fails closed with 503 for tokens while API keys keep working, without hammering the provider', async () => {
    const token = await down.sign({ roles: ['user'] });
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        send(app, '/v1/chat/completions', { authorization: `Bearer ${token}` }),
      ),
    );
    for (const reply of replies) {
      expectRefused(reply, 'guard-unavailable', 503);
      expect(reply.headers['retry-after']).toBe('1');
    }
    // One fetch (shared by the concurrent requests), then fail-fast backoff: not one fetch per request.
    expect(down.hits.jwks).toBeLessThanOrEqual(2);
    expect(app.calls).toHaveLength(0);
    expect((await send(app, '/v1/chat/completions', { 'x-api-key': keys.user })).status).toBe(200);
  });
});
