import { describe, expect, it } from 'vitest';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import { createRequestValidator } from '../validation/request-validator.js';
import type { Guard, RequestOutcome } from './guard.js';
import { createGuardPipeline, type GuardRefusal, type GuardResult, isJsonMediaType } from './pipeline.js';
import type { GuardRequest, RequestBody } from './request.js';

const statusOf = (result: GuardResult): number => (result.ok ? 200 : result.status);

const CHAT = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there' }] };

function request(init: {
  body?: RequestBody | unknown;
  headers?: Record<string, string>;
  method?: string;
  url?: string;
}): GuardRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  let body: RequestBody;
  if (init.body === undefined) body = { kind: 'none' };
  else if (typeof init.body === 'object' && init.body !== null && 'kind' in init.body)
    body = init.body as RequestBody;
  else {
    const bytes = new TextEncoder().encode(JSON.stringify(init.body));
    body = { kind: 'bytes', bytes };
  }
  return {
    method: init.method ?? 'POST',
    url: init.url ?? '/v1/chat/completions',
    header: (name) => headers[name],
    clientIp: '127.0.0.1',
    remoteAddress: '127.0.0.1',
    body,
  };
}

/** A stream body that records whether the pipeline pulled any bytes from it. */
function trackedStream(text: string): { body: RequestBody; read(): boolean } {
  let read = false;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    read = true;
    yield new TextEncoder().encode(text);
  }
  return { body: { kind: 'stream', stream: chunks() }, read: () => read };
}

function recorder(log: string[], name: string, phase: Guard['phase']): Guard {
  return {
    name,
    phase,
    onHeaders: () => {
      log.push(`${name}:headers`);
    },
    onBody: () => {
      log.push(`${name}:body`);
    },
  };
}

