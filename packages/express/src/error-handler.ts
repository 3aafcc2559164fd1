import { isLlmGuardError, LlmGuardError, problemResponse, requestIdFor } from '@llmguard/core';
import type { ErrorRequestHandler } from 'express';
import { sendProblem } from './send-problem.js';

/** What body-parser (behind `express.json()`) attaches to the errors it passes to `next`. */
interface BodyParserError {
  readonly type?: unknown;
  readonly limit?: unknown;
}

/**
 * Express error middleware that answers request-body errors as RFC 9457 problems, the same ones the
 * guard sends: the errors of `express.json()` (body-parser) mounted before the guard, which reach
 * Express before the guard runs, and any `LlmGuardError` a handler passes to `next`. Malformed JSON
 * becomes 400 `invalid-json`, a body over the parser's `limit` 413 `body-too-large`, a wrong
 * `Content-Length` or an aborted upload 400 `invalid-request`, an unsupported charset or encoding
 * 415. The parser's own message (which quotes the body) is never sent. Every other error goes on
 * to the next error handler untouched.
 *
 * @example
 * app.use(express.json({ limit: '1mb' }));
 * app.use('/v1', llmGuard());
 * app.post('/v1/chat/completions', handler);
 * app.use(llmGuardErrors()); // after the routes
 */
export function llmGuardErrors(): ErrorRequestHandler {
  return function llmGuardErrorHandler(error: unknown, req, res, next): void {
    const problem = isLlmGuardError(error) ? error : fromBodyParser(error);
    if (problem === undefined || res.headersSent) {
      next(error);
      return;
    }
    const instance = req.originalUrl.split('?')[0] ?? '/';
    sendProblem(
      res,
      problemResponse(problem, { instance, requestId: requestIdFor(req.get('x-request-id')) }),
    );
  };
}

function fromBodyParser(error: unknown): LlmGuardError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, limit } = error as BodyParserError;
  switch (type) {
    case 'entity.parse.failed':
      return new LlmGuardError('ERR_LLMGUARD_INVALID_JSON', { detail: 'The body is not valid JSON.' });
    case 'entity.too.large':
      return new LlmGuardError('ERR_LLMGUARD_BODY_TOO_LARGE', {
        detail: typeof limit === 'number' ? `The body exceeds ${limit} bytes.` : 'The body is too large.',
        headers: { connection: 'close' },
      });
    case 'request.size.invalid':
      return new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', {
        detail: 'The body length does not match Content-Length.',
      });
    case 'request.aborted':
      return new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', { detail: 'The client aborted the request.' });
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new LlmGuardError('ERR_LLMGUARD_UNSUPPORTED_MEDIA_TYPE', {
        detail: 'The body charset or content encoding is not supported.',
      });
    default:
      return undefined;
  }
}
