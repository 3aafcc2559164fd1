import { Readable } from 'node:stream';
import {
  type GuardPipeline,
  type LlmGuardOptions,
  NodeGuardRequest,
  nodeBodyStream,
  nodeHeaderLookup,
  resolveGuardPipeline,
} from '@llmguard/core';
import { errorCodes, type FastifyPluginCallback, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { transformPayload } from './transform-payload.js';
import './request-slot.js';

/** Plugin options: the `llmGuard()` preset options, or a pipeline from `createGuardPipeline`. */
export type FastifyLlmGuardOptions = LlmGuardOptions | GuardPipeline;

/** Options Fastify's `register` itself understands; they are not llmguard's. */
const REGISTER_OPTIONS = ['prefix', 'logLevel', 'logSerializers'] as const;

/**
 * The payload stream Fastify's body parser reads after `preParsing` (see its Hooks docs) when a
 * parser other than ours reads the body: a plain Readable, already ended, holding the sanitized
 * JSON. Cheaper to make and to drain than
 * a PassThrough (no writable side, fewer ticks before 'end').
 */
class ParsablePayload extends Readable {
  /** Compared by Fastify with Content-Length: the length as received, which the core verified. */
  receivedEncodedLength: number;

  constructor(bytes: Uint8Array, receivedEncodedLength: number) {
    super();
    this.receivedEncodedLength = receivedEncodedLength;
    this.push(bytes);
    this.push(null);
  }

  override _read(): void {}
}

const plugin: FastifyPluginCallback<FastifyLlmGuardOptions> = function llmGuardPlugin(app, options, done) {
  const input: Record<string, unknown> = { ...options };
  for (const key of REGISTER_OPTIONS) delete input[key];
  let pipeline: GuardPipeline;
  try {
    pipeline = resolveGuardPipeline(
      'handle' in options ? (options as GuardPipeline) : (input as LlmGuardOptions),
    );
  } catch (error) {
    // Bad options fail `register` (and so `ready`/`listen`) with the coded LlmGuardError.
    done(error as Error);
    return;
  }

  app.decorateRequest('llmGuard', null);
  // Skip the per-answer work the pipeline's guards do not use (validation alone uses neither).
  const seesAnswer = pipeline.answerHooks?.response !== false;
  const awaitsEnd = pipeline.answerHooks?.finish !== false;

  // Guarded JSON requests skip Fastify's second read and parse: the pipeline has already parsed and
  // sanitized the body, so this parser hands that object over. Other requests (routes opted out, no
  // body) get Fastify's own JSON parser with the instance's settings, as before. A JSON parser the
  // application registered first is kept; the sanitized body is then serialized for it instead.
  let handsOverJson = false;
  const defaultJson = app.getDefaultJsonParser(
    app.initialConfig.onProtoPoisoning ?? 'error',
    app.initialConfig.onConstructorPoisoning ?? 'error',
  );
  const instanceLimit = app.initialConfig.bodyLimit ?? DEFAULT_BODY_LIMIT;
  // A stream parser, not `parseAs: 'string'`: a guarded request's body is handed over without
  // Fastify reading a stream first (no stream made, no listeners, no ticks before the handler).
  const llmGuardJsonParser = (
    request: FastifyRequest,
    payload: NodeJS.ReadableStream,
    done: (error: Error | null, body?: unknown) => void,
  ): void => {
    const pass = request.llmGuard;
    if (pass !== null && pass.body !== undefined) {
      done(null, pass.body);
      return;
    }
    readText(
      request,
      payload as BodyStream,
      request.routeOptions.bodyLimit ?? instanceLimit,
      (error, text) => {
        if (error !== null) done(error, undefined);
        else defaultJson(request, text, done);
      },
    );
  };
  try {
    app.addContentTypeParser('application/json', llmGuardJsonParser);
    handsOverJson = true;
  } catch (error) {
    // FST_ERR_CTP_ALREADY_PRESENT: the application's own JSON parser stays in charge.
    if ((error as { code?: unknown }).code !== 'FST_ERR_CTP_ALREADY_PRESENT') throw error;
  }
  // `application/*+json` (RFC 6839), which the core accepts as JSON too, as the other adapters do.
  // Fastify tries exact types before patterns, so an application's parser for one such type wins.
  try {
    app.addContentTypeParser(STRUCTURED_JSON, llmGuardJsonParser);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'FST_ERR_CTP_ALREADY_PRESENT') throw error;
  }

  // The pipeline runs before Fastify parses: headers-only guards refuse before the body is read,
  // the core reads the raw stream with its byte cap, and Fastify's own parser then reads the
  // sanitized JSON, so handlers find it in `request.body` as usual.
  app.addHook('preParsing', function llmGuardPreParsing(request, reply, payload, next) {
    if (request.routeOptions.config.llmGuard === false) {
      next(null, payload);
      return;
    }
    const response = reply.raw;
    pipeline
      .handle(
        new NodeGuardRequest(
          {
            method: request.method,
            url: request.url,
            header: nodeHeaderLookup(request.headers),
            clientIp: undefined,
            remoteAddress: request.socket.remoteAddress,
            // The socket's own request fails when the client goes away; a stream from an earlier
            // preParsing hook (decompression) may not, so it keeps the abort signal.
            body: {
              kind: 'stream',
              stream: nodeBodyStream(payload),
              failsOnDisconnect: payload === (request.raw as unknown),
            },
          },
          response,
          request,
        ),
      )
      .then((result) => {
        if (!result.ok) {
          // Not calling next() stops the lifecycle here: no parsing, no handler.
          reply.code(result.status).headers(result.headers).send(Buffer.from(result.body));
          return;
        }
        request.llmGuard = result;
        reply.headers(result.headers);
        if (awaitsEnd) {
          response.once('close', () => {
            result.finish({
              status: response.headersSent ? reply.statusCode : 0,
              aborted: !response.writableFinished,
            });
          });
        }
        if (result.body === undefined) {
          next(null, payload);
          return;
        }
        if (handsOverJson && isPlainJson(request.headers['content-type'])) {
          // Our parser hands `result.body` over without reading the (already read) payload.
          next(null, payload);
          return;
        }
        const declared = request.headers['content-length'];
        const json = Buffer.from(result.bodyText?.() ?? JSON.stringify(result.body));
        next(null, new ParsablePayload(json, declared === undefined ? json.byteLength : Number(declared)));
      }, next);
  });

  if (seesAnswer) {
    app.addHook(
      'onSend',
      function llmGuardOnSend(request: FastifyRequest, reply: FastifyReply, payload, next) {
        const pass = request.llmGuard;
        if (pass === null || payload === null || payload === undefined) {
          next(null, payload);
          return;
        }
        const transformer = pass.startResponse({
          status: reply.statusCode,
          header: (name) => {
            const value = reply.getHeader(name);
            return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
          },
        });
        if (transformer === null) {
          next(null, payload);
          return;
        }
        // The rewritten body may differ in length.
        reply.removeHeader('content-length');
        next(null, transformPayload(payload, transformer));
      },
    );
  }

  done();
};

