import { type Readable, Transform } from 'node:stream';
import type { ResponseBodyTransformer } from '@llmguard/core';

/**
 * Rewrites an `onSend` payload with the guard's transformer: strings and buffers at once, streams
 * chunk by chunk as they arrive (SSE keeps its pace).
 */
export function transformPayload(payload: unknown, transformer: ResponseBodyTransformer): unknown {
  if (typeof payload === 'string' || payload instanceof Uint8Array) {
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    return Buffer.concat([transformer.write(bytes), transformer.end()]);
  }
  if (isReadable(payload)) {
    const rewrite = new Transform({
      transform(chunk: Buffer | string, _encoding, callback): void {
        const out = transformer.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        if (out.byteLength > 0) this.push(out);
        callback();
      },
      flush(callback): void {
        const tail = transformer.end();
        if (tail.byteLength > 0) this.push(tail);
        callback();
      },
    });
    payload.on('error', (error) => rewrite.destroy(error));
    return payload.pipe(rewrite);
  }
  return payload;
}

function isReadable(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && typeof (value as Readable).pipe === 'function';
}
