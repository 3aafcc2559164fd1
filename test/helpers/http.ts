import { request } from 'node:http';

/** A response as the client saw it. */
export interface RawResponse {
  readonly status: number;
  /** Lower-case response headers. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly text: string;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** One buffer sent as is, or several written one by one (chunked unless Content-Length is set). */
  readonly body?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Leave the request unfinished (for bodies that never arrive in full). Default false. */
  readonly keepOpen?: boolean;
}

/**
 * Sends one request with node:http, which (unlike fetch) lets a test send a chunked body, a
 * lying Content-Length or invalid bytes. The server may answer and close before the body is
 * sent: write errors after the response has arrived are ignored, a reset before it rejects.
 *
 * @example
 * const res = await sendRaw(`${app.url}/v1/chat/completions`, { headers, body: '{"a":' });
 */
export function sendRaw(url: string, options: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, {
      method: options.method ?? 'POST',
      headers: options.headers ?? {},
      agent: false,
    });
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      const done = (): void => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        const body = Buffer.concat(parts);
        if (options.keepOpen === true) req.destroy();
        resolve({ status: res.statusCode ?? 0, headers, body, text: body.toString('utf8') });
      };
      res.on('end', done);
      res.on('aborted', done);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const body = options.body;
    const parts =
      body === undefined ? [] : typeof body === 'string' || body instanceof Uint8Array ? [body] : body;
    for (const part of parts) req.write(part);
    if (options.keepOpen !== true) req.end();
  });
}