/** A payload as Fastify hands it to a parser; a `preParsing` stream may report its encoded length. */
interface BodyStream extends NodeJS.ReadableStream {
  receivedEncodedLength?: number;
}

/**
 * Reads a body the guard did not read (routes opted out, requests without a body) the way Fastify
 * reads one for a `parseAs: 'string'` parser, with the same errors: the route's `bodyLimit` on the
 * declared and the received length (413), a length other than Content-Length (400), a stream error
 * (400 unless it carries its own status).
 */
function readText(
  request: FastifyRequest,
  payload: BodyStream,
  limit: number,
  done: (error: Error | null, text: string) => void,
): void {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), '');
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const detach = (): void => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  const onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    received += bytes.byteLength;
    if (received > limit || (payload.receivedEncodedLength ?? 0) > limit) {
      detach();
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), '');
      return;
    }
    chunks.push(bytes);
  };
  const onEnd = (error?: Error & { statusCode?: number }): void => {
    detach();
    if (error !== undefined && error !== null) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      done(error, '');
      return;
    }
    if (!Number.isNaN(declared) && (payload.receivedEncodedLength || received) !== declared) {
      done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), '');
      return;
    }
    done(null, (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString('utf8'));
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}

/** `application/<subtype>+json`, parameters allowed (RFC 6839 §3.1 structured syntax suffix). */
const STRUCTURED_JSON = /^application\/[\w!#$&^.+-]+\+json(?:\s*;|$)/i;

/** Fastify's own default `bodyLimit` (1 MiB), for an instance whose config does not report one. */
const DEFAULT_BODY_LIMIT = 1_048_576;

/** Media type exactly `application/json`, parameters ignored: the type our parser is registered for. */
function isPlainJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  return (
    (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() ===
    'application/json'
  );
}

/**
 * Fastify plugin running the llmguard pipeline on every route of the scope it is registered in.
 * Handlers read the sanitized body from `request.body` and the guard's result from
 * `request.llmGuard`. Exempt a route with `config: { llmGuard: false }`. Refusals are sent as
 * `application/problem+json`. Options are validated at registration; bad options throw `LlmGuardError`.
 *
 * @example
 * await app.register(llmGuard, { validation: { maxMessages: 50 } });
 * app.post('/v1/chat/completions', async (request) => callModel(request.body));
 * app.get('/health', { config: { llmGuard: false } }, async () => 'ok');
 */
export const llmGuard = fp(plugin, { fastify: '5.x', name: '@llmguard/fastify' });
