// One server of the HTTP-overhead benchmark, run in its own process so the load generator and the
// server do not share an event loop. Usage: http-overhead-server.ts <express|hono|fastify> <bare|guarded>
// Prints one JSON line `{"port": N}` once listening. Each line `stats` on stdin is answered with
// `{"cpuMicros": N, "requests": N}` (process CPU time and requests handled so far). Exits on SIGTERM.
// The bench starts it without the dev-source condition, so @llmguard/* load packages/*/dist.
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { createLlmGuard, type LlmGuardOptions } from '@llmguard/core';

type Framework = 'express' | 'hono' | 'fastify';
type Variant = 'bare' | 'guarded';

const REPLY = {
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
};

/** Groups of the preset besides validation; each one that exists is switched off with `false`. */
const OTHER_GROUPS = ['identity', 'limits', 'injection', 'pii', 'audit'] as const;

/**
 * Validation only: every other preset group that exists in this build is turned off. The preset
 * rejects keys it does not know (strict options), so a group named in that error is left out and
 * the rest are tried again. Nothing else is switched on while probing.
 */
function validationOnlyOptions(): LlmGuardOptions {
  let groups: string[] = [...OTHER_GROUPS];
  for (;;) {
    const options = Object.fromEntries(groups.map((group) => [group, false])) as LlmGuardOptions;
    try {
      createLlmGuard(options);
      return options;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const known = groups.filter((group) => !message.includes(`"${group}"`));
      if (known.length === groups.length) throw error;
      groups = known;
    }
  }
}

let handled = 0;

function messageCount(body: unknown): number {
  handled++;
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages) ? messages.length : -1;
}

async function startExpress(variant: Variant): Promise<number> {
  const { default: express } = await import('express');
  const app = express();
  if (variant === 'guarded') {
    const { llmGuard } = await import('@llmguard/express');
    app.use('/v1', llmGuard(validationOnlyOptions()));
  } else {
    app.use(express.json({ limit: '1mb' }));
  }
  app.post('/v1/chat/completions', (req, res) => {
    if (messageCount(req.body) < 1) return void res.status(400).end();
    res.json(REPLY);
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function startHono(variant: Variant): Promise<number> {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const app = new Hono();
  if (variant === 'guarded') {
    const { llmGuard } = await import('@llmguard/hono');
    app.use('/v1/*', llmGuard(validationOnlyOptions()));
  }
  app.post('/v1/chat/completions', async (c) => {
    const body: unknown = await c.req.json();
    if (messageCount(body) < 1) return c.body(null, 400);
    return c.json(REPLY);
  });
  return new Promise((resolve) => {
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
}

async function startFastify(variant: Variant): Promise<number> {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  if (variant === 'guarded') {
    const { llmGuard } = await import('@llmguard/fastify');
    await app.register(llmGuard, validationOnlyOptions());
  }
  app.post('/v1/chat/completions', async (request, reply) => {
    if (messageCount(request.body) < 1) return reply.code(400).send();
    return REPLY;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

const STARTERS: Record<Framework, (variant: Variant) => Promise<number>> = {
  express: startExpress,
  hono: startHono,
  fastify: startFastify,
};

const [framework, variant] = process.argv.slice(2) as [Framework, Variant];
if (!(framework in STARTERS) || (variant !== 'bare' && variant !== 'guarded')) {
  console.error('usage: http-overhead-server.ts <express|hono|fastify> <bare|guarded>');
  process.exit(2);
}
const port = await STARTERS[framework](variant);
process.stdout.write(`${JSON.stringify({ port })}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'stats') return;
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: cpu.user + cpu.system, requests: handled })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
