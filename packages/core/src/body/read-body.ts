import { LlmGuardError } from '../errors/llm-guard-error.js';

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
  const tooLarge = (): LlmGuardError =>
    new LlmGuardError('ERR_LLMGUARD_BODY_TOO_LARGE', {
      detail: `The body exceeds ${maxBytes} bytes.`,
      headers: { connection: 'close' },
    });
  const declared = options.contentLength === undefined ? undefined : Number(options.contentLength);
  if (declared !== undefined && (!Number.isSafeInteger(declared) || declared < 0)) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', { detail: 'Content-Length is not a valid length.' });
  }
  if (declared !== undefined && declared > maxBytes) throw tooLarge();

  const chunks: Uint8Array[] = [];
  let total = 0;
  const iterator = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (options.signal?.aborted) {
        throw new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', { detail: 'The client aborted the request.' });
      }
      const next = await iterator.next();
      if (next.done) break;
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    // Stop the source so nothing more is buffered; Node streams destroy themselves on return().
    await iterator.return?.().catch(() => {});
    if (error instanceof LlmGuardError) throw error;
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', {
      detail: 'The request body could not be read.',
      cause: error,
    });
  }
  if (declared !== undefined && total !== declared) {
    // A body shorter than declared means the connection ended early; a framing error either way.
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', {
      detail: 'The body length does not match Content-Length.',
    });
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}
