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
  const declared = parseContentLength(options.contentLength);
  if (declared !== undefined && declared > maxBytes) throw tooLarge(maxBytes);

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
  if (declared !== undefined && total !== declared) {
    // A body shorter than declared means the connection ended early; a framing error either way.
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', {
      detail: 'The body length does not match Content-Length.',
    });
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

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
