import type { IncomingMessage } from 'node:http';
import {
  type GuardPipeline,
  isJsonMediaType,
  type LlmGuardOptions,
  NodeGuardRequest,
  nodeBodyStream,
  nodeHeaderLookup,
  type RequestBody,
  resolveGuardPipeline,
} from '@llmguard/core';
import type { NextFunction, Request, Response } from 'express';
import { sendProblem } from './send-problem.js';
import { wrapResponse } from './wrap-response.js';
import './request-slot.js';

/** The Express middleware returned by `llmGuard()`. */
export type LlmGuardMiddleware = (req: Request, res: Response, next: NextFunction) => Promise<void>;

/** Fields body parsers (body-parser 1.x and 2.x) use to tell that a body was already read. */
interface ParsedRequest extends IncomingMessage {
  _body?: boolean;
  body?: unknown;
}

/**
 * Express middleware running the llmguard pipeline. Put it before the routes it protects, with or
 * without `express.json()` in front: it reads the raw body itself (with the byte cap) when no
 * parser ran, and sets `req.body` to the sanitized body either way, so handlers read `req.body` as
 * usual. The guard's result is in `req.llmGuard`. Refusals are sent as `application/problem+json`.
 *
 * Accepts the preset options (default `{}`: validation on with its defaults) or a pipeline from
 * `createGuardPipeline`. Options are validated here, once; bad options throw `LlmGuardError`.
 *
 * @example
 * const app = express();
 * app.use('/v1', llmGuard({ validation: { maxMessages: 50 } }));
 * app.post('/v1/chat/completions', (req, res) => res.json(callModel(req.body)));
 */
export function llmGuard(options?: LlmGuardOptions | GuardPipeline): LlmGuardMiddleware {
  const pipeline = resolveGuardPipeline(options);
  // Skip the per-answer wiring the pipeline's guards do not use (validation alone uses neither).
  const seesAnswer = pipeline.answerHooks?.response !== false;
  const awaitsEnd = pipeline.answerHooks?.finish !== false;

  return async function llmGuardMiddleware(req, res, next): Promise<void> {
    const raw = req as ParsedRequest;
    // Take a parser's result only for JSON; anything else (a form parsed by express.urlencoded())
    // goes the raw way, where the core refuses its media type with 415.
    const parsed =
      (raw._body === true || raw.body !== undefined) && isJsonMediaType(req.headers['content-type'] ?? '');
    const body: RequestBody = parsed
      ? { kind: 'parsed', value: raw.body }
      : { kind: 'stream', stream: nodeBodyStream(req), failsOnDisconnect: true };

    let result: Awaited<ReturnType<GuardPipeline['handle']>>;
    try {
      result = await pipeline.handle(
        new NodeGuardRequest(
          {
            method: req.method,
            url: req.originalUrl,
            header: nodeHeaderLookup(req.headers),
            clientIp: undefined,
            remoteAddress: req.socket.remoteAddress,
            body,
          },
          res,
          req,
        ),
      );
    } catch (error) {
      // handle() turns guard failures into refusals; anything else is a bug for Express to report.
      next(error);
      return;
    }

    if (!result.ok) {
      sendProblem(res, result);
      return;
    }
    const pass = result;
    for (const [name, value] of Object.entries(pass.headers)) res.setHeader(name, value);
    if (pass.body !== undefined) {
      raw.body = pass.body;
      // A later express.json() sees the body as read and skips it (body-parser checks `_body` or
      // whether the request stream is finished).
      raw._body = true;
    }
    req.llmGuard = pass;
    if (seesAnswer) wrapResponse(res, pass);
    if (awaitsEnd) {
      res.once('close', () => {
        pass.finish({ status: res.headersSent ? res.statusCode : 0, aborted: !res.writableFinished });
      });
    }
    next();
  };
}
