import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LlmGuardError } from '@llmguard/core';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { llmGuard, llmGuardErrors } from './index.js';

// express.json() mounted before the guard: its errors reach Express before the guard runs, and
// llmGuardErrors() turns them into the problems the guard itself would send.
let server: Server;
let url: string;
const handled: unknown[] = [];

beforeAll(async () => {
  const app = express();
  app.use(express.json({ limit: 1024 }));
  app.use('/v1', llmGuard());
  app.post('/v1/chat/completions', (req, res) => {
    handled.push(req.body);
    res.json({ ok: true });
  });
  app.post('/fails', (_req, _res, next) => next(new LlmGuardError('ERR_LLMGUARD_FORBIDDEN')));
  app.post('/body-error/:type', (req, _res, next) =>
    next(Object.assign(new Error('request body error'), { type: req.params['type'], status: 400 })),
  );
  app.post('/other', () => {
    throw new Error('not a body error');
  });
  app.use(llmGuardErrors());
  app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(599).send('host error handler');
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const post = (path: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('llmGuardErrors() after express.json()', () => {
  it('answers malformed JSON with a 400 invalid-json problem that does not quote the body', async () => {
    const res = await post('/v1/chat/completions', '{"model": "gpt", "secret-canary": oops', {
      'x-request-id': 'req-42',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('x-request-id')).toBe('req-42');
    const text = await res.text();
    expect(text).not.toContain('canary');
    expect(JSON.parse(text)).toEqual({
      type: 'https://llmguard.dev/problems/invalid-json',
      title: 'Malformed JSON body',
      status: 400,
      detail: 'The body is not valid JSON.',
      instance: '/v1/chat/completions',
      code: 'ERR_LLMGUARD_INVALID_JSON',
      requestId: 'req-42',
    });
    expect(handled).toHaveLength(0);
  });

  it("answers a body over the parser's limit with 413 body-too-large", async () => {
    const big = JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'x'.repeat(2000) }] });
    const res = await post('/v1/chat/completions', big);
    expect(res.status).toBe(413);
    const problem = (await res.json()) as { code: string; detail: string; requestId: string };
    expect(problem.code).toBe('ERR_LLMGUARD_BODY_TOO_LARGE');
    expect(problem.detail).toBe('The body exceeds 1024 bytes.');
    // A client id that is not well formed is replaced by a generated one.
    expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(handled).toHaveLength(0);
  });

  it.each([
    ['request.size.invalid', 'The body length does not match Content-Length.'],
    ['request.aborted', 'The client aborted the request.'],
  ])('answers a body-parser %s error with 400 invalid-request', async (type, detail) => {
    // Errors of this kind depend on socket timing; the route passes one on exactly as body-parser does.
    const res = await post(`/body-error/${type}`, '{}');
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem).toMatchObject({ code: 'ERR_LLMGUARD_INVALID_REQUEST', detail });
  });

  it('answers an unsupported charset with 415', async () => {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=koi8-r' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_LLMGUARD_UNSUPPORTED_MEDIA_TYPE');
  });

  it('sends an LlmGuardError passed to next() as its problem', async () => {
    const res = await post('/fails', '{}');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('ERR_LLMGUARD_FORBIDDEN');
  });

  it("leaves other errors to the host's own error handler", async () => {
    const res = await post('/other', '{}');
    expect(res.status).toBe(599);
    expect(await res.text()).toBe('host error handler');
  });

  it('lets valid requests through to the handler', async () => {
    const res = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(res.status).toBe(200);
    expect(handled).toHaveLength(1);
  });
});
