import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBody } from '../body/read-body.js';
import { isLlmGuardError } from '../errors/llm-guard-error.js';
import { nodeBodyStream, nodeHeaderLookup } from './node-request.js';

describe('nodeHeaderLookup', () => {
  it('reads lower-case names and joins repeated headers', () => {
    const header = nodeHeaderLookup({ 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
    expect(header('content-type')).toBe('application/json');
    expect(header('set-cookie')).toBe('a=1, b=2');
    expect(header('x-missing')).toBeUndefined();
  });
});

// Without a signal the body reader reads the Node stream by its events; with one it goes through
// the async iterator (racing each read against the signal). Both must behave the same.
describe.each([
  ['events', undefined],
  ['iterator', new AbortController().signal],
])('nodeBodyStream read through its %s', (_path, signal) => {
  const options = (maxBytes: number) => (signal === undefined ? { maxBytes } : { maxBytes, signal });

  it('yields every byte of a stream written in pieces over time', async () => {
    const source = new PassThrough();
    const reading = readBody(nodeBodyStream(source), options(1024));
    source.write('{"a":');
    await new Promise((resolve) => setTimeout(resolve, 5));
    source.end('1}');
    expect(Buffer.from(await reading).toString()).toBe('{"a":1}');
  });

  it('stops at the cap without destroying the stream, which stays paused', async () => {
    const source = new PassThrough({ highWaterMark: 16 });
    let written = 0;
    const writer = setInterval(() => {
      if (source.write(Buffer.alloc(64, 0x61))) written += 64;
    }, 1);
    try {
      const error = await readBody(nodeBodyStream(source), options(256)).catch((e: unknown) => e);
      expect(isLlmGuardError(error) && error.code).toBe('ERR_LLMGUARD_BODY_TOO_LARGE');
      // Still usable: a socket behind it would still be open to carry the 413.
      expect(source.destroyed).toBe(false);
      expect(source.isPaused()).toBe(true);
      expect(written).toBeLessThan(10_000);
    } finally {
      clearInterval(writer);
      source.destroy();
    }
  });

  it('turns a stream closed mid-body into a read error', async () => {
    const source = new PassThrough();
    const reading = readBody(nodeBodyStream(source), options(1024)).catch((e: unknown) => e);
    source.write('{"a":');
    source.destroy();
    const error = await reading;
    expect(isLlmGuardError(error) && error.code).toBe('ERR_LLMGUARD_INVALID_REQUEST');
  });

  it('ends at once on a stream that already ended', async () => {
    const source = new PassThrough();
    source.end();
    source.resume();
    await new Promise((resolve) => source.once('end', resolve));
    expect((await readBody(nodeBodyStream(source), options(10))).byteLength).toBe(0);
  });

  it('reads a body that is already buffered, and string chunks of a decoded stream', async () => {
    const source = new PassThrough();
    source.setEncoding('utf8');
    source.end('{"é":1}');
    expect(Buffer.from(await readBody(nodeBodyStream(source), options(64))).toString()).toBe('{"é":1}');
  });

  it('reads a stream that an earlier middleware paused', async () => {
    const source = new PassThrough();
    source.pause();
    const reading = readBody(nodeBodyStream(source), options(64));
    source.end('{"paused":true}');
    expect(Buffer.from(await reading).toString()).toBe('{"paused":true}');
  });

  it('turns a stream error into a read error', async () => {
    const source = new PassThrough();
    const reading = readBody(nodeBodyStream(source), options(1024)).catch((e: unknown) => e);
    source.destroy(new Error('socket reset'));
    const error = await reading;
    expect(isLlmGuardError(error) && error.code).toBe('ERR_LLMGUARD_INVALID_REQUEST');
  });
});
