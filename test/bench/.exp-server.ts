import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { createLlmGuard, nodeBodyStream, nodeHeaderLookup } from '@llmguard/core';
import Fastify from 'fastify';
const mode = process.argv[2];
const app = Fastify({ logger: false });
const pipeline = createLlmGuard({ injection: false, pii: false, limits: false, audit: false, identity: false } as never);
const kBody = Symbol('b');
if (mode === 'readonly') app.addContentTypeParser('application/json', (req, _p, done) => {
  done(null, (req.raw as unknown as Record<symbol, unknown>)[kBody]);
});
else app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, text, done) => {
  const b = (req.raw as unknown as Record<symbol, unknown>)[kBody];
  done(null, b !== undefined ? b : JSON.parse(text as string));
});
app.addHook('preParsing', (request, reply, payload, next) => {
  if (mode === 'none') return next(null, payload);
  if (mode === 'readonly') {
    const chunks: Buffer[] = [];
    payload.on('data', (c: Buffer) => chunks.push(c));
    payload.on('end', () => {
      (request.raw as unknown as Record<symbol, unknown>)[kBody] = JSON.parse(Buffer.concat(chunks).toString());
      next(null, payload);
    });
    return;
  }
  if (mode === 'read') {
    const chunks: Buffer[] = [];
    payload.on('data', (c: Buffer) => chunks.push(c));
    payload.on('end', () => {
      (request.raw as unknown as Record<symbol, unknown>)[kBody] = JSON.parse(Buffer.concat(chunks).toString());
      const s = new PassThrough(); (s as unknown as { receivedEncodedLength: number }).receivedEncodedLength = Number(request.headers['content-length']); s.end(); next(null, s);
    });
    return;
  }
  pipeline.handle({ method: request.method, url: request.url, header: nodeHeaderLookup(request.headers), clientIp: request.ip, remoteAddress: undefined, body: { kind: 'stream', stream: nodeBodyStream(payload), failsOnDisconnect: true } } as never).then((r) => {
    if (!r.ok) throw new Error(r.body);
    (request.raw as unknown as Record<symbol, unknown>)[kBody] = r.body;
    const s = new PassThrough(); (s as unknown as { receivedEncodedLength: number }).receivedEncodedLength = Number(request.headers['content-length']); s.end(); next(null, s);
  });
});
app.post('/v1/chat/completions', async (request) => ({ n: (request.body as { messages: unknown[] }).messages.length }));
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);
process.once('SIGTERM', () => process.exit(0));
