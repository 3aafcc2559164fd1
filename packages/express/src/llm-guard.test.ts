import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Guard, isLlmGuardError } from '@llmguard/core';
import express, { type Express } from 'express';
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

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function listen(app: Express): Promise<string> {
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const post = (url: string, body: unknown): Promise<Response> =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('express llmGuard()', () => {
  it.each([
    ['no parser', 'none'],
    ['express.json() before the guard', 'before'],
    ['express.json() after the guard', 'after'],
  ] as const)('hands the sanitized body to req.body with %s', async (_label, parser) => {
    const app = express();
    if (parser === 'before') app.use(express.json());
    app.use('/v1', llmGuard({ guards: [redact] }));
    if (parser === 'after') app.use(express.json());
    app.post('/v1/chat/completions', (req, res) => {
      res.json({ body: req.body, modified: req.llmGuard?.bodyModified, id: req.llmGuard?.context.requestId });
    });
    const url = await listen(app);
    const res = await post(url, CHAT);
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toEqual({ body: REDACTED, modified: true, id: res.headers.get('x-request-id') });
  });

  it('refuses a form body another parser already read with 415', async () => {
    const app = express();
    app.use(express.urlencoded({ extended: true }));
    app.use('/v1', llmGuard());
    app.post('/v1/chat/completions', (_req, res) => {
      res.json({ reached: true });
    });
    const res = await fetch(`${await listen(app)}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'model=gpt-4o-mini&messages[0][role]=user&messages[0][content]=hi',
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('accepts a pipeline built elsewhere', async () => {
    const { createLlmGuard } = await import('@llmguard/core');
    const app = express();
    app.use(llmGuard(createLlmGuard({ validation: false, guards: [redact] })));
    app.post('/v1/chat/completions', (req, res) => {
      res.json(req.body);
    });
    const res = await post(await listen(app), CHAT);
    expect(await res.json()).toEqual(REDACTED);
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

  it('leaves GET requests without a body alone and still tags them', async () => {
    const app = express();
    app.use('/v1', llmGuard());
    app.get('/v1/models', (req, res) => {
      res.json({ body: req.body ?? null, guarded: req.llmGuard?.ok });
    });
    const url = await listen(app);
    const res = await fetch(`${url}/v1/models`, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect(await res.json()).toEqual({ body: null, guarded: true });
  });
});
