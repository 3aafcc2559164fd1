import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import {
  createGuardPipeline,
  createLimitsGuard,
  type GuardPipeline,
  type GuardResult,
  type LimitsGuard,
  type StoreFailurePolicy,
} from '@llmguard/core';
import { RedisStore } from '@llmguard/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRequest } from '../contract/fixtures/limits-load.js';

// Acceptance B: a private redis-server (never the shared one) is stopped mid-load and started
// again. Each failure policy must behave as documented, nothing may crash or reject unhandled, and
// limits must resume by themselves once Redis is back.

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let port = 0;
let server: ChildProcess | undefined;

async function startRedis(): Promise<void> {
  server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => 50 });
  probe.on('error', () => undefined);
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      await sleep(50);
    }
  }
  probe.disconnect();
}

async function stopRedis(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

let client: Redis;
const POLICIES: readonly StoreFailurePolicy[] = ['closed', 'open', 'local'];
const guards = new Map<StoreFailurePolicy, { guard: LimitsGuard; pipeline: GuardPipeline }>();

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  port = await freePort();
  await startRedis();
  client = new Redis({ host: '127.0.0.1', port, retryStrategy: () => 100, maxRetriesPerRequest: 2 });
  client.on('error', () => undefined); // connection errors surface through the store's failures
  const prefix = `fault:${randomUUID()}:`;
  for (const failure of POLICIES) {
    const guard = createLimitsGuard({
      store: new RedisStore({ client, prefix: `${prefix}${failure}:`, commandTimeoutMs: 200 }),
      rates: [{ name: 'five', limit: 5, windowMs: 60_000, algorithm: 'fixed-window' }],
      concurrency: [{ name: 'in-flight', limit: 50 }],
      loop: false,
      failure,
      storeRetryMs: 300,
    });
    guards.set(failure, { guard, pipeline: createGuardPipeline({ guards: [guard] }) });
  }
}, 30_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  client?.disconnect();
  await stopRedis();
});

async function burst(pipeline: GuardPipeline, n: number, ip: string): Promise<GuardResult[]> {
  const results = await Promise.all(Array.from({ length: n }, () => pipeline.handle(loadRequest(ip))));
  for (const r of results) if (r.ok) r.finish({ status: 200 });
  return results;
}
const statuses = (results: readonly GuardResult[]): number[] => results.map((r) => (r.ok ? 200 : r.status));

describe('limits with Redis stopped mid-load and restarted', () => {
  it('follows each failure policy, never hangs or crashes, and resumes limits without restart', async () => {
    // 1. Redis up: limits enforced from Redis (5 of 8 pass) on every policy.
    for (const failure of POLICIES) {
      const { pipeline } = guards.get(failure)!;
      const up = statuses(await burst(pipeline, 8, '192.0.2.1'));
      expect(up.filter((s) => s === 200)).toHaveLength(5);
      expect(up.filter((s) => s === 429)).toHaveLength(3);
    }

    // 2. Stop Redis while requests are in flight.
    const inFlight = POLICIES.map((failure) => burst(guards.get(failure)!.pipeline, 20, '192.0.2.2'));
    await stopRedis();
    const midLoad = await Promise.all(inFlight);
    for (const results of midLoad) for (const s of statuses(results)) expect([200, 429, 503]).toContain(s);

    // 3. Redis down: each policy as documented, each answer within a bounded time.
    const started = performance.now();
    const closed = await burst(guards.get('closed')!.pipeline, 8, '192.0.2.3');
    expect(statuses(closed)).toEqual(Array(8).fill(503));
    const refusal = closed[0]!;
    expect(refusal.ok).toBe(false);
    if (!refusal.ok) {
      expect(JSON.parse(refusal.body)).toMatchObject({ code: 'ERR_LLMGUARD_UNAVAILABLE', status: 503 });
      expect(Number(refusal.headers['retry-after'])).toBeGreaterThan(0);
      expect(refusal.context.decisions).toContainEqual(expect.objectContaining({ outcome: 'fail-closed' }));
    }

    const open = await burst(guards.get('open')!.pipeline, 8, '192.0.2.3');
    expect(statuses(open)).toEqual(Array(8).fill(200));
    expect(open[0]!.context.decisions).toContainEqual(
      expect.objectContaining({ guard: 'limits', outcome: 'fail-open' }),
    );

    // The local fallback keeps limiting, per process, with the same policy.
    const local = statuses(await burst(guards.get('local')!.pipeline, 8, '192.0.2.3'));
    expect(local.filter((s) => s === 200)).toHaveLength(5);
    expect(local.filter((s) => s === 429)).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(5000);

    expect(guards.get('closed')!.guard.metrics.failedClosed).toBeGreaterThan(0);
    expect(guards.get('open')!.guard.metrics.failedOpen).toBeGreaterThan(0);
    expect(guards.get('local')!.guard.metrics.localFallbacks).toBeGreaterThan(0);
    for (const { guard } of guards.values()) expect(guard.metrics.storeErrors).toBeGreaterThan(0);

    // 4. Redis back (empty: it kept nothing): limits come from Redis again, no restart of the app.
    await startRedis();
    await sleep(400); // past storeRetryMs, and time for ioredis to reconnect
    for (const failure of POLICIES) {
      const { pipeline, guard } = guards.get(failure)!;
      let results: GuardResult[] = [];
      for (let attempt = 0; attempt < 20; attempt++) {
        results = await burst(pipeline, 8, '192.0.2.4');
        if (
          results.every(
            (r) => !r.context.decisions.some((d) => d.outcome === 'fail-open' || d.outcome === 'fail-closed'),
          )
        )
          break;
        await sleep(200);
      }
      const s = statuses(results);
      expect({ failure, admitted: s.filter((x) => x === 200).length }).toEqual({ failure, admitted: 5 });
      expect(s.filter((x) => x === 429)).toHaveLength(3);
      await guard.settled();
    }
    const keys = await client.keys('fault:*');
    expect(keys.length).toBeGreaterThan(0); // the counters really live in the restarted Redis
    expect(unhandled).toEqual([]);
  }, 40_000);

  it('reloads its scripts after SCRIPT FLUSH (NOSCRIPT → EVAL, then EVALSHA again)', async () => {
    const store = new RedisStore({ client, prefix: `noscript:${randomUUID()}:` });
    await store.consume('k', { algorithm: 'gcra', limit: 3, windowMs: 10_000 });
    await client.script('FLUSH');
    const seen: string[] = [];
    const original = client.sendCommand.bind(client);
    client.sendCommand = ((command: { name: string }) => {
      seen.push(command.name);
      return original(command as never);
    }) as typeof client.sendCommand;
    try {
      expect((await store.consume('k', { algorithm: 'gcra', limit: 3, windowMs: 10_000 })).remaining).toBe(1);
      expect((await store.consume('k', { algorithm: 'gcra', limit: 3, windowMs: 10_000 })).remaining).toBe(0);
    } finally {
      client.sendCommand = original;
    }
    expect(seen).toEqual(['evalsha', 'eval', 'evalsha']);
  });
});
