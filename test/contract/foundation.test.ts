import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type AdapterName, type AppOptions, type RunningApp, startApp } from '../helpers/apps.js';
import { type RawRequest, type RawResponse, sendRaw } from '../helpers/http.js';

const CAP = 16 * 1024;
const JSON_HEADERS = { 'content-type': 'application/json' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Headers whose values must match across adapters (framework-specific ones such as Keep-Alive are not compared). */
const COMPARED_HEADERS = [
  'content-type',
  'content-length',
  'transfer-encoding',
  'cache-control',
  'accept-post',
];

const FOUNDATION = {
  body: { maxBytes: CAP },
  identity: false,
  limits: false,
  injection: false,
  pii: false,
  audit: false,
} as const;

const CHAT = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello.' }] };
const RESPONSES = { model: 'gpt-4o-mini', input: 'Say hello.', instructions: 'Be brief.' };
const MESSAGES = {
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  system: 'Be brief.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello.' }] }],
};

/** What must be identical across adapters: status, compared headers, body without the per-request id. */
function comparable(res: RawResponse): unknown {
  const headers: Record<string, string> = {};
  for (const name of COMPARED_HEADERS) if (res.headers[name] !== undefined) headers[name] = res.headers[name];
  let body: unknown = res.text;
  if (/json/.test(res.headers['content-type'] ?? '')) {
    const { requestId: _ignored, ...rest } = JSON.parse(res.text) as Record<string, unknown>;
    body = rest;
  }
  return { status: res.status, headers, body };
}

function expectProblem(res: RawResponse, status: number, code: string): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json');
  const problem = JSON.parse(res.text) as Record<string, unknown>;
  expect(problem).toMatchObject({
    status,
    code,
    type: expect.stringMatching(/^https:\/\/llmguard\.dev\/problems\//),
  });
  expect(typeof problem['title']).toBe('string');
  // The problem links to the request id the client sees.
  expect(problem['requestId']).toBe(res.headers['x-request-id']);
  return problem;
}

const SSE_CHUNKS = [
  'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n',
  'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n',
  'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"lo ✓"}}]}\n\n',
  'data: [DONE]\n\n',
];

/**
 * Streams SSE_CHUNKS from an upstream that pauses 300 ms between chunks, on every adapter, and
 * checks the client got exactly the upstream's bytes, with the first chunk arriving while the
 * upstream was still pausing before the second (arrival order, not a timing threshold).
 */
