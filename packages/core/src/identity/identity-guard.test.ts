import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JwksServer, startJwksServer } from '../../../../test/helpers/jwks-server.js';
import { createGuardPipeline, type GuardResult } from '../pipeline/pipeline.js';
import type { GuardRequest } from '../pipeline/request.js';
import { generateApiKey } from './api-key-format.js';
import { createIdentityGuard, type IdentityGuardOptions } from './identity-guard.js';
import { MemoryKeyStore } from './memory-key-store.js';

let idp: JwksServer;
const store = new MemoryKeyStore();
const keys: Record<'user' | 'viewer' | 'admin', string> = { user: '', viewer: '', admin: '' };

beforeAll(async () => {
  idp = await startJwksServer();
  for (const role of ['user', 'viewer', 'admin'] as const) {
    const { key, id, hash } = generateApiKey();
    keys[role] = key;
    await store.put({ id, hash, roles: [role], scopes: [], createdAt: new Date().toISOString() });
  }
});
afterAll(() => idp.close());

function pipelineWith(options: Partial<IdentityGuardOptions> = {}) {
  return createGuardPipeline({
    guards: [
      createIdentityGuard({
        apiKeys: { store },
        jwt: {
          issuers: [{ issuer: idp.issuer, audience: 'llm-api', algorithms: ['RS256'], jwksUri: idp.jwksUri }],
        },
        protect: ['/v1'],
        publicPaths: ['/v1/models'],
        ...options,
      }),
    ],
  });
}

function request(
  url: string,
  headers: Record<string, string> = {},
  body?: unknown,
  method = 'POST',
): GuardRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method,
    url,
    header: (name) => lower[name],
    clientIp: '127.0.0.1',
    remoteAddress: '127.0.0.1',
    body: body === undefined ? { kind: 'none' } : { kind: 'parsed', value: body },
  };
}

function refused(result: GuardResult): {
  status: number;
  code: string;
  challenge?: string;
  permission?: unknown;
} {
  if (result.ok) throw new Error('expected a refusal');
  const problem = JSON.parse(result.body) as { code: string; permission?: unknown };
  return {
    status: result.status,
    code: problem.code,
    ...(result.headers['www-authenticate'] ? { challenge: result.headers['www-authenticate'] } : {}),
    ...(problem.permission === undefined ? {} : { permission: problem.permission }),
  };
}

const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

