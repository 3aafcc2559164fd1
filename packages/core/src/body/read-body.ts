import type { Readable } from 'node:stream';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import { NodeBody } from '../pipeline/node-request.js';

export interface ReadBodyOptions {
  readonly maxBytes: number;
  /** The declared `Content-Length`, if any. */
  readonly contentLength?: string | undefined;
  readonly signal?: AbortSignal;
}

/**
 * Reads a request body with the byte cap enforced on the bytes actually received, so a chunked body
 * or a `Content-Length` that lies cannot get past it. A declared length over the cap is refused
 * before reading anything; otherwise reading stops at the first chunk that crosses the cap and the
 * rest is never buffered (RFC 9110 §15.5.14, 413 Content Too Large).
 */
export async function readBody(
  stream: AsyncIterable<Uint8Array>,
  options: ReadBodyOptions,
): Promise<Uint8Array> {
  const { maxBytes } = options;
  const declared = parseContentLength(options.contentLength);
  if (declared !== undefined && declared > maxBytes) throw tooLarge(maxBytes);

  if (options.signal === undefined && stream instanceof NodeBody) {
    const bytes = await new NodeStreamReader(stream.source, maxBytes).done;
    if (declared !== undefined && bytes.byteLength !== declared) throw lengthMismatch();
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const iterator = stream[Symbol.asyncIterator]();
  const aborted = abortPromise(options.signal);
  try {
    for (;;) {
      // Race each read against the client going away, so a stalled source cannot hold the request.
      const next =
        aborted === undefined
          ? await iterator.next()
          : await Promise.race([iterator.next(), aborted.promise]);
      if (next.done) break;
      const chunk: Uint8Array = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    // Stop the source so nothing more is buffered; Node streams destroy themselves on return().
    void Promise.resolve()
      .then(() => iterator.return?.())
      .catch(() => {});
    if (error instanceof LlmGuardError) throw error;
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', {
      detail: 'The request body could not be read.',
      cause: error,
    });
  } finally {
    aborted?.dispose();
  }
  // A body shorter than declared means the connection ended early; a framing error either way.
  if (declared !== undefined && total !== declared) throw lengthMismatch();
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

function lengthMismatch(): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', {
    detail: 'The body length does not match Content-Length.',
  });
}

function unreadable(cause: unknown): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', {
    detail: 'The request body could not be read.',
    cause,
  });
}

/**
 * Reads a Node request stream with its own events ('data', 'end', 'error', 'close') and one
 * promise, with the same outcomes as the iterator path: chunks arrive in flowing mode (the cheapest
 * hand-over Node has: no read() calls, no extra 'readable' ticks), the cap is checked on every chunk
 * and crossing it pauses the stream (never destroys it: the socket must stay up for the 413, and a
 * paused socket stops reading), 'close' before 'end' means the client went away, and the result
 * waits for 'end' so a later body parser sees the body as read. Listeners are bound methods, not
 * closures made per request.
 */
class NodeStreamReader {
  readonly done: Promise<Uint8Array>;
  readonly #stream: Readable;
  readonly #maxBytes: number;
  readonly #chunks: Uint8Array[] = [];
  #total = 0;
  #settled = false;
  #resolve: (bytes: Uint8Array) => void = noop;
  #reject: (error: unknown) => void = noop;
  readonly #onData = this.#data.bind(this);
  readonly #onEnd = this.#end.bind(this);
  readonly #onError = this.#error.bind(this);
  readonly #onClose = this.#close.bind(this);

  constructor(stream: Readable, maxBytes: number) {
    this.#stream = stream;
    this.#maxBytes = maxBytes;
    this.done = new Promise<Uint8Array>(this.#start.bind(this));
  }

  #start(resolve: (bytes: Uint8Array) => void, reject: (error: unknown) => void): void {
    this.#resolve = resolve;
    this.#reject = reject;
    const stream = this.#stream;
    if (stream.readableEnded) {
      this.#settled = true;
      resolve(Buffer.alloc(0));
      return;
    }
    stream.on('end', this.#onEnd);
    stream.on('error', this.#onError);
    stream.on('close', this.#onClose);
    // Flowing mode: chunks arrive as 'data' events, the cheapest way Node hands over a body.
    // resume() too: adding the listener alone leaves a stream paused earlier (pause()) paused.
    stream.on('data', this.#onData);
    stream.resume();
    if (this.#settled) return;
    if (stream.errored) this.#error(stream.errored);
    else if (stream.destroyed) this.#close();
  }

  #detach(): void {
    this.#settled = true;
    const stream = this.#stream;
    stream.off('data', this.#onData);
    stream.off('end', this.#onEnd);
    stream.off('error', this.#onError);
    stream.off('close', this.#onClose);
  }

  #data(chunk: unknown): void {
    if (this.#settled) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
    this.#total += bytes.byteLength;
    if (this.#total > this.#maxBytes) {
      this.#detach();
      // Paused, not destroyed: the socket stops reading and must stay up for the 413.
      this.#stream.pause();
      this.#reject(tooLarge(this.#maxBytes));
      return;
    }
    this.#chunks.push(bytes);
  }

  #end(): void {
    if (this.#settled) return;
    this.#detach();
    const chunks = this.#chunks;
    this.#resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#total));
  }

  #error(error: unknown): void {
    if (this.#settled) return;
    this.#detach();
    this.#reject(unreadable(error ?? new Error('The request stream failed.')));
  }

  #close(): void {
    // 'close' without 'end' means the client went away mid-body.
    if (this.#settled || this.#stream.readableEnded) return;
    this.#detach();
    this.#reject(unreadable(new Error('The request stream closed early.')));
  }
}

function noop(): void {}

function tooLarge(maxBytes: number): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_BODY_TOO_LARGE', {
    detail: `The body exceeds ${maxBytes} bytes.`,
    headers: { connection: 'close' },
  });
}

/**
 * RFC 9110 §8.6: Content-Length is one or more digits. Anything else (signs, exponents, hex,
 * several values) is a framing error, refused instead of guessed.
 */
function parseContentLength(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  let valid = trimmed.length > 0 && trimmed.length <= 16;
  for (let i = 0; valid && i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    valid = c >= 48 && c <= 57;
  }
  if (!valid) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', {
      detail: 'Content-Length is not a valid length.',
    });
  }
  return Number(trimmed);
}

function abortPromise(
  signal: AbortSignal | undefined,
): { readonly promise: Promise<never>; dispose(): void } | undefined {
  if (signal === undefined) return undefined;
  const abortedError = (): LlmGuardError =>
    new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', { detail: 'The client aborted the request.' });
  if (signal.aborted) return { promise: Promise.reject(abortedError()), dispose() {} };
  let onAbort: () => void = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortedError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // Never left unhandled: the race observes it, and dispose() detaches it when reading is done.
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
