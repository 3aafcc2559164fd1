import type { ServerResponse } from 'node:http';
import type { GuardPass, ResponseBodyTransformer } from '@llmguard/core';

type WriteCallback = (error?: Error | null) => void;

/**
 * Routes the host's answer through the guard's response transformer. The transformer is decided
 * when the head is written (the status and headers are known then); when there is none, every
 * byte passes through unchanged and unbuffered, so streamed answers keep their timing. An answer
 * sent in one `end()` keeps an exact Content-Length; one written in pieces is sent chunked.
 */
export function wrapResponse(res: ServerResponse, pass: GuardPass): void {
  let transformer: ResponseBodyTransformer | null | undefined;
  const writeHead = res.writeHead;
  const write = res.write;
  const end = res.end;

  const start = (): ResponseBodyTransformer | null => {
    if (transformer === undefined) {
      transformer = pass.startResponse({
        status: res.statusCode,
        header: (name) => {
          const value = res.getHeader(name);
          return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
        },
      });
      // The rewritten body may differ in length: send it chunked instead.
      if (transformer !== null && !res.headersSent) res.removeHeader('content-length');
    }
    return transformer;
  };

  res.writeHead = function guardedWriteHead(this: ServerResponse, status: number, ...rest: unknown[]) {
    if (transformer === undefined) {
      // Fold headers passed to writeHead in first, so the transformer sees the content type.
      const headers = rest.find((arg) => typeof arg === 'object' && arg !== null);
      res.statusCode = status;
      if (headers !== undefined && !Array.isArray(headers)) {
        for (const [name, value] of Object.entries(headers as Record<string, string | number | string[]>)) {
          res.setHeader(name, value);
        }
        rest = rest.filter((arg) => arg !== headers);
      }
      start();
      if (transformer !== null) res.removeHeader('content-length');
    }
    return (writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse).call(
      this,
      status,
      ...rest,
    );
  } as ServerResponse['writeHead'];

  res.write = function guardedWrite(this: ServerResponse, chunk: unknown, ...rest: unknown[]): boolean {
    const active = res.headersSent ? (transformer ?? null) : start();
    if (active === null) return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined;
    const callback = rest.find((arg): arg is WriteCallback => typeof arg === 'function');
    const out = active.write(toBytes(chunk, encoding));
    return (write as (...args: unknown[]) => boolean).call(this, out, callback);
  } as ServerResponse['write'];

  res.end = function guardedEnd(this: ServerResponse, ...args: unknown[]): ServerResponse {
    const active = res.headersSent ? (transformer ?? null) : start();
    if (active === null) return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    const callback = args.find((arg): arg is () => void => typeof arg === 'function');
    const chunk = typeof args[0] === 'function' ? undefined : args[0];
    const encoding = typeof args[1] === 'string' ? (args[1] as BufferEncoding) : undefined;
    const head =
      chunk === undefined || chunk === null ? new Uint8Array(0) : active.write(toBytes(chunk, encoding));
    const tail = active.end();
    const body = Buffer.concat([head, tail]);
    // The whole answer is in this one call: send it with its exact new length, not chunked.
    if (!res.headersSent && res.statusCode !== 204 && res.statusCode !== 304) {
      res.setHeader('content-length', body.byteLength);
    }
    return (end as (...a: unknown[]) => ServerResponse).call(this, body, callback);
  } as ServerResponse['end'];
}

function toBytes(chunk: unknown, encoding: BufferEncoding | undefined): Uint8Array {
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding ?? 'utf8');
  if (chunk instanceof Uint8Array) return chunk;
  return Buffer.from(String(chunk));
}