describe('identity guard', () => {
  let pipeline: ReturnType<typeof pipelineWith>;
  beforeAll(() => {
    pipeline = pipelineWith();
  });

  it('asks for credentials on protected paths with an RFC 6750 challenge (no error code)', async () => {
    expect(refused(await pipeline.handle(request('/v1/chat/completions', {}, chat)))).toEqual({
      status: 401,
      code: 'ERR_LLMGUARD_UNAUTHENTICATED',
      challenge: 'Bearer realm="llmguard"',
    });
  });

  it('accepts an API key from x-api-key or as a bearer token, and a JWT', async () => {
    const variants: Record<string, string>[] = [
      { 'x-api-key': keys.user },
      { authorization: `Bearer ${keys.user}` },
      { authorization: `bearer  ${await idp.sign({ roles: ['user'] })}` },
    ];
    for (const headers of variants) {
      const result = await pipeline.handle(request('/v1/chat/completions', headers, chat));
      expect(result.ok).toBe(true);
      expect(result.context.principal?.roles).toEqual(['user']);
    }
  });

  it('judges the first present credential: a bad JWT never falls through to a good API key', async () => {
    const badJwt = (await idp.sign({ roles: ['user'] })).slice(0, -4) + 'AAAA';
    const result = refused(
      await pipeline.handle(
        request('/v1/chat/completions', { authorization: `Bearer ${badJwt}`, 'x-api-key': keys.user }, chat),
      ),
    );
    expect(result).toMatchObject({ status: 401, code: 'ERR_LLMGUARD_INVALID_CREDENTIALS' });
    expect(result.challenge).toBe(
      'Bearer realm="llmguard", error="invalid_token", error_description="The token signature is not valid."',
    );
    // With api-key first, the key is judged and the JWT ignored.
    const keyFirst = pipelineWith({ order: ['api-key', 'jwt'] });
    const ok = await keyFirst.handle(
      request('/v1/chat/completions', { authorization: `Bearer ${badJwt}`, 'x-api-key': keys.user }, chat),
    );
    expect(ok.ok).toBe(true);
  });

  it('refuses other schemes, repeated Authorization headers and unknown bearer tokens', async () => {
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      `Bearer ${keys.user}, Bearer ${keys.admin}`,
      'Bearer',
      'Bearer a b',
    ]) {
      expect(
        refused(await pipeline.handle(request('/v1/chat/completions', { authorization }, chat))),
      ).toMatchObject({
        status: 401,
        challenge: expect.stringContaining('error="invalid_request"'),
      });
    }
    const jwtOnly = pipelineWith({ apiKeys: undefined, order: ['jwt'] });
    expect(
      refused(await jwtOnly.handle(request('/v1/chat/completions', { 'x-api-key': keys.user }, chat))),
    ).toMatchObject({ status: 401, code: 'ERR_LLMGUARD_UNAUTHENTICATED' });
    const keysOnly = pipelineWith({ jwt: undefined, order: ['api-key'] });
    expect(
      refused(
        await keysOnly.handle(
          request('/v1/chat/completions', { authorization: `Bearer ${await idp.sign()}` }, chat),
        ),
      ),
    ).toMatchObject({ status: 401, code: 'ERR_LLMGUARD_INVALID_CREDENTIALS' });
  });

  it('lets public and open paths through anonymously, but still judges a presented credential', async () => {
    const open = await pipeline.handle(request('/health', {}, undefined, 'GET'));
    expect(open.ok && open.context.principal).toBeUndefined();
    const pub = await pipeline.handle(request('/v1/models', {}, undefined, 'GET'));
    expect(pub.ok).toBe(true);
    expect(
      refused(
        await pipeline.handle(request('/v1/models', { 'x-api-key': withTypo(keys.user) }, undefined, 'GET')),
      ),
    ).toMatchObject({ status: 401 });
    const known = await pipeline.handle(
      request('/v1/models', { 'x-api-key': keys.viewer }, undefined, 'GET'),
    );
    expect(known.ok && known.context.principal?.roles).toEqual(['viewer']);
    // Basic auth on a public path belongs to someone else: ignored.
    expect(
      (await pipeline.handle(request('/v1/models', { authorization: 'Basic eA==' }, undefined, 'GET'))).ok,
    ).toBe(true);
  });

  it('refuses a role without the route permission with 403 naming it, and sets the policy otherwise', async () => {
    expect(
      refused(await pipeline.handle(request('/v1/chat/completions', { 'x-api-key': keys.viewer }, chat))),
    ).toEqual({
      status: 403,
      code: 'ERR_LLMGUARD_FORBIDDEN',
      permission: 'chat:create',
    });
    expect(
      refused(await pipeline.handle(request('/v1/files', { 'x-api-key': keys.user }, chat))),
    ).toMatchObject({
      status: 403,
      permission: 'routes:unmapped',
    });
    const admin = await pipeline.handle(request('/v1/files', { 'x-api-key': keys.admin }, chat));
    expect(admin.ok).toBe(true);
  });

  it('refuses streaming for roles whose policy forbids it, in the body step', async () => {
    const streaming = pipelineWith({
      rbac: {
        roles: {
          user: {
            inherits: ['viewer'],
            permissions: ['chat:create'],
            policy: { allowStreaming: false, maxTokens: 100 },
          },
        },
      },
    });
    expect(
      refused(
        await streaming.handle(
          request('/v1/chat/completions', { 'x-api-key': keys.user }, { ...chat, stream: true }),
        ),
      ),
    ).toEqual({ status: 403, code: 'ERR_LLMGUARD_FORBIDDEN', permission: 'stream' });
    const plain = await streaming.handle(
      request('/v1/chat/completions', { 'x-api-key': keys.user }, { ...chat, stream: false }),
    );
    expect(plain.ok && plain.context.policy).toEqual({ allowStreaming: false, maxTokens: 100 });
    const admin = await streaming.handle(
      request('/v1/chat/completions', { 'x-api-key': keys.admin }, { ...chat, stream: true }),
    );
    expect(admin.ok).toBe(true);
  });

  it('refuses ambiguous protected targets before judging credentials', async () => {
    expect(
      refused(
        await pipeline.handle(request('/v1/models/../chat/completions', { 'x-api-key': keys.viewer }, chat)),
      ),
    ).toMatchObject({ status: 400, code: 'ERR_LLMGUARD_AMBIGUOUS_PATH' });
  });

  it('fails closed with 503 when the identity provider is down', async () => {
    const down = await startJwksServer();
    down.failWith = 503;
    const guarded = pipelineWith({
      jwt: {
        issuers: [{ issuer: down.issuer, audience: 'llm-api', algorithms: ['RS256'], jwksUri: down.jwksUri }],
      },
    });
    const result = refused(
      await guarded.handle(
        request('/v1/chat/completions', { authorization: `Bearer ${await down.sign()}` }, chat),
      ),
    );
    expect(result).toMatchObject({ status: 503, code: 'ERR_LLMGUARD_UNAVAILABLE' });
    await down.close();
  });
});

describe('identity in the llmGuard() preset', () => {
  it('is on when apiKeys or jwt is configured, off with false, and refuses an empty config', async () => {
    const { createLlmGuard } = await import('../preset.js');
    const on = createLlmGuard({ audit: false, identity: { apiKeys: { store } } });
    expect(on.guards.map((g) => g.name)).toContain('identity');
    const refusal = await on.handle(request('/v1/chat/completions', {}, chat));
    expect(refusal.ok ? 200 : refusal.status).toBe(401);
    const off = createLlmGuard({ audit: false, identity: false });
    expect(off.guards.map((g) => g.name)).not.toContain('identity');
    expect(() => createLlmGuard({ audit: false, identity: {} })).toThrow(
      expect.objectContaining({ code: 'ERR_LLMGUARD_INVALID_OPTIONS' }),
    );
  });
});

/** The key with its last character changed (to a different one, so the test never sends the real key). */
function withTypo(key: string): string {
  return key.slice(0, -1) + (key.endsWith('x') ? 'y' : 'x');
}