describe('createGuardPipeline', () => {
  it('runs guards in the fixed phase order whatever order they are listed in', async () => {
    const log: string[] = [];
    const phases: Guard['phase'][] = ['audit', 'pii', 'injection', 'validation', 'limits', 'identity'];
    const pipeline = createGuardPipeline({ guards: phases.map((p) => recorder(log, p, p)) });
    const result = await pipeline.handle(request({ body: CHAT }));
    expect(result.ok).toBe(true);
    expect(log).toEqual([
      'identity:headers',
      'limits:headers',
      'validation:headers',
      'injection:headers',
      'pii:headers',
      'audit:headers',
      'identity:body',
      'limits:body',
      'validation:body',
      'injection:body',
      'pii:body',
      'audit:body',
    ]);
    expect(pipeline.guards.map((g) => g.phase)).toEqual([
      'identity',
      'limits',
      'validation',
      'injection',
      'pii',
      'audit',
    ]);
  });

  it('never reads the body of a request refused by a headers step', async () => {
    const stream = trackedStream(JSON.stringify(CHAT));
    const identity: Guard = {
      name: 'identity',
      phase: 'identity',
      onHeaders: () => {
        throw new LlmGuardError('ERR_LLMGUARD_UNAUTHENTICATED', {
          headers: { 'www-authenticate': 'Bearer' },
        });
      },
    };
    const result = await createGuardPipeline({ guards: [identity] }).handle(
      request({ body: stream.body, headers: { 'content-length': '60' } }),
    );
    expect(result.ok).toBe(false);
    expect((result as GuardRefusal).status).toBe(401);
    expect((result as GuardRefusal).headers['www-authenticate']).toBe('Bearer');
    expect(stream.read()).toBe(false);
  });

  it('refuses with an RFC 9457 problem, echoing a well-formed x-request-id', async () => {
    const pipeline = createGuardPipeline({ guards: [createRequestValidator()] });
    const result = (await pipeline.handle(
      request({
        body: { messages: 'nope' },
        headers: { 'x-request-id': 'req-42.a_b:c' },
        url: '/v1//chat/completions?x=1',
      }),
    )) as GuardRefusal;
    expect(result.ok).toBe(false);
    expect(result.status).toBe(400);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(result.headers['x-request-id']).toBe('req-42.a_b:c');
    const problem = JSON.parse(result.body) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: 'https://llmguard.dev/problems/invalid-request',
      title: 'Invalid LLM request',
      status: 400,
      code: 'ERR_LLMGUARD_INVALID_REQUEST',
      instance: '/v1/chat/completions',
      requestId: 'req-42.a_b:c',
    });
    expect(problem.errors).toEqual([
      { path: '/messages', code: 'invalid_type', message: 'Expected an array.' },
    ]);
  });

  it.each(['has space', 'x'.repeat(129), 'a\u00e9', '<script>', ''])(
    'generates a fresh request id instead of the malformed %j',
    async (supplied) => {
      const pipeline = createGuardPipeline({ guards: [] });
      const result = await pipeline.handle(request({ body: CHAT, headers: { 'x-request-id': supplied } }));
      expect(result.ok).toBe(true);
      const id = result.context.requestId;
      expect(id).not.toBe(supplied);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      if (result.ok) expect(result.headers['x-request-id']).toBe(id);
    },
  );

  it('never puts request text in a problem body', async () => {
    const secret = 'sk-SECRETVALUE-do-not-echo';
    const pipeline = createGuardPipeline({ guards: [createRequestValidator({ allowedModels: ['gpt-4o'] })] });
    const bodies: unknown[] = [
      { model: secret, messages: [{ role: 'user', content: 'x' }] },
      { model: 'gpt-4o', messages: [{ role: secret, content: secret }] },
      {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: [{ type: secret, text: 5 }] }],
        temperature: secret,
      },
      { [secret]: secret },
      `{"model":"gpt-4o","messages":[{"role":"user","content":"x"}],"${secret}":{"__proto__":"${secret}"}}`,
    ];
    for (const body of bodies) {
      const bytes = new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
      const result = (await pipeline.handle(request({ body: { kind: 'bytes', bytes } }))) as GuardRefusal;
      expect(result.ok).toBe(false);
      expect(result.body).not.toContain('SECRETVALUE');
    }
    const badJson = new TextEncoder().encode(`{"model": "${secret}", oops}`);
    const refused = (await pipeline.handle(
      request({ body: { kind: 'bytes', bytes: badJson } }),
    )) as GuardRefusal;
    expect(refused.status).toBe(400);
    expect(refused.body).not.toContain('SECRETVALUE');
  });

  it('turns a guard that throws a plain Error into a 500 without its message', async () => {
    const broken: Guard = {
      name: 'broken',
      phase: 'injection',
      onBody: () => {
        throw new TypeError('cannot read hello there');
      },
    };
    const result = (await createGuardPipeline({ guards: [broken] }).handle(
      request({ body: CHAT }),
    )) as GuardRefusal;
    expect(result.status).toBe(500);
    expect(result.error.code).toBe('ERR_LLMGUARD_INTERNAL');
    expect(result.body).not.toContain('hello there');
    expect(result.context.decisions).toMatchObject([
      { guard: 'broken', outcome: 'block', code: 'ERR_LLMGUARD_INTERNAL' },
    ]);
  });

  it('calls onFinish exactly once for a refusal and for a pass finished twice', async () => {
    const outcomes: RequestOutcome[] = [];
    const audit: Guard = {
      name: 'audit',
      phase: 'audit',
      onFinish: (_ctx, outcome) => void outcomes.push(outcome),
    };
    const refuse: Guard = {
      name: 'limits',
      phase: 'limits',
      onHeaders: (ctx) => {
        if (ctx.header('x-refuse'))
          throw new LlmGuardError('ERR_LLMGUARD_QUOTA_EXCEEDED', { headers: { 'retry-after': '3' } });
      },
    };
    const pipeline = createGuardPipeline({ guards: [audit, refuse] });
    const refused = await pipeline.handle(request({ body: CHAT, headers: { 'x-refuse': '1' } }));
    expect(refused.ok).toBe(false);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: 429, aborted: false });
    expect(outcomes[0]!.error?.code).toBe('ERR_LLMGUARD_QUOTA_EXCEEDED');

    const passed = await pipeline.handle(request({ body: CHAT }));
    if (!passed.ok) throw new Error('expected a pass');
    passed.finish({ status: 200 });
    passed.finish({ status: 499, aborted: true });
    expect(outcomes).toHaveLength(2);
    expect(outcomes[1]).toMatchObject({ status: 200, aborted: false, error: undefined });
  });

  it('keeps going when an onFinish throws or rejects', async () => {
    const seen: string[] = [];
    const guards: Guard[] = [
      { name: 'a', phase: 'pii', onFinish: () => Promise.reject(new Error('async boom')) },
      {
        name: 'b',
        phase: 'injection',
        onFinish: () => {
          throw new Error('boom');
        },
      },
      { name: 'c', phase: 'audit', onFinish: () => void seen.push('c') },
    ];
    const result = await createGuardPipeline({ guards }).handle(request({ body: CHAT }));
    if (!result.ok) throw new Error('expected a pass');
    result.finish({ status: 200 });
    expect(seen).toEqual(['c']);
  });

  it('sends guard response headers on success and on refusal', async () => {
    const limits: Guard = {
      name: 'limits',
      phase: 'limits',
      onHeaders: (ctx) => {
        ctx.responseHeaders['ratelimit'] = '"default";r=9;t=60';
      },
    };
    const pipeline = createGuardPipeline({ guards: [limits, createRequestValidator()] });
    const ok = await pipeline.handle(request({ body: CHAT }));
    expect(ok.headers['ratelimit']).toBe('"default";r=9;t=60');
    const refused = await pipeline.handle(request({ body: { foo: 1 } }));
    expect(refused.ok).toBe(false);
    expect(refused.headers['ratelimit']).toBe('"default";r=9;t=60');
  });

  it('gives the host the sanitized body and reports that it changed', async () => {
    const pipeline = createGuardPipeline({ guards: [createRequestValidator({ stripControlChars: true })] });
    const result = await pipeline.handle(
      request({
        body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'a\u0007b' }], extra: { kept: true } },
      }),
    );
    if (!result.ok) throw new Error('expected a pass');
    expect(result.body).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'ab' }],
      extra: { kept: true },
    });
    expect(result.bodyModified).toBe(true);
    expect(result.context.decisions).toMatchObject([
      { guard: 'validation', step: 'body', outcome: 'modify' },
    ]);
    expect(result.startResponse({ status: 200, header: () => undefined })).toBeNull();
  });

  describe('body handling', () => {
    const pipeline = createGuardPipeline({ guards: [createRequestValidator()], body: { maxBytes: 256 } });

    it('refuses a declared non-JSON media type with 415 before reading', async () => {
      const stream = trackedStream('hello');
      const result = (await pipeline.handle(
        request({ body: stream.body, headers: { 'content-type': 'text/plain', 'content-length': '5' } }),
      )) as GuardRefusal;
      expect(result.status).toBe(415);
      expect(result.headers['accept-post']).toBe('application/json');
      expect(stream.read()).toBe(false);
    });

    it('refuses a body without Content-Type with 415', async () => {
      const result = await pipeline.handle(
        request({ body: CHAT, headers: { 'content-type': undefined as never } }),
      );
      expect(statusOf(result)).toBe(415);
    });

    it('reads a chunked stream body and refuses one over the cap with 413', async () => {
      const ok = await pipeline.handle(
        request({
          body: trackedStream(JSON.stringify(CHAT)).body,
          headers: { 'transfer-encoding': 'chunked' },
        }),
      );
      expect(ok.ok).toBe(true);
      const big = { ...CHAT, padding: 'x'.repeat(300) };
      const refused = await pipeline.handle(
        request({
          body: trackedStream(JSON.stringify(big)).body,
          headers: { 'transfer-encoding': 'chunked' },
        }),
      );
      expect(statusOf(refused)).toBe(413);
    });

    it('refuses a bytes body over the cap with 413', async () => {
      const result = await pipeline.handle(request({ body: { ...CHAT, padding: 'x'.repeat(300) } }));
      expect(statusOf(result)).toBe(413);
    });

    it('applies the structural caps to a body a framework already parsed', async () => {
      const parsed = JSON.parse(
        '{"messages":[{"role":"user","content":"x"}],"__proto__":{"admin":true}}',
      ) as unknown;
      const result = await pipeline.handle(request({ body: { kind: 'parsed', value: parsed } }));
      expect(statusOf(result)).toBe(400);
      expect(result.ok ? undefined : result.error.errors?.[0]?.code).toBe('forbidden_key');
    });

    it('needs a body for POST but lets GET and HEAD through without one', async () => {
      const post = (await pipeline.handle(request({ method: 'POST' }))) as GuardRefusal;
      expect(post.status).toBe(400);
      expect(post.error.errors?.[0]?.code).toBe('body_required');
      const emptyBytes = await pipeline.handle(
        request({ body: { kind: 'bytes', bytes: new Uint8Array(0) } }),
      );
      expect(statusOf(emptyBytes)).toBe(400);
      for (const method of ['GET', 'HEAD']) {
        const result = await pipeline.handle(
          request({
            method,
            url: '/v1/models',
            body: trackedStream('').body,
            headers: { 'content-type': undefined as never },
          }),
        );
        expect(result.ok).toBe(true);
      }
    });
  });
});

