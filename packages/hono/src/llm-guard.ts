import { type IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  type GuardPass,
  type GuardPipeline,
  type GuardRequest,
  type LlmGuardOptions,
  NodeGuardRequest,
  nodeBodyStream,
  nodeHeaderLookup,
  type RequestBody,
  resolveGuardPipeline,
} from '@llmguard/core';
import type { Context, MiddlewareHandler } from 'hono';
import { transformBody } from './transform-body.js';

/**
 * Hono environment of routes behind `llmGuard()`: the guard's result is `c.var.llmGuard`.
 *
 * @example
 * const app = new Hono<LlmGuardEnv>();
 * app.post('/v1/chat/completions', (c) => c.json({ id: c.var.llmGuard.context.requestId }));
 */
export interface LlmGuardEnv {
  Variables: { llmGuard: GuardPass };
}

/** The bindings `@hono/node-server` passes as `c.env` (the same fields its `getConnInfo` reads). */
interface NodeBindings {
  readonly incoming?: IncomingMessage;
  readonly outgoing?: ServerResponse;
}

/**
 * Hono middleware running the llmguard pipeline. It reads the raw body itself with the byte cap,
 * then hands the sanitized body to Hono's body cache, so handlers call `await c.req.json()` as
 * usual. Refusals are answered with an `application/problem+json` response; `next()` is not called.
 *
 * Accepts the preset options (default `{}`: validation on with its defaults) or a pipeline from
 * `createGuardPipeline`. Options are validated here, once; bad options throw `LlmGuardError`.
 *
 * @example
 * const app = new Hono<LlmGuardEnv>();
 * app.use('/v1/*', llmGuard({ validation: { maxMessages: 50 } }));
 * app.post('/v1/chat/completions', async (c) => c.json(await callModel(await c.req.json())));
 */
export function llmGuard(options?: LlmGuardOptions | GuardPipeline): MiddlewareHandler<LlmGuardEnv> {
  const pipeline = resolveGuardPipeline(options);
  // Skip the per-answer work the pipeline's guards do not use (validation alone uses neither).
  const seesAnswer = pipeline.answerHooks?.response !== false;
  const awaitsEnd = pipeline.answerHooks?.finish !== false;

  return async function llmGuardMiddleware(c, next): Promise<Response | undefined> {
    const node = nodeBindings(c);
    const result = await pipeline.handle(await guardRequest(c, node));
    if (!result.ok) {
      return new Response(result.body, { status: result.status, headers: result.headers });
    }
    const pass = result;
    if (pass.body !== undefined) {
      // Hono's body readers derive json/arrayBuffer/blob from any cached form of the body. The cache
      // holds promises at runtime (its readers call `.then` on entries), whatever its type says.
      // The text as received when no guard changed the body: Hono parses it once, as without the guard.
      const text: Promise<string> = Promise.resolve(pass.bodyText?.() ?? JSON.stringify(pass.body));
      c.req.bodyCache = { text: text as unknown as string };
      // `c.req.json()` resolves to the sanitized body the guard already parsed, instead of parsing
      // the text a second time; text/arrayBuffer/blob still come from the cache above.
      (c.req as SanitizedRequest)[SANITIZED_BODY] = pass.body;
      c.req.json = sanitizedJson;
    }
    c.set('llmGuard', pass);
    await next();

    if (node?.outgoing !== undefined) {
      // On Node the guard's headers go on the socket response when its head is written, over the
      // handler's own: reading `c.res.headers` would turn @hono/node-server's plain header record
      // into a Headers object and back again on every request.
      addHeadersOnWriteHead(node.outgoing, pass.headers);
    } else {
      // Only status and headers are read here: touching `c.res.body` would turn a plain answer into
      // a stream when no guard needs to see the body.
      for (const [name, value] of Object.entries(pass.headers)) {
        try {
          c.res.headers.set(name, value);
        } catch {
          // Immutable headers (a fetch() response passed through): let Hono copy the response.
          c.header(name, value);
        }
      }
    }
    if (!seesAnswer && !awaitsEnd) return undefined;
    const res = c.res;
    const transformer = pass.startResponse({
      status: res.status,
      header: (name) => res.headers.get(name) ?? undefined,
    });
    const status = res.status;
    const finish = (aborted: boolean): void => pass.finish({ status, aborted });
    if (transformer !== null && isWholeAnswer(res)) {
      // A complete answer: rewrite it whole and send it with its new exact length.
      const whole = new Uint8Array(await res.arrayBuffer());
      const rewritten = concatBytes(transformer.write(whole), transformer.end());
      const headers = new Headers(res.headers);
      headers.set('content-length', String(rewritten.byteLength));
      c.res = undefined;
      c.res = new Response(rewritten, { status: res.status, statusText: res.statusText, headers });
      finishAfterSend(node, finish);
    } else if (transformer !== null && c.res.body !== null) {
      // A stream: rewrite chunk by chunk; the length may change, so it is sent chunked.
      c.header('content-length', undefined);
      c.res = new Response(transformBody(c.res.body!, transformer, finish), c.res);
    } else if (node?.outgoing !== undefined) {
      finishAfterSend(node, finish);
    } else if (c.res.body !== null) {
      c.res = new Response(transformBody(c.res.body!, null, finish), c.res);
    } else {
      finish(false);
    }
    return undefined;
  };
}