async function expectSsePassThrough(guard: AppOptions['guard'], exact = true): Promise<string> {
  const answers: string[] = [];
  for (const adapter of ADAPTERS) {
    const events: string[] = [];
    const app = await startApp(adapter, {
      ...(guard === undefined ? {} : { guard }),
      upstream: () => ({
        sse: SSE_CHUNKS,
        chunkDelayMs: 300,
        onChunk: (i) => events.push(`upstream sent ${i}`),
      }),
    });
    try {
      const res = await fetch(`${app.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, accept: 'text/event-stream' },
        body: JSON.stringify({ ...CHAT, stream: true }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      expect(res.headers.get('content-length')).toBeNull();
      const reader = res.body!.getReader();
      const received: Uint8Array[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (received.length === 0) events.push('client got first bytes');
        received.push(value);
      }
      expect({ adapter, events }).toEqual({
        adapter,
        events: [
          'upstream sent 0',
          'client got first bytes',
          'upstream sent 1',
          'upstream sent 2',
          'upstream sent 3',
        ],
      });
      answers.push(Buffer.concat(received).toString('utf8'));
    } finally {
      await app.close();
    }
  }
  // Every adapter delivers the same bytes; with no transformer changing text, the upstream's own.
  expect(answers).toEqual(ADAPTERS.map(() => answers[0]));
  if (exact) expect(answers[0]).toBe(SSE_CHUNKS.join(''));
  return answers[0]!;
}

/** The assistant text carried by a Chat Completions SSE stream. */
function streamedText(sse: string): string {
  let text = '';
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const event = JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] };
    text += event.choices[0]?.delta?.content ?? '';
  }
  return text;
}

describe('foundation contract: identical behaviour on every adapter', () => {
  const apps = new Map<AdapterName, RunningApp>();
  // The foundation alone: body reader, validator and adapters (each guard group has its own suite).
  const options: AppOptions = { guard: FOUNDATION };

  beforeAll(async () => {
    for (const adapter of ADAPTERS) apps.set(adapter, await startApp(adapter, options));
  });
  afterAll(async () => {
    await Promise.all([...apps.values()].map((app) => app.close()));
  });

  /** Sends the same request to every adapter, checks they answered identically, returns the answers. */
  async function onAll(path: string, request: RawRequest): Promise<Map<AdapterName, RawResponse>> {
    const results = new Map<AdapterName, RawResponse>();
    for (const [adapter, app] of apps) results.set(adapter, await sendRaw(app.url + path, request));
    const [first, ...rest] = [...results.values()].map(comparable);
    for (const other of rest) expect(other).toEqual(first);
    return results;
  }

  const lastCall = (adapter: AdapterName) => apps.get(adapter)!.calls.at(-1);

  describe.each([
    ['/v1/chat/completions', CHAT],
    ['/v1/responses', RESPONSES],
    ['/v1/messages', MESSAGES],
  ] as const)('valid %s request', (path, body) => {
    it('reaches the host handler, which reads the body the usual way', async () => {
      const before = new Map([...apps].map(([name, app]) => [name, app.calls.length]));
      const results = await onAll(path, { headers: JSON_HEADERS, body: JSON.stringify(body) });
      for (const [adapter, res] of results) {
        expect(res.status).toBe(200);
        expect(JSON.parse(res.text)).toEqual({ received: body });
        expect(res.headers['x-request-id']).toMatch(UUID);
        expect(apps.get(adapter)!.calls.length).toBe(before.get(adapter)! + 1);
        const call = lastCall(adapter)!;
        expect(call.path).toBe(path);
        expect(call.body).toEqual(body);
        expect(call.guard?.ok).toBe(true);
        expect(call.guard?.context.requestId).toBe(res.headers['x-request-id']);
      }
    });
  });

  it('accepts a JSON content type with parameters', async () => {
    const results = await onAll('/v1/chat/completions', {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(CHAT),
    });
    for (const res of results.values()) expect(res.status).toBe(200);
  });

  it('accepts a structured-syntax JSON type (application/*+json) and hands over the body', async () => {
    const results = await onAll('/v1/chat/completions', {
      headers: { 'content-type': 'application/vnd.example+json; charset=utf-8' },
      body: JSON.stringify(CHAT),
    });
    for (const [adapter, res] of results) {
      expect(res.status).toBe(200);
      expect(lastCall(adapter)!.body).toEqual(CHAT);
    }
  });

  it('takes the client address from the connection, never from X-Forwarded-For', async () => {
    await onAll('/v1/chat/completions', {
      headers: { ...JSON_HEADERS, 'x-forwarded-for': '203.0.113.9', forwarded: 'for=203.0.113.9' },
      body: JSON.stringify(CHAT),
    });
    for (const adapter of ADAPTERS) expect(lastCall(adapter)!.guard?.context.clientIp).toBe('127.0.0.1');
  });

  describe('oversize bodies → 413', () => {
    const big = JSON.stringify({ ...CHAT, messages: [{ role: 'user', content: 'x'.repeat(CAP) }] });

    it('with a Content-Length over the cap', async () => {
      const results = await onAll('/v1/chat/completions', { headers: JSON_HEADERS, body: big });
      for (const res of results.values()) {
        expectProblem(res, 413, 'ERR_LLMGUARD_BODY_TOO_LARGE');
        expect(res.headers['connection']).toBe('close');
      }
    });

    it('with a chunked body that crosses the cap', async () => {
      const pieces = big.match(/[\s\S]{1,4096}/g)!;
      const results = await onAll('/v1/chat/completions', {
        headers: { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
        body: pieces,
      });
      for (const res of results.values()) expectProblem(res, 413, 'ERR_LLMGUARD_BODY_TOO_LARGE');
    });

    it('with a lying Content-Length whose body never arrives, refused before reading', async () => {
      const results = await onAll('/v1/chat/completions', {
        headers: { ...JSON_HEADERS, 'content-length': String(50 * 1024 * 1024) },
        body: '{"model":"gpt-4o-mini"',
        keepOpen: true,
      });
      for (const res of results.values()) expectProblem(res, 413, 'ERR_LLMGUARD_BODY_TOO_LARGE');
    });
  });

  it('refuses malformed JSON with 400', async () => {
    const results = await onAll('/v1/chat/completions', {
      headers: JSON_HEADERS,
      body: '{"model": "gpt-4o-mini",',
    });
    for (const res of results.values()) expectProblem(res, 400, 'ERR_LLMGUARD_INVALID_JSON');
  });

  it('refuses invalid UTF-8 with 400', async () => {
    const body = Buffer.concat([
      Buffer.from('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}]}'),
    ]);
    const results = await onAll('/v1/chat/completions', { headers: JSON_HEADERS, body });
    for (const res of results.values()) expectProblem(res, 400, 'ERR_LLMGUARD_INVALID_UTF8');
  });

  it('refuses deep nesting with 400', async () => {
    const deep = `{"model":"gpt-4o-mini","messages":[],"metadata":${'['.repeat(200)}${']'.repeat(200)}}`;
    const results = await onAll('/v1/chat/completions', { headers: JSON_HEADERS, body: deep });
    for (const res of results.values()) expectProblem(res, 400, 'ERR_LLMGUARD_BODY_TOO_COMPLEX');
  });

  it('refuses a __proto__ key with 400 and never lets it reach the handler', async () => {
    const before = [...apps.values()].map((app) => app.calls.length);
    const body =
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi","__proto__":{"isAdmin":true}}]}';
    const results = await onAll('/v1/chat/completions', { headers: JSON_HEADERS, body });
    for (const res of results.values()) {
      const problem = expectProblem(res, 400, 'ERR_LLMGUARD_INVALID_REQUEST');
      expect(problem['errors']).toEqual([expect.objectContaining({ code: 'forbidden_key' })]);
    }
    expect([...apps.values()].map((app) => app.calls.length)).toEqual(before);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('refuses schema violations with 400 and errors[] that point at the field without echoing it', async () => {
    const body = {
      model: 'gpt-4o-mini',
      temperature: 7,
      messages: [{ role: 'user', content: 'secret-value-123' }],
    };
    const results = await onAll('/v1/chat/completions', {
      headers: JSON_HEADERS,
      body: JSON.stringify(body),
    });
    for (const res of results.values()) {
      const problem = expectProblem(res, 400, 'ERR_LLMGUARD_INVALID_REQUEST');
      const errors = problem['errors'] as { path: string; code: string; message: string }[];
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.map((e) => e.path)).toContain('/temperature');
      for (const error of errors) expect(Object.keys(error).sort()).toEqual(['code', 'message', 'path']);
      expect(res.text).not.toContain('secret-value-123');
    }
  });

  it('refuses a body that is not JSON with 415', async () => {
    const results = await onAll('/v1/chat/completions', {
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(CHAT),
    });
    for (const res of results.values()) {
      expectProblem(res, 415, 'ERR_LLMGUARD_UNSUPPORTED_MEDIA_TYPE');
      expect(res.headers['accept-post']).toBe('application/json');
    }
  });

  describe('x-request-id', () => {
    it('accepts a well-formed id and echoes it, on passes and refusals', async () => {
      const id = 'req_01HZX3-abc.def:42';
      const passed = await onAll('/v1/chat/completions', {
        headers: { ...JSON_HEADERS, 'x-request-id': id },
        body: JSON.stringify(CHAT),
      });
      for (const [adapter, res] of passed) {
        expect(res.headers['x-request-id']).toBe(id);
        expect(lastCall(adapter)!.guard?.context.requestId).toBe(id);
      }
      const refused = await onAll('/v1/chat/completions', {
        headers: { ...JSON_HEADERS, 'x-request-id': id },
        body: '{',
      });
      for (const res of refused.values()) {
        expect(res.headers['x-request-id']).toBe(id);
        expect(JSON.parse(res.text).requestId).toBe(id);
      }
    });

    it('replaces a malformed id with a generated one', async () => {
      for (const bad of ['has spaces in it', 'x'.repeat(129), '<script>']) {
        const results = await onAll('/v1/chat/completions', {
          headers: { ...JSON_HEADERS, 'x-request-id': bad },
          body: JSON.stringify(CHAT),
        });
        for (const res of results.values()) expect(res.headers['x-request-id']).toMatch(UUID);
      }
    });
  });

  it('streams an SSE answer through byte for byte without holding back the first chunk', async () => {
    await expectSsePassThrough(FOUNDATION);
  });

  it('leaves routes outside the guard untouched', async () => {
    const results = await onAll('/health', { method: 'GET' });
    for (const res of results.values()) {
      expect(res.status).toBe(200);
      expect(res.text).toBe('ok');
      expect(res.headers['x-request-id']).toBeUndefined();
    }
    // Not even a body the guard would refuse matters there.
    for (const app of apps.values()) {
      const res = await sendRaw(`${app.url}/health`, { method: 'GET', headers: { 'x-request-id': 'abc' } });
      expect(res.headers['x-request-id']).toBeUndefined();
    }
  });
});

describe('express: with express.json() mounted before the guard', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp('express', { expressJson: true, guard: FOUNDATION });
  });
  afterAll(() => app.close());

  it('passes a valid request and the handler reads the sanitized body', async () => {
    const res = await sendRaw(`${app.url}/v1/chat/completions`, {
      headers: JSON_HEADERS,
      body: JSON.stringify(CHAT),
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(app.calls.at(-1)!.body).toEqual(CHAT);
    expect(app.calls.at(-1)!.guard?.ok).toBe(true);
  });

  it('applies the same caps and schema to the already-parsed body', async () => {
    const deep = `{"model":"gpt-4o-mini","messages":[],"metadata":${'['.repeat(200)}${']'.repeat(200)}}`;
    expectProblem(
      await sendRaw(`${app.url}/v1/chat/completions`, { headers: JSON_HEADERS, body: deep }),
      400,
      'ERR_LLMGUARD_BODY_TOO_COMPLEX',
    );
    const proto = '{"model":"gpt-4o-mini","messages":[],"__proto__":{"x":1}}';
    expectProblem(
      await sendRaw(`${app.url}/v1/chat/completions`, { headers: JSON_HEADERS, body: proto }),
      400,
      'ERR_LLMGUARD_INVALID_REQUEST',
    );
    const invalid = JSON.stringify({ ...CHAT, temperature: 7 });
    const res = await sendRaw(`${app.url}/v1/chat/completions`, { headers: JSON_HEADERS, body: invalid });
    expect(expectProblem(res, 400, 'ERR_LLMGUARD_INVALID_REQUEST')['errors']).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '/temperature' })]),
    );
  });

  it('still answers a non-JSON body with 415 (express.json() left it unread)', async () => {
    const res = await sendRaw(`${app.url}/v1/chat/completions`, {
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expectProblem(res, 415, 'ERR_LLMGUARD_UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('the default llmGuard() preset on every adapter', () => {
  const apps: RunningApp[] = [];
  beforeAll(async () => {
    for (const adapter of ADAPTERS) apps.push(await startApp(adapter, { guard: { audit: false } }));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it.each([
    ['/v1/chat/completions', CHAT],
    ['/v1/responses', RESPONSES],
    ['/v1/messages', MESSAGES],
  ] as const)('lets an ordinary %s request through', async (path, body) => {
    for (const app of apps) {
      const res = await sendRaw(app.url + path, { headers: JSON_HEADERS, body: JSON.stringify(body) });
      expect({ adapter: app.adapter, status: res.status }).toEqual({ adapter: app.adapter, status: 200 });
      expect(app.calls.at(-1)!.body).toEqual(body);
    }
  });

  it('streams an SSE answer without holding back the first chunk, same on every adapter', async () => {
    // Answer guards (PII redaction) may re-frame events while they look ahead; the text is unchanged.
    const sse = await expectSsePassThrough({ audit: false }, false);
    expect(streamedText(sse)).toBe('Hello ✓');
    expect(sse.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});
