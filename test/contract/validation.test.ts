import type { Guard } from '@llmguard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type AdapterName, type RunningApp, startApp } from '../helpers/apps.js';
import { type RawRequest, type RawResponse, sendRaw } from '../helpers/http.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

// Stands in for identity: gives every caller a role policy, as the identity guard would.
const rolePolicy: Guard = {
  name: 'test-role',
  phase: 'identity',
  onHeaders(ctx) {
    if (ctx.header('x-test-role') === 'bot') {
      ctx.policy = { allowedModels: ['gpt-4o-mini', 'claude-*'], maxTokens: 300, maxTokensMode: 'clamp' };
    }
  },
};

/** Status and problem body without the per-request id: must be identical on every adapter. */
function comparable(res: RawResponse): unknown {
  if (!(res.headers['content-type'] ?? '').includes('problem+json')) return { status: res.status };
  const { requestId: _id, ...problem } = JSON.parse(res.text) as Record<string, unknown>;
  return { status: res.status, type: res.headers['content-type'], problem };
}

describe('validation contract: identical behaviour on every adapter', () => {
  const apps = new Map<AdapterName, RunningApp>();

  beforeAll(async () => {
    for (const adapter of ADAPTERS) {
      apps.set(
        adapter,
        await startApp(adapter, {
          guard: {
            limits: false,
            validation: {
              stripControlChars: true,
              normalize: 'NFKC',
              allowedModels: ['gpt-4o*', 'claude-*'],
            },
            guards: [rolePolicy],
          },
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all([...apps.values()].map((app) => app.close()));
  });

  async function onAll(path: string, request: RawRequest): Promise<Map<AdapterName, RawResponse>> {
    const results = new Map<AdapterName, RawResponse>();
    for (const [adapter, app] of apps) results.set(adapter, await sendRaw(app.url + path, request));
    const [first, ...rest] = [...results.values()].map(comparable);
    for (const other of rest) expect(other).toEqual(first);
    return results;
  }

  const lastBody = (adapter: AdapterName): unknown => apps.get(adapter)!.calls.at(-1)?.body;

  it('hands the cleaned prompt to the host handler and keeps unknown fields', async () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Ｂｅ ｂｒｉｅｆ.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hi\u0000 there\u202e' },
            { type: 'image_url', image_url: { url: 'u' } },
          ],
        },
      ],
      vendor_extension: { keep: ['me'] },
    };
    const results = await onAll('/v1/chat/completions', {
      headers: JSON_HEADERS,
      body: JSON.stringify(body),
    });
    for (const [adapter, res] of results) {
      expect(res.status).toBe(200);
      const expected = {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'hi there' },
              { type: 'image_url', image_url: { url: 'u' } },
            ],
          },
        ],
        vendor_extension: { keep: ['me'] },
      };
      expect(lastBody(adapter)).toEqual(expected);
      expect(JSON.parse(res.text)).toEqual({ received: expected });
    }
  });

  it('refuses out-of-bounds fields with 400 errors[] naming each field, never its value', async () => {
    const body = {
      model: 'gpt-4o',
      messages: [{ role: 'wizard-4111111111111111', content: 'x' }],
      temperature: 7,
      n: 50,
    };
    const results = await onAll('/v1/chat/completions', {
      headers: JSON_HEADERS,
      body: JSON.stringify(body),
    });
    for (const res of results.values()) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.text).not.toContain('4111111111111111');
      const problem = JSON.parse(res.text) as { code: string; errors: { path: string }[] };
      expect(problem.code).toBe('ERR_LLMGUARD_INVALID_REQUEST');
      expect(problem.errors.map((e) => e.path)).toEqual(['/temperature', '/messages/0/role', '/n']);
    }
  });

  it('refuses a model outside the allowlist without echoing it', async () => {
    const body = { model: 'secret-internal-model', input: 'hello' };
    const results = await onAll('/v1/responses', { headers: JSON_HEADERS, body: JSON.stringify(body) });
    for (const res of results.values()) {
      expect(res.status).toBe(400);
      expect(res.text).not.toContain('secret-internal-model');
      expect(JSON.parse(res.text)).toMatchObject({ errors: [{ path: '/model', code: 'model_not_allowed' }] });
    }
  });

  it('refuses JSON that is no LLM request with unsupported-body-shape', async () => {
    const results = await onAll('/v1/messages', { headers: JSON_HEADERS, body: '{"hello":"world"}' });
    for (const res of results.values()) {
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'ERR_LLMGUARD_UNSUPPORTED_BODY_SHAPE' });
    }
  });

  it('needs a body on POST but lets a bodiless GET through', async () => {
    const post = await onAll('/v1/chat/completions', { headers: JSON_HEADERS });
    for (const res of post.values()) {
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ errors: [{ path: '', code: 'body_required' }] });
    }
    const get = await onAll('/v1/models', { method: 'GET' });
    for (const res of get.values()) expect(res.status).toBe(200);
  });

  it('enforces the role policy: 403 for a model the role may not use, clamped max_tokens in the body', async () => {
    const headers = { ...JSON_HEADERS, 'x-test-role': 'bot' };
    const denied = await onAll('/v1/chat/completions', {
      headers,
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    });
    for (const res of denied.values()) {
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'ERR_LLMGUARD_POLICY_VIOLATION' });
    }
    const body = {
      model: 'claude-haiku-4-5',
      max_tokens: 4096,
      system: 's',
      messages: [{ role: 'user', content: 'x' }],
    };
    const clamped = await onAll('/v1/messages', { headers, body: JSON.stringify(body) });
    for (const [adapter, res] of clamped) {
      expect(res.status).toBe(200);
      expect(lastBody(adapter)).toEqual({ ...body, max_tokens: 300 });
    }
  });
});