const SANITIZED_BODY = Symbol('llmguard.sanitizedBody');

interface SanitizedRequest {
  [SANITIZED_BODY]?: unknown;
}

/** `c.req.json()` of a guarded request: one shared function, the body is kept on the request. */
function sanitizedJson<T>(this: SanitizedRequest): Promise<T> {
  return Promise.resolve(this[SANITIZED_BODY] as T);
}

/** The core's view of the request; on Node it reads the socket's request directly (cheaper, exact). */
async function guardRequest(c: Context, node: NodeBindings | undefined): Promise<GuardRequest> {
  const incoming = node?.incoming;
  const outgoing = node?.outgoing;
  if (incoming !== undefined && outgoing !== undefined) {
    // Hono has no notion of trusted proxies: the socket peer is the client.
    const remoteAddress = incoming.socket?.remoteAddress;
    return new NodeGuardRequest(
      {
        method: incoming.method ?? c.req.method,
        url: incoming.url ?? c.req.path,
        header: nodeHeaderLookup(incoming.headers),
        clientIp: remoteAddress,
        remoteAddress,
        body: await requestBody(c, incoming),
      },
      outgoing,
    );
  }
  const request = c.req.raw;
  const target = new URL(request.url);
  return {
    method: request.method,
    url: target.pathname + target.search,
    header: (name) => request.headers.get(name) ?? undefined,
    clientIp: undefined,
    remoteAddress: undefined,
    body: await requestBody(c, undefined),
    signal: request.signal,
  };
}

const GUARD_HEADERS = Symbol('llmguard.guardHeaders');

interface GuardedOutgoing extends ServerResponse {
  [GUARD_HEADERS]?: Readonly<Record<string, string>>;
}

/**
 * Makes `headers` part of the response head whatever the handler sets, as the guard's headers
 * always were: they are set after the handler's own headers when the head is written (every
 * answer's head goes through `writeHead`, an implicit one too). One shared `writeHead`, the headers
 * kept on the response: nothing made per request.
 */
function addHeadersOnWriteHead(outgoing: ServerResponse, headers: Readonly<Record<string, string>>): void {
  if (outgoing.headersSent) return;
  (outgoing as GuardedOutgoing)[GUARD_HEADERS] = headers;
  outgoing.writeHead = writeHeadGuardHeadersLast;
}

const nodeWriteHead: (
  this: ServerResponse,
  statusCode: number,
  reason?: string,
  headers?: OutgoingHttpHeaders,
) => ServerResponse = ServerResponse.prototype.writeHead;

