import { describe, expect, it } from 'vitest';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import { readBody } from './read-body.js';

/** A lazy source that records how many bytes the reader actually pulled. */
function source(
  chunkSize: number,
  chunkCount: number,
): { stream: AsyncIterable<Uint8Array>; pulled(): number } {
  let pulled = 0;
  async function* generate(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < chunkCount; i++) {
      pulled += chunkSize;
      yield new Uint8Array(chunkSize).fill(97);
    }
  }
  return { stream: generate(), pulled: () => pulled };
}

async function* chunksOf(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function refusal(promise: Promise<unknown>): Promise<LlmGuardError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmGuardError);
  return error as LlmGuardError;
}

describe('readBody', () => {
  it('joins the chunks of a body under the cap', async () => {
    const bytes = await readBody(chunksOf('{"a":', '1', '}'), { maxBytes: 100 });
    expect(new TextDecoder().decode(bytes)).toBe('{"a":1}');
  });

  it('accepts a body of exactly the cap', async () => {
    const bytes = await readBody(source(10, 10).stream, { maxBytes: 100, contentLength: '100' });
    expect(bytes.byteLength).toBe(100);
  });

  it('stops a 50 MB chunked upload after the cap plus one chunk', async () => {
    const chunk = 64 * 1024;
    const upload = source(chunk, (50 * 1024 * 1024) / chunk);
    const error = await refusal(readBody(upload.stream, { maxBytes: 1024 * 1024 }));
    expect(error.code).toBe('ERR_LLMGUARD_BODY_TOO_LARGE');
    expect(error.status).toBe(413);
    expect(upload.pulled()).toBeLessThanOrEqual(1024 * 1024 + chunk);
  });

  it('refuses a declared Content-Length over the cap before reading anything', async () => {
    const upload = source(10, 5);
    const error = await refusal(readBody(upload.stream, { maxBytes: 20, contentLength: '50' }));
    expect(error.status).toBe(413);
    expect(upload.pulled()).toBe(0);
  });

  it('counts the bytes received when Content-Length understates the body', async () => {
    const upload = source(1000, 100);
    const error = await refusal(readBody(upload.stream, { maxBytes: 5000, contentLength: '10' }));
    expect(error.status).toBe(413);
    expect(upload.pulled()).toBeLessThanOrEqual(6000);
  });

  it('refuses a body longer than its Content-Length even under the cap', async () => {
    const error = await refusal(readBody(chunksOf('{"a":1}'), { maxBytes: 100, contentLength: '3' }));
    expect(error.code).toBe('ERR_LLMGUARD_INVALID_REQUEST');
    expect(error.detail).toMatch(/Content-Length/);
  });

  it('refuses a body shorter than its Content-Length (connection ended early)', async () => {
    const error = await refusal(readBody(chunksOf('{"a"'), { maxBytes: 100, contentLength: '40' }));
    expect(error.code).toBe('ERR_LLMGUARD_INVALID_REQUEST');
  });

  it.each(['-1', '1e3', '0x10', '', ' ', '10, 10', '1.5', '99999999999999999999'])(
    'refuses the malformed Content-Length %j',
    async (value) => {
      const error = await refusal(readBody(chunksOf('x'), { maxBytes: 100, contentLength: value }));
      expect(error.code).toBe('ERR_LLMGUARD_INVALID_REQUEST');
    },
  );

  it('stops when the client aborts while the source is stalled', async () => {
    const controller = new AbortController();
    let returned = false;
    const stalled: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>(() => {}),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const pending = readBody(stalled, { maxBytes: 100, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const error = await refusal(pending);
    expect(error.code).toBe('ERR_LLMGUARD_INVALID_REQUEST');
    expect(error.detail).toMatch(/aborted/);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(returned).toBe(true);
  });

  it('refuses at once when the signal is already aborted', async () => {
    const upload = source(10, 5);
    const error = await refusal(readBody(upload.stream, { maxBytes: 100, signal: AbortSignal.abort() }));
    expect(error.detail).toMatch(/aborted/);
  });

  it('turns a failing source into a 400 without leaking its message', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1);
      throw new Error('socket hang up secret-123');
    }
    const error = await refusal(readBody(failing(), { maxBytes: 100 }));
    expect(error.status).toBe(400);
    expect(JSON.stringify(error.problem())).not.toContain('secret-123');
  });

  it('accepts string chunks', async () => {
    async function* strings(): AsyncGenerator<Uint8Array> {
      yield 'héllo' as unknown as Uint8Array;
    }
    const bytes = await readBody(strings(), { maxBytes: 100 });
    expect(new TextDecoder().decode(bytes)).toBe('héllo');
  });
});
