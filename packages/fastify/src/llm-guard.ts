import { PassThrough } from 'node:stream';
import {
  type GuardPipeline,
  type LlmGuardOptions,
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

  // The pipeline runs before Fastify parses: headers-only guards refuse before the body is read,
  // the core reads the raw stream with its byte cap, and Fastify's own parser then reads the
  // sanitized JSON, so handlers find it in `request.body` as usual.
  app.addHook('preParsing', function llmGuardPreParsing(request, reply, payload, next) {
    if (request.routeOptions.config.llmGuard === false) {
      next(null, payload);
      return;
    }
    const aborted = new AbortController();
    const onClose = (): void => {
      if (!reply.raw.writableFinished) aborted.abort();
    };
    reply.raw.once('close', onClose);
    pipeline
      .handle({
        method: request.method,
        url: request.url,
        header: nodeHeaderLookup(request.headers),
        clientIp: request.ip,
        remoteAddress: request.socket.remoteAddress,
        body: { kind: 'stream', stream: nodeBodyStream(payload) },
        signal: aborted.signal,
      })
      .then((result) => {
        reply.raw.off('close', onClose);
        if (!result.ok) {
          // Not calling next() stops the lifecycle here: no parsing, no handler.
          reply.code(result.status).headers(result.headers).send(Buffer.from(result.body));
          return;
        }
        request.llmGuard = result;
        reply.headers(result.headers);
        reply.raw.once('close', () => {
          result.finish({
            status: reply.raw.headersSent ? reply.statusCode : 0,
            aborted: !reply.raw.writableFinished,
          });
        });
        if (result.body === undefined) {
          next(null, payload);
          return;
        }
        const json = Buffer.from(JSON.stringify(result.body));
        const sanitized: ParsablePayload = new PassThrough();
        // Fastify compares this with Content-Length: the original length, which the core verified.
        const declared = request.headers['content-length'];
        sanitized.receivedEncodedLength = declared === undefined ? json.byteLength : Number(declared);
        sanitized.end(json);
        next(null, sanitized);
      }, next);
  });

  app.addHook('onSend', function llmGuardOnSend(request: FastifyRequest, reply: FastifyReply, payload, next) {
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
  });

  done();
};

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
