import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type RunningApp, startApp } from '../helpers/apps.js';

const CAP = 1024 * 1024;
const CHUNK = 64 * 1024;
const UPLOAD = 50 * 1024 * 1024;
/**
 * Node's HTTP parser finishes the socket read it is working on (up to 64 KiB) after the request
 * stream's 16 KiB buffer reports full, so this much may arrive beyond what the guard consumed.
 */
const NODE_READ_AHEAD = 64 * 1024 + 16 * 1024;

interface UploadOutcome {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
  /** Bytes the client managed to hand to its socket before the server closed. */
  readonly sent: number;
}

/**
 * Streams a 50 MB chunked body generated on the fly (one reused 64 KiB buffer, written under
 * backpressure). The server may close the connection once it has answered: write errors
 * (EPIPE / ECONNRESET) after the response arrived are expected and ignored.
 */
function chunkedUpload(url: string): Promise<UploadOutcome> {
  const chunk = Buffer.alloc(CHUNK, 0x61);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let response: IncomingMessage | undefined;
    let stopped = false;
    const req = request(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    const pump = (): void => {
      while (!stopped && sent < UPLOAD) {
        sent += CHUNK;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!stopped) req.end();
    };
    req.on('response', (res) => {
      response = res;
      stopped = true;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      const done = (): void =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          body: Buffer.concat(parts).toString('utf8'),
          sent,
        });
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', done);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // Only a reset before any response is a failure; a reset after the 413 is the server closing.
      if (response === undefined) reject(error);
    });
    pump();
  });
}

describe.each(ADAPTERS)('%s: 50 MB chunked upload', (adapter) => {
  let app: RunningApp;
  let bodyBytesSeen = 0;
  let bodyBytesConsumed = 0;

  beforeAll(async () => {
    app = await startApp(adapter, { guard: { body: { maxBytes: CAP } } });
    // Count the body bytes Node's HTTP parser hands to each request stream: what the server read.
    app.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      const push = req.push.bind(req);
      req.push = (part: unknown, encoding?: BufferEncoding): boolean => {
        if (part instanceof Uint8Array) bodyBytesSeen += part.byteLength;
        return push(part, encoding);
      };
      // And the bytes taken out of the request stream before the answer was sent: what the guard
      // consumed (afterwards a framework may discard leftovers while the connection closes). A
      // stream hands every chunk it gives out as a 'data' event, whether read() or flowing mode.
      const emit = req.emit.bind(req) as (event: string | symbol, ...args: unknown[]) => boolean;
      req.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
        const part = args[0];
        if (event === 'data' && part instanceof Uint8Array && !res.writableFinished) {
          bodyBytesConsumed += part.byteLength;
        }
        return emit(event, ...args);
      }) as typeof req.emit;
    });
  });
  afterAll(() => app.close());

  it('is refused with 413 after reading no more than the cap plus one chunk', async () => {
    bodyBytesSeen = 0;
    bodyBytesConsumed = 0;
    const outcome = await chunkedUpload(app.url);
    expect(outcome.status).toBe(413);
    expect(outcome.contentType).toBe('application/problem+json');
    expect(JSON.parse(outcome.body)).toMatchObject({ status: 413, code: 'ERR_LLMGUARD_BODY_TOO_LARGE' });
    expect(outcome.sent).toBeLessThan(UPLOAD);
    expect(app.calls).toHaveLength(0);
    // Let any late socket reads land before measuring.
    await new Promise((resolve) => setTimeout(resolve, 100));
    console.info(
      `${adapter}: guard consumed ${bodyBytesConsumed}, server received ${bodyBytesSeen} body bytes of ${UPLOAD} (cap ${CAP})`,
    );
    expect(bodyBytesConsumed).toBeGreaterThan(CAP);
    expect(bodyBytesConsumed).toBeLessThanOrEqual(CAP + CHUNK);
    expect(bodyBytesSeen).toBeLessThanOrEqual(CAP + CHUNK + NODE_READ_AHEAD);
  });
});
