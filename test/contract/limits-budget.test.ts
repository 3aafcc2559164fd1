import { randomUUID } from 'node:crypto';
import {
  costMicros,
  createGuardPipeline,
  createLimitsGuard,
  type GuardRequest,
  MemoryStore,
  type Principal,
  type Store,
} from '@llmguard/core';
import { RedisStore } from '@llmguard/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sseChunks } from '../../examples/gateway/src/mock-llm.js';
import { ADAPTERS, type RunningApp, startApp } from '../helpers/apps.js';

// Acceptance C: 200 answers stream at once, each reports its real usage at its own moment; the
// stored spend must equal the sum of the actual costs to the micro-dollar (the estimates charged
// up front are replaced by atomic deltas, so no concurrent update is lost).
const redis = new Redis({ host: '127.0.0.1', port: 6379 });
const prefix = `llmguard-test:budget:${randomUUID()}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const PRICES = { 'gpt-4o*': { input: 2.5, output: 10 }, '*': { input: 0.15, output: 0.6 } };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function request(i: number): GuardRequest {
  const bytes = new TextEncoder().encode(
    JSON.stringify({
      model: i % 3 === 0 ? 'gpt-4o-2024-08-06' : 'small-model',
      stream: true,
      max_tokens: 50 + (i % 17),
      messages: [{ role: 'user', content: `question number ${i} `.repeat(1 + (i % 5)) }],
    }),
  );
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  return {
    method: 'POST',
    url: '/v1/chat/completions',
    header: (n) => headers[n],
    clientIp: '203.0.113.50',
    remoteAddress: '203.0.113.50',
    body: { kind: 'bytes', bytes },
  };
}

const principal: Principal = { id: 'user-7', kind: 'api-key', tenant: 'acme', roles: [], scopes: [] };

const stores: readonly [string, () => Store][] = [
  ['memory', () => new MemoryStore()],
  ['redis', () => new RedisStore({ client: redis, prefix })],
];

describe.each(stores)('budget accounting on %s', (_name, make) => {
  it('stored spend equals the sum of actual costs after 200 concurrent streamed answers', async () => {
    const store = make();
    const guard = createLimitsGuard({
      store,
      loop: false,
      budgets: {
        prices: PRICES,
        policies: [
          { name: 'daily', period: 'day', limitUsd: 1000 },
          { name: 'tenant-monthly', period: 'month', limitUsd: 5000, key: 'tenant' },
        ],
      },
    });
    const identify = {
      name: 'test-identity',
      phase: 'identity' as const,
      onHeaders(ctx: { principal: Principal | undefined }): void {
        ctx.principal = principal;
      },
    };
    const pipeline = createGuardPipeline({ guards: [identify, guard] });
    let expected = 0;
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const result = await pipeline.handle(request(i));
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const usage = {
          inputTokens: 1 + Math.floor(Math.random() * 3000),
          outputTokens: Math.floor(Math.random() * 2000),
        };
        const model = i % 3 === 0 ? PRICES['gpt-4o*'] : PRICES['*'];
        expected += costMicros(usage, model);
        const hooks = guard.onResponse?.(result.context);
        await sleep(Math.random() * 30); // the stream runs for a while; usage comes in its final event
        hooks?.onUsage?.(usage);
        result.finish({ status: 200 });
      }),
    );
    await guard.settled();
    const today = new Date().toISOString();
    const daily = await store.add(`budget:daily:p:user-7:${today.slice(0, 10)}`, 0, { ttlMs: 86_400_000 });
    const monthly = await store.add(`budget:tenant-monthly:t:acme:${today.slice(0, 7)}`, 0, {
      ttlMs: 86_400_000,
    });
    expect(daily.value).toBe(expected);
    expect(monthly.value).toBe(expected);
    expect(expected).toBeGreaterThan(0);
  });
});

// The same accounting end to end: real HTTP on every adapter, the upstream streams OpenAI SSE whose
// final chunk carries `usage`, the response transformer hands it to the limits guard.
describe.each(ADAPTERS)('%s: budget accounting over streamed HTTP answers', (adapter) => {
  let app: RunningApp;
  let expected = 0;
  const store = new RedisStore({ client: redis, prefix: `${prefix}${adapter}:` });
  const guard = createLimitsGuard({
    store,
    loop: false,
    budgets: { prices: PRICES, policies: [{ name: 'daily', period: 'day', limitUsd: 1000 }] },
  });
  beforeAll(async () => {
    app = await startApp(adapter, {
      guard: { audit: false, limits: false, guards: [guard] },
      upstream: () => {
        const usage = {
          inputTokens: 1 + Math.floor(Math.random() * 3000),
          outputTokens: Math.floor(Math.random() * 2000),
        };
        expected += costMicros(usage, PRICES['gpt-4o*']);
        return {
          sse: sseChunks('openai-chat', 'A streamed answer in a few pieces.', {
            model: 'gpt-4o',
            ...usage,
            includeUsage: true,
          }),
          chunkDelayMs: Math.floor(Math.random() * 5),
        };
      },
    });
  });
  afterAll(() => app.close());

  it('stored spend equals the sum of actual costs of 200 concurrent streams', async () => {
    const bodies = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const r = await fetch(`${app.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gpt-4o',
            stream: true,
            stream_options: { include_usage: true },
            max_tokens: 100,
            messages: [{ role: 'user', content: `Tell me about topic number ${i}.` }],
          }),
        });
        expect(r.status).toBe(200);
        return r.text();
      }),
    );
    expect(bodies.every((b) => b.includes('"usage"'))).toBe(true);
    await guard.settled();
    const day = new Date().toISOString().slice(0, 10);
    const spent = await store.add(`budget:daily:ip:127.0.0.1:${day}`, 0, { ttlMs: 86_400_000 });
    expect(spent.value).toBe(expected);
  }, 30_000);
});
