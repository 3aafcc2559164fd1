import { type Guard, isLlmGuardError } from '@llmguard/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { llmGuard } from './index.js';

/** Replaces every prompt segment, as a redacting guard would. */
const redact: Guard = {
  name: 'test-redact',
  phase: 'pii',
  onBody(ctx) {
    const prompt = ctx.prompt;
    if (prompt === undefined) return;
    for (let i = 0; i < prompt.segments.length; i++) prompt.replaceText(i, '[redacted]');
    return 'modify';
  },
};

const CHAT = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'my email is a@b.example' }] };
const REDACTED = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: '[redacted]' }] };

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function listen(instance: FastifyInstance): Promise<string> {
  app = instance;
  return instance.listen({ port: 0, host: '127.0.0.1' });
}

const post = (url: string, path: string, body: string): Promise<Response> =>
  fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('fastify llmGuard plugin', () => {
  it('hands the sanitized body to request.body and the result to request.llmGuard', async () => {
    const instance = Fastify();
    await instance.register(llmGuard, { guards: [redact] });
    instance.post('/v1/chat/completions', async (request) => ({
      body: request.body,
      modified: request.llmGuard?.bodyModified,
      id: request.llmGuard?.context.requestId,
    }));
    const res = await post(await listen(instance), '/v1/chat/completions', JSON.stringify(CHAT));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ body: REDACTED, modified: true, id: res.headers.get('x-request-id') });
  });

  it('skips routes that opt out with config: { llmGuard: false }', async () => {
    const instance = Fastify();
    await instance.register(llmGuard);
    instance.post('/webhook', { config: { llmGuard: false } }, async (request) => ({
      body: request.body,
      guarded: request.llmGuard !== null,
    }));
    instance.post('/v1/chat/completions', async () => ({ reached: true }));
    const url = await listen(instance);
    // Not an LLM request: the guard would refuse it, the opted-out route takes it as is.
    const opted = await post(url, '/webhook', '{"event":"ping"}');
    expect(opted.status).toBe(200);
    expect(opted.headers.get('x-request-id')).toBeNull();
    expect(await opted.json()).toEqual({ body: { event: 'ping' }, guarded: false });
    const guarded = await post(url, '/v1/chat/completions', '{"event":"ping"}');
    expect(guarded.status).toBe(400);
    expect(guarded.headers.get('content-type')).toBe('application/problem+json');
  });

  it("parses opted-out routes with Fastify's own JSON parser and its errors", async () => {
    const instance = Fastify({ onProtoPoisoning: 'error' });
    await instance.register(llmGuard);
    instance.post('/webhook', { config: { llmGuard: false } }, async (request) => request.body);
    const url = await listen(instance);
    const bad = await post(url, '/webhook', '{"event":');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    const poisoned = await post(url, '/webhook', '{"__proto__":{"x":1}}');
    expect(poisoned.status).toBe(400);
    expect(await (await post(url, '/webhook', '[1,2]')).json()).toEqual([1, 2]);
  });

  it("reads opted-out routes' bodies with the route's bodyLimit and Fastify's error codes", async () => {
    const instance = Fastify();
    await instance.register(llmGuard);
    instance.post(
      '/webhook',
      { config: { llmGuard: false }, bodyLimit: 16 },
      async (request) => request.body,
    );
    const url = await listen(instance);
    expect(await (await post(url, '/webhook', '{"event":"ping"}')).json()).toEqual({ event: 'ping' });
    const big = await post(url, '/webhook', '{"event":"a longer ping"}');
    expect(big.status).toBe(413);
    expect(((await big.json()) as { code: string }).code).toBe('FST_ERR_CTP_BODY_TOO_LARGE');
    const empty = await post(url, '/webhook', '');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { code: string }).code).toBe('FST_ERR_CTP_EMPTY_JSON_BODY');
  });

  it('keeps a JSON parser the application registered first and gives it the sanitized body', async () => {
    const instance = Fastify();
    instance.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
      done(null, { parsedByApp: JSON.parse(text as string) });
    });
    await instance.register(llmGuard, { guards: [redact] });
    instance.post('/v1/chat/completions', async (request) => request.body);
    const res = await post(await listen(instance), '/v1/chat/completions', JSON.stringify(CHAT));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ parsedByApp: REDACTED });
  });

  it('hands the body over once for a JSON type with parameters', async () => {
    const instance = Fastify();
    await instance.register(llmGuard, { guards: [redact] });
    instance.post('/v1/chat/completions', async (request) => request.body);
    const res = await fetch(`${await listen(instance)}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: JSON.stringify(CHAT),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(REDACTED);
  });

  it('covers only the encapsulated scope it is registered in', async () => {
    const instance = Fastify();
    await instance.register(
      async (v1) => {
        await v1.register(llmGuard);
        v1.post('/chat/completions', async () => ({ reached: true }));
      },
      { prefix: '/v1' },
    );
    instance.post('/other', async (request) => ({ body: request.body }));
    const url = await listen(instance);
    expect((await post(url, '/other', '{"free":"form"}')).status).toBe(200);
    expect((await post(url, '/v1/chat/completions', '{"free":"form"}')).status).toBe(400);
  });

  it('rejects unknown options at registration with a coded error', async () => {
    const instance = Fastify();
    app = instance;
    let thrown: unknown;
    try {
      await instance.register(llmGuard, { bodyy: {} } as never);
    } catch (error) {
      thrown = error;
    }
    expect(isLlmGuardError(thrown)).toBe(true);
    expect((thrown as { code: string }).code).toBe('ERR_LLMGUARD_INVALID_OPTIONS');
  });

  it('accepts a pipeline built elsewhere', async () => {
    const { createLlmGuard } = await import('@llmguard/core');
    const instance = Fastify();
    await instance.register(llmGuard, createLlmGuard({ validation: false, guards: [redact] }));
    instance.post('/v1/chat/completions', async (request) => request.body);
    const res = await post(await listen(instance), '/v1/chat/completions', JSON.stringify(CHAT));
    expect(await res.json()).toEqual(REDACTED);
  });
});
