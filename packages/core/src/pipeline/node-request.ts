import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { HeaderLookup } from '../context/guard-context.js';

/**
 * Header lookup over Node's `IncomingMessage.headers` (names already lower case). Repeated
 * headers Node keeps as arrays (`set-cookie`) are joined with `, ` as RFC 9110 §5.3 allows.
 *
 * @example
 * const header = nodeHeaderLookup(req.headers);
 * header('content-type'); // 'application/json'
 */
export function nodeHeaderLookup(headers: IncomingHttpHeaders): HeaderLookup {
  return function header(name: string): string | undefined {
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
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
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      let ended = stream.readableEnded;
      let failure: unknown;
      let wake: (() => void) | undefined;
      const notify = (): void => {
        const resume = wake;
        wake = undefined;
        resume?.();
      };
      const onEnd = (): void => {
        ended = true;
        notify();
      };
      const onError = (error: unknown): void => {
        failure = error;
        notify();
      };
      const onClose = (): void => {
        // 'close' without 'end' means the client went away mid-body.
        if (!ended && failure === undefined) failure = new Error('The request stream closed early.');
        notify();
      };
      stream.on('readable', notify);
      stream.on('end', onEnd);
      stream.on('error', onError);
      stream.on('close', onClose);
      const detach = (): void => {
        stream.off('readable', notify);
        stream.off('end', onEnd);
        stream.off('error', onError);
        stream.off('close', onClose);
      };
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          for (;;) {
            const chunk: unknown = stream.read();
            if (chunk !== null) {
              return {
                done: false,
                value: typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array),
              };
            }
            if (failure !== undefined) {
              detach();
              throw failure;
            }
            // Wait for 'end' rather than trusting `complete`: a body parser mounted later checks that
            // the stream has ended to know the body was read.
            if (ended || stream.readableEnded) {
              detach();
              return { done: true, value: undefined };
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          detach();
          stream.pause();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
