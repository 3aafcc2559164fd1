import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { HeaderLookup } from '../context/guard-context.js';
import type { GuardRequest, RequestBody } from './request.js';

/**
 * Header lookup over Node's `IncomingMessage.headers` (names already lower case). Repeated
 * headers Node keeps as arrays (`set-cookie`) are joined with `, ` as RFC 9110 §5.3 allows.
 *
 * @example
 * const header = nodeHeaderLookup(req.headers);
 * header('content-type'); // 'application/json'
 */
export function nodeHeaderLookup(headers: IncomingHttpHeaders): HeaderLookup {
  // An anonymous arrow: cheaper to make than a bound function, and nothing renames it at load.
  return (name) => lookupNodeHeader(headers, name);
}

function lookupNodeHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The chunks of a Node request stream for the core's body reader. Unlike the stream's own async
 * iterator, stopping early (the byte cap was crossed) only pauses the stream: destroying an
 * `IncomingMessage` destroys its socket, and the client would see a reset instead of the 413.
 * The paused socket stops reading, so the rest of an oversized body is never buffered.
 *
 * @example
 * const bytes = await readBody(nodeBodyStream(req), { maxBytes: 1_048_576 });
 */
export function nodeBodyStream(stream: Readable): AsyncIterable<Uint8Array> {
  return new NodeBody(stream);
}

/**
 * The iterable itself; a class so that no function is made per request. The core's body reader
 * recognises it and reads `source` with plain stream events instead of the iterator.
 */
export class NodeBody implements AsyncIterable<Uint8Array> {
  readonly #stream: Readable;

  constructor(stream: Readable) {
    this.#stream = stream;
  }

  /** The Node stream this body is read from. */
  get source(): Readable {
    return this.#stream;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return new NodeBodyIterator(this.#stream);
  }
}

/**
 * One listener for 'readable', 'end' and 'close' (plus one for 'error') that reads the outcome from
 * the stream's own state (`readableEnded`, `destroyed`): no closure per event per request.
 */
class NodeBodyIterator implements AsyncIterator<Uint8Array> {
  readonly #stream: Readable;
  readonly #notify: () => void;
  readonly #onError: (error: unknown) => void;
  readonly #park: (resolve: () => void) => void;
  #failure: unknown;
  #wake: (() => void) | undefined;
  #attached = false;

  constructor(stream: Readable) {
    this.#stream = stream;
    this.#notify = this.#onEvent.bind(this);
    this.#onError = this.#recordError.bind(this);
    this.#park = this.#setWake.bind(this);
  }

  /** Promise executor: the next event resolves the pending `next()`. */
  #setWake(resolve: () => void): void {
    this.#wake = resolve;
  }

  #recordError(error: unknown): void {
    this.#failure ??= error ?? new Error('The request stream failed.');
    this.#onEvent();
  }

  #onEvent(): void {
    const resume = this.#wake;
    this.#wake = undefined;
    resume?.();
  }

  #attach(): void {
    if (this.#attached) return;
    this.#attached = true;
    const stream = this.#stream;
    stream.on('readable', this.#notify);
    stream.on('end', this.#notify);
    stream.on('error', this.#onError);
    stream.on('close', this.#notify);
  }

  #detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    const stream = this.#stream;
    stream.off('readable', this.#notify);
    stream.off('end', this.#notify);
    stream.off('error', this.#onError);
    stream.off('close', this.#notify);
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    const stream = this.#stream;
    this.#attach();
    for (;;) {
      const chunk: unknown = stream.read();
      if (chunk !== null) {
        return {
          done: false,
          value: typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array),
        };
      }
      const failure = this.#failure ?? stream.errored;
      if (failure !== null && failure !== undefined) {
        this.#detach();
        throw failure;
      }
      // Wait for 'end' rather than trusting `complete`: a body parser mounted later checks that
      // the stream has ended to know the body was read.
      if (stream.readableEnded) {
        this.#detach();
        return { done: true, value: undefined };
      }
      // 'close' without 'end' means the client went away mid-body.
      if (stream.destroyed) {
        this.#detach();
        throw new Error('The request stream closed early.');
      }
      await new Promise<void>(this.#park);
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    this.#detach();
    this.#stream.pause();
    return { done: true, value: undefined };
  }
}

/**
 * An `AbortSignal` that aborts when a Node response closes before it was finished (the client went
 * away). Adapters hand it to the core through a getter, so the controller and its listener are only
 * made for requests whose guards ask for `ctx.signal`.
 *
 * @example
 * const request = { …, get signal() { return responseCloseSignal(res); } };
 */
export function responseCloseSignal(res: ServerResponse): AbortSignal {
  if (res.closed) return res.writableFinished ? new AbortController().signal : AbortSignal.abort();
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/**
 * A `GuardRequest` over a Node request/response pair whose `signal` is made on first use (see
 * `responseCloseSignal`). A class rather than an object literal with a getter: each literal with an
 * accessor gets a hidden class of its own in V8, which turns every property read in the pipeline
 * megamorphic and fills the old generation.
 *
 * @example
 * const request = new NodeGuardRequest({ method, url, header: nodeHeaderLookup(req.headers), clientIp, remoteAddress, body }, res);
 */
export class NodeGuardRequest implements GuardRequest {
  readonly method: string;
  readonly url: string;
  readonly header: HeaderLookup;
  readonly remoteAddress: string | undefined;
  readonly body: RequestBody;
  readonly #clientIp: string | undefined;
  readonly #ipSource: { readonly ip?: string | undefined } | undefined;
  readonly #response: ServerResponse;
  #signal: AbortSignal | undefined;

  /**
   * `ipSource`: an object whose `ip` is the framework's trusted client address, read only if a guard
   * asks (Express's and Fastify's `request.ip` are computed on access); it wins over `fields.clientIp`.
   */
  constructor(
    fields: Omit<GuardRequest, 'signal'>,
    response: ServerResponse,
    ipSource?: { readonly ip?: string | undefined },
  ) {
    this.method = fields.method;
    this.url = fields.url;
    this.header = fields.header;
    this.#clientIp = fields.clientIp;
    this.remoteAddress = fields.remoteAddress;
    this.body = fields.body;
    this.#ipSource = ipSource;
    this.#response = response;
  }

  /** The framework's trusted client address. */
  get clientIp(): string | undefined {
    return this.#ipSource === undefined ? this.#clientIp : this.#ipSource.ip;
  }

  /** Aborts when the response closes before it finished (the client went away). */
  get signal(): AbortSignal {
    this.#signal ??= responseCloseSignal(this.#response);
    return this.#signal;
  }
}
