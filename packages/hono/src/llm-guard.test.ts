import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Guard, isLlmGuardError } from '@llmguard/core';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type LlmGuardEnv, llmGuard } from './index.js';

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

const post = (
  app: Hono<LlmGuardEnv>,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> =>
  // app.request() runs without @hono/node-server: the Web-standard path of the adapter.
  Promise.resolve(
    app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }),
  );

describe('hono llmGuard()', () => {
  it('parses the body once: c.req.json() is the guarded object, c.req.text() the text as sent', async () => {
    const sent = '{ "model": "gpt-4o-mini",\n "messages": [{"role": "user", "content": "hi"}] }';
    const app = new Hono<LlmGuardEnv>();
    app.use('/v1/*', llmGuard());
    app.post('/v1/chat/completions', async (c) => {
      const json = await c.req.json();
      return c.json({
        same: json === c.var.llmGuard.body,
        again: (await c.req.json()) === json,
        text: await c.req.text(),
      });
    });
    const res = await post(app, sent);
    expect(await res.json()).toEqual({ same: true, again: true, text: sent });
  });

  it('serves the sanitized body through every body reader of c.req', async () => {
    const app = new Hono<LlmGuardEnv>();
    app.use('/v1/*', llmGuard({ guards: [redact] }));
    app.post('/v1/chat/completions', async (c) => {
      const json = await c.req.json();
      const text = await c.req.text();
      const bytes = new TextDecoder().decode(await c.req.arrayBuffer());
      return c.json({
        json,
        text: JSON.parse(text),
        bytes: JSON.parse(bytes),
        modified: c.var.llmGuard.bodyModified,
      });
    });
    const res = await post(app, JSON.stringify(CHAT), { 'x-request-id': 'rid-1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('rid-1');
    expect(await res.json()).toEqual({ json: REDACTED, text: REDACTED, bytes: REDACTED, modified: true });
  });

  it('checks a body another middleware already read', async () => {
    const app = new Hono<LlmGuardEnv>();
    app.use('/v1/*', async (c, next) => {
      await c.req.text();
      await next();
    });
    app.use('/v1/*', llmGuard({ guards: [redact] }));
    app.post('/v1/chat/completions', async (c) => c.json(await c.req.json()));
    expect(await (await post(app, JSON.stringify(CHAT))).json()).toEqual(REDACTED);
    const refused = await post(app, '{"model":');
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
  });

  it('enforces the byte cap on the Web-standard stream too', async () => {
    const app = new Hono<LlmGuardEnv>();
    app.use('/v1/*', llmGuard({ body: { maxBytes: 1024 } }));
    app.post('/v1/chat/completions', (c) => c.text('reached'));
    const big = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(4096) }] });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 512)
          controller.enqueue(new TextEncoder().encode(big.slice(i, i + 512)));
        controller.close();
      },
    });
    const res = await app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_LLMGUARD_BODY_TOO_LARGE');
  });

  it('reports the finished answer once, without Node bindings', async () => {
    const finishes: { status: number; aborted?: boolean }[] = [];
    const { createGuardPipeline } = await import('@llmguard/core');
    const base = createGuardPipeline({ guards: [] });
    const app = new Hono<LlmGuardEnv>();
    app.use(
      '/v1/*',
      llmGuard({
        guards: base.guards,
        async handle(request) {
          const result = await base.handle(request);
          return result.ok ? { ...result, finish: (info) => void finishes.push(info) } : result;
        },
      }),
    );
    app.post('/v1/chat/completions', (c) => c.json({ ok: true }, 202));
    const res = await post(app, JSON.stringify(CHAT));
    expect(await res.json()).toEqual({ ok: true });
    expect(finishes).toEqual([{ status: 202, aborted: false }]);
  });

  it('adds its headers even to a response whose headers are immutable', async () => {
    const app = new Hono<LlmGuardEnv>();
    app.use('/v1/*', llmGuard());
    // Response.redirect() has immutable headers, like a fetch() response passed through.
    app.post('/v1/chat/completions', () => Response.redirect('http://127.0.0.1/elsewhere', 307));
    const res = await post(app, JSON.stringify(CHAT), { 'x-request-id': 'rid-2' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('http://127.0.0.1/elsewhere');
    expect(res.headers.get('x-request-id')).toBe('rid-2');
  });

  it('throws a coded error for unknown options when the middleware is built', () => {
    let thrown: unknown;
    try {
      llmGuard({ bodyy: {} } as never);
    } catch (error) {
      thrown = error;
    }
    expect(isLlmGuardError(thrown)).toBe(true);
    expect((thrown as { code: string }).code).toBe('ERR_LLMGUARD_INVALID_OPTIONS');
  });

  it("on @hono/node-server its headers win over the handler's, for plain, copied and streamed answers", async () => {
    const app = new Hono<LlmGuardEnv>();
    app.use('/v1/*', llmGuard());
    app.post('/v1/chat/completions', (c) => {
      const kind = c.req.header('x-kind');
      if (kind === 'redirect') return Response.redirect('http://127.0.0.1/elsewhere', 307);
      if (kind === 'stream') {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('data: [DONE]\n\n'));
            controller.close();
          },
        });
        return c.body(body, 200, { 'x-request-id': 'from-handler', 'content-type': 'text/event-stream' });
      }
      c.header('X-Request-Id', 'from-handler');
      c.header('x-app', 'kept');
      return c.json({ ok: true });
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
    try {
      for (const kind of ['json', 'redirect', 'stream']) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': `rid-${kind}`, 'x-kind': kind },
          body: JSON.stringify(CHAT),
          redirect: 'manual',
        });
        expect(res.headers.get('x-request-id')).toBe(`rid-${kind}`);
        if (kind === 'json') {
          expect(res.headers.get('x-app')).toBe('kept');
          expect(await res.json()).toEqual({ ok: true });
        } else if (kind === 'redirect') {
          expect(res.status).toBe(307);
          expect(res.headers.get('location')).toBe('http://127.0.0.1/elsewhere');
        } else {
          expect(await res.text()).toBe('data: [DONE]\n\n');
        }
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
