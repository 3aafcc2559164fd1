import { request } from 'node:http';
import {
  createGuardPipeline,
  type GuardPipeline,
  type ResponseBodyTransformer,
  type ResponseStart,
} from '@llmguard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, type RunningApp, startApp, type UpstreamReply } from '../helpers/apps.js';

const CHAT = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

interface Observed {
  readonly starts: { status: number; contentType: string | undefined }[];
  readonly finishes: { status: number; aborted: boolean | undefined }[];
}

/**
 * A pipeline whose answers go through a transformer that upper-cases ASCII and appends `!` at the
 * end (so both `write` and `end` output must reach the client), recording what the adapter reports.
 */
function recordingPipeline(transform: boolean): { pipeline: GuardPipeline; observed: Observed } {
  const base = createGuardPipeline({ guards: [] });
  const observed: Observed = { starts: [], finishes: [] };
  const pipeline: GuardPipeline = {
    guards: base.guards,
    async handle(req) {
      const result = await base.handle(req);
      if (!result.ok) return result;
      return {
        ...result,
        body: result.body,
        startResponse(start: ResponseStart): ResponseBodyTransformer | null {
          observed.starts.push({ status: start.status, contentType: start.header('content-type') });
          if (!transform) return null;
          return {
            write: (chunk) => Buffer.from(Buffer.from(chunk).toString('latin1').toUpperCase(), 'latin1'),
            end: () => Buffer.from('!'),
          };
        },
        finish(info) {
          observed.finishes.push({ status: info.status, aborted: info.aborted });
          result.finish(info);
        },
      };
    },
  };
  return { pipeline, observed };
}

const post = (url: string, body: unknown = CHAT): Promise<Response> =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe.each(ADAPTERS)('%s: response transformer hook', (adapter) => {
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(transform: boolean, reply: UpstreamReply): Promise<Observed> {
    const { pipeline, observed } = recordingPipeline(transform);
    app = await startApp(adapter, { guard: pipeline, upstream: () => reply });
    return observed;
  }

  it('rewrites a JSON answer and sends it with its new exact Content-Length', async () => {
    const observed = await start(true, { status: 201, json: { text: 'hello' } });
    const res = await post(app!.url);
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('{"TEXT":"HELLO"}!');
    expect(res.headers.get('content-length')).toBe('17');
    expect(observed.starts).toEqual([{ status: 201, contentType: 'application/json' }]);
    await settle();
    expect(observed.finishes).toEqual([{ status: 201, aborted: false }]);
  });

  it('rewrites a streamed SSE answer chunk by chunk', async () => {
    const observed = await start(true, { sse: ['data: a\n\n', 'data: b\n\n'], chunkDelayMs: 20 });
    const res = await post(app!.url);
    expect(res.headers.get('content-length')).toBeNull();
    expect(await res.text()).toBe('DATA: A\n\nDATA: B\n\n!');
    expect(observed.starts).toEqual([{ status: 200, contentType: 'text/event-stream' }]);
    await settle();
    expect(observed.finishes).toEqual([{ status: 200, aborted: false }]);
  });

  it('passes the answer through untouched when no transformer is returned', async () => {
    const observed = await start(false, { json: { text: 'hello' } });
    const res = await post(app!.url);
    expect(await res.text()).toBe('{"text":"hello"}');
    expect(res.headers.get('content-length')).toBe('16');
    await settle();
    expect(observed.finishes).toEqual([{ status: 200, aborted: false }]);
  });

  it('reports an answer the client abandoned as aborted, exactly once', async () => {
    const chunks = Array.from({ length: 20 }, (_, i) => `data: ${i}\n\n`);
    const observed = await start(true, { sse: chunks, chunkDelayMs: 50 });
    await new Promise<void>((resolve, reject) => {
      const req = request(`${app!.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET') reject(error);
      });
      req.end(JSON.stringify(CHAT));
    });
    await expect.poll(() => observed.finishes.length, { timeout: 5000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(observed.finishes).toEqual([{ status: 200, aborted: true }]);
  });

  it('does not call the transformer or finish hooks of a refused request', async () => {
    const observed = await start(true, { json: {} });
    const res = await fetch(`${app!.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_LLMGUARD_INVALID_JSON');
    await settle();
    expect(observed).toEqual({ starts: [], finishes: [] });
  });
});
