import { generateApiKey, type LlmGuardOptions, MemoryKeyStore } from '@llmguard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type RunningApp, startApp } from '../helpers/apps.js';
import { type JwksServer, startJwksServer } from '../helpers/jwks-server.js';

// Acceptance C of the identity layer: per-role policy enforced end to end over HTTP. Identity sets
// the permission and the policy; the request validator enforces allowed models and max_tokens.

const PROBLEM = 'https://llmguard.dev/problems/';
const store = new MemoryKeyStore();
const keys: Record<'viewer' | 'user' | 'trial', string> = { viewer: '', user: '', trial: '' };
let idp: JwksServer;

beforeAll(async () => {
  idp = await startJwksServer();
  for (const role of ['viewer', 'user', 'trial'] as const) {
    const { key, id, hash } = generateApiKey();
    keys[role] = key;
    await store.put({ id, hash, roles: [role], scopes: [], createdAt: new Date().toISOString() });
  }
});
afterAll(() => idp.close());

function options(): LlmGuardOptions {
  return {
    audit: false,
    limits: false,
    injection: false,
    pii: false,
    identity: {
      apiKeys: { store },
      jwt: {
        issuers: [{ issuer: idp.issuer, audience: 'llm-api', algorithms: ['RS256'], jwksUri: idp.jwksUri }],
      },
      rbac: {
        roles: {
          user: {
            inherits: ['viewer'],
            permissions: ['chat:create'],
            policy: { allowedModels: ['gpt-4o-mini', 'claude-3-5-*'], maxTokens: 512 },
          },
          trial: {
            inherits: ['user'],
            policy: {
              allowedModels: ['gpt-4o-mini'],
              maxTokens: 256,
              maxTokensMode: 'clamp',
              allowStreaming: false,
            },
          },
        },
      },
    },
  };
}

function chat(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], ...extra };
}

interface Outcome {
  readonly status: number;
  readonly problem: Record<string, unknown> | undefined;
}

const outcomes = new Map<string, Map<string, Outcome>>();

describe.each(ADAPTERS)('%s: per-role policy', (adapter) => {
  let app: RunningApp;
  const seen = new Map<string, Outcome>();
  outcomes.set(adapter, seen);
  beforeAll(async () => {
    app = await startApp(adapter, { guard: options() });
  });
  afterAll(() => app.close());

  async function post(
    name: string,
    headers: Record<string, string>,
    body: unknown,
    path = '/v1/chat/completions',
  ) {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const problem = response.headers.get('content-type')?.includes('problem+json')
      ? (JSON.parse(text) as Record<string, unknown>)
      : undefined;
    if (problem) {
      const { requestId: _r, instance: _i, ...stable } = problem;
      seen.set(name, { status: response.status, problem: stable });
    } else {
      seen.set(name, { status: response.status, problem: undefined });
    }
    return { status: response.status, problem, text };
  }

  it('a viewer cannot chat: 403 naming the missing permission', async () => {
    const before = app.calls.length;
    const { status, problem } = await post('viewer', { 'x-api-key': keys.viewer }, chat());
    expect(status).toBe(403);
    expect(problem).toMatchObject({
      type: `${PROBLEM}forbidden`,
      code: 'ERR_LLMGUARD_FORBIDDEN',
      permission: 'chat:create',
      detail: 'This request needs the "chat:create" permission.',
    });
    // No policy internals (model lists, caps, role names) in the refusal.
    expect(JSON.stringify(problem)).not.toMatch(/gpt-4o|claude|viewer|maxTokens|512/);
    expect(app.calls.length).toBe(before);
    // The same principal may list models (viewer permission).
    const models = await fetch(`${app.url}/v1/models`, { headers: { 'x-api-key': keys.viewer } });
    expect(models.status).toBe(200);
  });

  it('a user cannot use a model outside the allowlist (API key and JWT alike)', async () => {
    const denied = await post('user-model', { 'x-api-key': keys.user }, chat({ model: 'gpt-4o' }));
    expect(denied.status).toBe(403);
    expect(denied.problem).toMatchObject({
      type: `${PROBLEM}policy-violation`,
      code: 'ERR_LLMGUARD_POLICY_VIOLATION',
    });
    const jwt = `Bearer ${await idp.sign({ roles: ['user'] })}`;
    expect((await post('user-model-jwt', { authorization: jwt }, chat({ model: 'o1-preview' }))).status).toBe(
      403,
    );
    expect(
      (await post('user-glob', { authorization: jwt }, chat({ model: 'claude-3-5-haiku' }))).status,
    ).toBe(200);
    const anthropic = await post(
      'user-messages',
      { 'x-api-key': keys.user },
      { model: 'claude-opus-4', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] },
      '/v1/messages',
    );
    expect(anthropic.status).toBe(403);
    expect((await post('user-ok', { 'x-api-key': keys.user }, chat())).status).toBe(200);
  });

  it('max_tokens above the role cap is refused, and the cap is written in when omitted', async () => {
    const over = await post('user-cap', { 'x-api-key': keys.user }, chat({ max_tokens: 4096 }));
    expect(over.status).toBe(403);
    expect(over.problem).toMatchObject({ type: `${PROBLEM}policy-violation` });
    expect((await post('user-under', { 'x-api-key': keys.user }, chat({ max_tokens: 100 }))).status).toBe(
      200,
    );
    expect(app.calls.at(-1)?.body).toMatchObject({ max_tokens: 100 });
    expect((await post('user-omitted', { 'x-api-key': keys.user }, chat())).status).toBe(200);
    expect(app.calls.at(-1)?.body).toMatchObject({ max_completion_tokens: 512 });
  });

  it('max_tokens above the cap is clamped for a role configured to clamp, and streaming is refused', async () => {
    expect((await post('trial-clamp', { 'x-api-key': keys.trial }, chat({ max_tokens: 4096 }))).status).toBe(
      200,
    );
    expect(app.calls.at(-1)?.body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 256 });
    const before = app.calls.length;
    const stream = await post('trial-stream', { 'x-api-key': keys.trial }, chat({ stream: true }));
    expect(stream.status).toBe(403);
    expect(stream.problem).toMatchObject({ code: 'ERR_LLMGUARD_FORBIDDEN', permission: 'stream' });
    expect(app.calls.length).toBe(before);
    expect(
      (await post('trial-model', { 'x-api-key': keys.trial }, chat({ model: 'claude-3-5-haiku' }))).status,
    ).toBe(403);
  });
});

describe('per-role policy across adapters', () => {
  it('gives identical statuses and problem bodies on every adapter', () => {
    const [first, ...rest] = ADAPTERS.map((adapter) => outcomes.get(adapter)!);
    expect(first!.size).toBeGreaterThan(10);
    for (const other of rest) expect(Object.fromEntries(other)).toEqual(Object.fromEntries(first!));
  });
});