describe('isJsonMediaType', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/vnd.api+json', true],
    ['application/problem+json;x=1', true],
    ['text/json', false],
    ['application/jsonx', false],
    ['application/+json', false],
    ['application/a/b+json', false],
    ['text/plain', false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(isJsonMediaType(value)).toBe(expected);
  });
});

describe('the pass after the request phase', () => {
  const sent = '{ "model": "gpt-4o",\n  "messages": [{"role": "user", "content": "hello there"}] }';
  const bytesOf = (text: string): RequestBody => ({ kind: 'bytes', bytes: new TextEncoder().encode(text) });

  it('gives the body text exactly as sent when no guard changed it', async () => {
    const pipeline = createGuardPipeline({ guards: [createRequestValidator()] });
    const result = await pipeline.handle(request({ body: bytesOf(sent) }));
    expect(result.ok && result.bodyText?.()).toBe(sent);
  });

  it('serializes the sanitized body once a guard changed it', async () => {
    const upper: Guard = {
      name: 'upper',
      phase: 'pii',
      onBody(ctx) {
        ctx.prompt?.replaceText(0, 'HELLO THERE');
        return 'modify';
      },
    };
    const pipeline = createGuardPipeline({ guards: [upper] });
    const result = await pipeline.handle(request({ body: bytesOf(sent) }));
    expect(result.ok && result.bodyModified).toBe(true);
    expect(result.ok && JSON.parse(result.bodyText?.() ?? '')).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'HELLO THERE' }],
    });
  });

  it('still works as a pass when copied with a spread', async () => {
    const outcomes: RequestOutcome[] = [];
    const audit: Guard = {
      name: 'audit',
      phase: 'audit',
      onFinish: (_ctx, outcome) => void outcomes.push(outcome),
    };
    const pipeline = createGuardPipeline({ guards: [audit] });
    const result = await pipeline.handle(request({ body: CHAT }));
    if (!result.ok) throw new Error('refused');
    const copy = { ...result };
    expect(copy.body).toEqual(CHAT);
    expect(copy.startResponse({ status: 200, header: () => undefined })).toBeNull();
    copy.finish({ status: 200 });
    copy.finish({ status: 200 });
    expect(outcomes.map((o) => o.status)).toEqual([200]);
  });

  it('tells adapters which answer hooks its guards use', () => {
    const validatorOnly = createGuardPipeline({ guards: [createRequestValidator()] });
    expect(validatorOnly.answerHooks).toEqual({ response: false, finish: false });
    const watcher: Guard = { name: 'w', phase: 'pii', onResponse: () => undefined, onFinish: () => {} };
    expect(createGuardPipeline({ guards: [watcher] }).answerHooks).toEqual({ response: true, finish: true });
  });
});
