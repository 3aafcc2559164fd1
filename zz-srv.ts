import type { AddressInfo } from 'node:net';
import { createGuardPipeline } from '@llmguard/core';
const [fw, variant] = process.argv.slice(2);
const REPLY = { id: 'x', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' } }] };
const pipe = () => createGuardPipeline({ guards: [] });
let port = 0;
if (fw === 'express') {
  const { default: express } = await import('express');
  const app = express();
  if (variant === 'guarded') { const { llmGuard } = await import('@llmguard/express'); app.use('/v1', llmGuard(pipe())); } else app.use(express.json({ limit: '1mb' }));
  app.post('/v1/chat/completions', (req, res) => { res.json({ ...REPLY, n: (req.body as { messages: unknown[] }).messages.length }); });
  const s = app.listen(0, '127.0.0.1'); await new Promise((r) => s.once('listening', r)); port = (s.address() as AddressInfo).port;
} else if (fw === 'hono') {
  const { Hono } = await import('hono'); const { serve } = await import('@hono/node-server');
  const app = new Hono();
  if (variant === 'guarded') { const { llmGuard } = await import('@llmguard/hono'); app.use('/v1/*', llmGuard(pipe())); }
  app.post('/v1/chat/completions', async (c) => { const b = (await c.req.json()) as { messages: unknown[] }; return c.json({ ...REPLY, n: b.messages.length }); });
  port = await new Promise((r) => serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (i) => r(i.port)));
} else {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  if (variant === 'guarded') { const { llmGuard } = await import('@llmguard/fastify'); await app.register(llmGuard, pipe()); }
  app.post('/v1/chat/completions', async (request) => ({ ...REPLY, n: (request.body as { messages: unknown[] }).messages.length }));
  await app.listen({ port: 0, host: '127.0.0.1' }); port = (app.server.address() as AddressInfo).port;
}
console.log(port);
let base = process.cpuUsage();
process.stdin.on('data', (d) => { const c = process.cpuUsage(base); process.stdout.write(String(c.user + c.system) + '\n'); base = process.cpuUsage(); });
