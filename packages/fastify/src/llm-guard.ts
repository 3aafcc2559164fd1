import { PassThrough } from 'node:stream';
import {
  type GuardPipeline,
  type LlmGuardOptions,
  NodeGuardRequest,
  nodeBodyStream,
  nodeHeaderLookup,
  resolveGuardPipeline,
} from '@llmguard/core';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { transformPayload } from './transform-payload.js';
import './request-slot.js';

/** Plugin options: the `llmGuard()` preset options, or a pipeline from `createGuardPipeline`. */
export type FastifyLlmGuardOptions = LlmGuardOptions | GuardPipeline;

/** Options Fastify's `register` itself understands; they are not llmguard's. */
const REGISTER_OPTIONS = ['prefix', 'logLevel', 'logSerializers'] as const;

/** The payload stream Fastify's body parser reads after `preParsing` (see its Hooks docs). */
interface ParsablePayload extends PassThrough {
  receivedEncodedLength?: number;
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
  try {
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: app.initialConfig.bodyLimit ?? DEFAULT_BODY_LIMIT },
      function llmGuardJsonParser(request, text, done) {
        // A guarded request with a body: its sanitized body is already parsed (the stream was empty).
        const pass = request.llmGuard;
        if (pass !== null && pass.body !== undefined) {
          done(null, pass.body);
          return;
        }
        defaultJson(request, text as string, done);
      },
    );
    handsOverJson = true;
  } catch (error) {
    // FST_ERR_CTP_ALREADY_PRESENT: the application's own JSON parser stays in charge.
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
        const declared = request.headers['content-length'];
        const sanitized: ParsablePayload = new PassThrough();
        if (handsOverJson && isPlainJson(request.headers['content-type'])) {
          // Our parser hands `result.body` over; Fastify only reads an empty stream before calling it.
          // Fastify compares this with Content-Length: the original length, which the core verified.
          sanitized.receivedEncodedLength = declared === undefined ? 0 : Number(declared);
          sanitized.end();
          next(null, sanitized);
          return;
        }
        const json = Buffer.from(result.bodyText?.() ?? JSON.stringify(result.body));
        sanitized.receivedEncodedLength = declared === undefined ? json.byteLength : Number(declared);
        sanitized.end(json);
        next(null, sanitized);
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