/**
 * `ServerResponse#writeHead` with the guard's headers applied last. A header record (what
 * @hono/node-server passes) is copied with the guard's headers put over any of the same name in
 * any case, and Node writes it as given (headers set earlier with `setHeader` are merged by Node,
 * the record winning). A flat list of name/value pairs is merged the way Node merges one (each name
 * replaced, repeats appended), then the guard's headers are set over it.
 */
function writeHeadGuardHeadersLast(
  this: GuardedOutgoing,
  statusCode: number,
  reasonOrHeaders?: string | OutgoingHttpHeaders | readonly unknown[],
  maybeHeaders?: OutgoingHttpHeaders | readonly unknown[],
): ServerResponse {
  const reason = typeof reasonOrHeaders === 'string' ? reasonOrHeaders : undefined;
  const given = reason === undefined ? reasonOrHeaders : maybeHeaders;
  const guard = this[GUARD_HEADERS] ?? {};
  if (given !== undefined && given !== null && !Array.isArray(given)) {
    const merged: OutgoingHttpHeaders = {};
    const record = given as OutgoingHttpHeaders;
    for (const name in record) if (!namesHeader(guard, name)) merged[name] = record[name];
    for (const name in guard) merged[name] = guard[name];
    return nodeWriteHead.call(this, statusCode, reason, merged);
  }
  if (Array.isArray(given)) {
    for (let i = 0; i < given.length; i += 2) this.removeHeader(String(given[i]));
    for (let i = 0; i < given.length; i += 2) {
      this.appendHeader(String(given[i]), given[i + 1] as string | readonly string[]);
    }
  }
  for (const name in guard) this.setHeader(name, guard[name]!);
  return nodeWriteHead.call(this, statusCode, reason);
}

/** Whether `headers` has `name` in any letter case (header names are case-insensitive). */
function namesHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  const lower = name.toLowerCase();
  for (const key in headers) if (key.toLowerCase() === lower) return true;
  return false;
}

/** On Node, reports the end of the answer when the socket response closes; elsewhere at once. */
function finishAfterSend(node: NodeBindings | undefined, finish: (aborted: boolean) => void): void {
  const outgoing = node?.outgoing;
  if (outgoing === undefined) {
    finish(false);
    return;
  }
  outgoing.once('close', () => finish(!outgoing.writableFinished));
}

/** JSON documents and bodies of declared length are complete answers; the rest may be streams. */
function isWholeAnswer(res: Response): boolean {
  const type = res.headers.get('content-type')?.toLowerCase() ?? '';
  return res.headers.has('content-length') || (type.includes('json') && !type.includes('event-stream'));
}

function concatBytes(head: Uint8Array, tail: Uint8Array): Uint8Array {
  if (tail.byteLength === 0) return head;
  const out = new Uint8Array(head.byteLength + tail.byteLength);
  out.set(head, 0);
  out.set(tail, head.byteLength);
  return out;
}

function nodeBindings(c: Context): NodeBindings | undefined {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null) return undefined;
  const bindings = ('server' in env ? (env as { server: unknown }).server : env) as NodeBindings;
  return bindings.incoming === undefined ? undefined : bindings;
}

/** The body as the core wants it; a body another middleware already read comes from Hono's cache. */
async function requestBody(c: Context, incoming: IncomingMessage | undefined): Promise<RequestBody> {
  if (Object.keys(c.req.bodyCache).length > 0) {
    return { kind: 'bytes', bytes: new Uint8Array(await c.req.arrayBuffer()) };
  }
  if (c.req.raw.method === 'GET' || c.req.raw.method === 'HEAD') return { kind: 'none' };
  // On Node, read the socket's request stream directly: no second buffer in front of the cap.
  if (incoming !== undefined) {
    return { kind: 'stream', stream: nodeBodyStream(incoming), failsOnDisconnect: true };
  }
  const stream = c.req.raw.body;
  if (stream === null) return { kind: 'none' };
  // preventCancel: cancelling would destroy the socket, and the client would miss the 413.
  return { kind: 'stream', stream: stream.values({ preventCancel: true }), present: true };
}
