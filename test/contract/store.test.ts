import { randomUUID } from 'node:crypto';
import { MemoryStore, type RateAlgorithm, type Store } from '@llmguard/core';
import { RedisStore } from '@llmguard/redis';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

// The same cases run against every Store implementation: the in-process one and Redis
// (the shared server at 127.0.0.1:6379, under a prefix unique to this run, removed afterwards).
const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 1 });
const prefix = `llmguard-test:store:${randomUUID()}:`;
const memory = new MemoryStore();

afterAll(async () => {
  memory.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const stores: readonly [string, () => Store][] = [
  ['memory', () => memory],
  ['redis', () => new RedisStore({ client: redis, prefix })],
];
const ALGORITHMS: readonly RateAlgorithm[] = ['sliding-window', 'fixed-window', 'gcra'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.each(stores)('Store contract: %s', (_name, make) => {
  const store = make();
  const key = (): string => randomUUID();

  describe.each(ALGORITHMS)('consume (%s)', (algorithm) => {
    it('admits exactly the limit among 500 concurrent calls', async () => {
      const k = key();
      const results = await Promise.all(
        Array.from({ length: 500 }, () => store.consume(k, { algorithm, limit: 100, windowMs: 60_000 })),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(100);
      const refused = results.find((r) => !r.allowed)!;
      expect(refused.remaining).toBe(0);
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(120_000);
    });

    it('counts costs and reports what remains', async () => {
      const k = key();
      const first = await store.consume(k, { algorithm, limit: 100, windowMs: 60_000, cost: 30 });
      expect(first).toMatchObject({ allowed: true, remaining: 70, retryAfterMs: 0 });
      expect((await store.consume(k, { algorithm, limit: 100, windowMs: 60_000, cost: 80 })).allowed).toBe(
        false,
      );
      expect((await store.consume(k, { algorithm, limit: 100, windowMs: 60_000, cost: 70 })).allowed).toBe(
        true,
      );
    });

    it('refund gives units back, never below an empty window', async () => {
      const k = key();
      const limit = { algorithm, limit: 10, windowMs: 60_000 } as const;
      await store.consume(k, { ...limit, cost: 10 });
      expect((await store.consume(k, limit)).allowed).toBe(false);
      await store.refund(k, { ...limit, amount: 3 });
      const after = await store.consume(k, { ...limit, cost: 3 });
      expect(after.allowed).toBe(true);
      await store.refund(k, { ...limit, amount: 1000 });
      expect((await store.consume(k, { ...limit, cost: 10 })).allowed).toBe(true);
      expect((await store.consume(k, limit)).allowed).toBe(false);
    });

    it('force counts units that do not fit and says so', async () => {
      const k = key();
      const limit = { algorithm, limit: 10, windowMs: 60_000 } as const;
      const forced = await store.consume(k, { ...limit, cost: 15, force: true });
      expect(forced.allowed).toBe(false);
      expect(forced.remaining).toBe(0);
      expect((await store.consume(k, limit)).allowed).toBe(false);
    });

    it('lets traffic through again once the window has passed', async () => {
      const k = key();
      const limit = { algorithm, limit: 2, windowMs: 300 } as const;
      await store.consume(k, limit);
      await store.consume(k, limit);
      const refused = await store.consume(k, limit);
      expect(refused.allowed).toBe(false);
      await sleep(refused.retryAfterMs + 20);
      expect((await store.consume(k, limit)).allowed).toBe(true);
    });
  });

  it('acquire admits exactly the limit concurrently; release frees a slot; unknown tokens are ignored', async () => {
    const k = key();
    const results = await Promise.all(Array.from({ length: 300 }, () => store.acquire(k, 100, 60_000)));
    const taken = results.filter((r) => r.acquired);
    expect(taken).toHaveLength(100);
    expect(results.find((r) => !r.acquired)).toMatchObject({ token: '', inFlight: 100 });
    await store.release(k, 'not-a-token');
    expect((await store.acquire(k, 100, 60_000)).acquired).toBe(false);
    await store.release(k, taken[0]!.token);
    expect((await store.acquire(k, 100, 60_000)).acquired).toBe(true);
  });

  it('slots expire after their ttl (a crashed holder never blocks forever)', async () => {
    const k = key();
    expect((await store.acquire(k, 1, 150)).acquired).toBe(true);
    expect((await store.acquire(k, 1, 150)).acquired).toBe(false);
    await sleep(200);
    expect((await store.acquire(k, 1, 150)).acquired).toBe(true);
  });

  it('add is exact under concurrency and respects the limit', async () => {
    const k = key();
    const amounts = Array.from({ length: 400 }, (_, i) => (i % 7) + 1);
    await Promise.all(amounts.map((a) => store.add(k, a, { ttlMs: 60_000 })));
    const total = amounts.reduce((a, b) => a + b, 0);
    expect((await store.add(k, 0, { ttlMs: 60_000 })).value).toBe(total);
    expect(await store.add(k, 5, { ttlMs: 60_000, limit: total + 4 })).toEqual({
      allowed: false,
      value: total,
    });
    expect(await store.add(k, -10, { ttlMs: 60_000, limit: total })).toEqual({
      allowed: true,
      value: total - 10,
    });
  });

  it('add counters expire ttl after creation', async () => {
    const k = key();
    await store.add(k, 5, { ttlMs: 150 });
    await sleep(200);
    expect((await store.add(k, 1, { ttlMs: 150 })).value).toBe(1);
  });

  it('decayAdd halves the score every half-life', async () => {
    const k = key();
    expect(await store.decayAdd(k, 8, 200, 10_000)).toBe(8);
    await sleep(200);
    const score = await store.decayAdd(k, 0, 200, 10_000);
    expect(score).toBeGreaterThan(3);
    expect(score).toBeLessThan(4.2);
  });

  it('get / set / delete plain records with optional ttl', async () => {
    const k = key();
    expect(await store.get(k)).toBeUndefined();
    await store.set(k, 'value');
    expect(await store.get(k)).toBe('value');
    await store.delete(k);
    expect(await store.get(k)).toBeUndefined();
    await store.set(k, 'short', 100);
    await sleep(150);
    expect(await store.get(k)).toBeUndefined();
  });
});

describe('RedisStore specifics', () => {
  it('decides in one round trip: a single EVALSHA per consume once the script is cached', async () => {
    const isolated = new Redis({ host: '127.0.0.1', port: 6379 });
    const store = new RedisStore({ client: isolated, prefix });
    const commands: string[] = [];
    const original = isolated.sendCommand.bind(isolated);
    isolated.sendCommand = ((command: { name: string }) => {
      commands.push(command.name);
      return original(command as never);
    }) as typeof isolated.sendCommand;
    // The first call may load the script (NOSCRIPT → EVAL); every later one is one EVALSHA.
    await store.consume(randomUUID(), { algorithm: 'gcra', limit: 5, windowMs: 1000 });
    commands.length = 0;
    await store.consume(randomUUID(), { algorithm: 'gcra', limit: 5, windowMs: 1000 });
    expect(commands).toEqual(['evalsha']);
    isolated.disconnect();
  });

  it('fails with a guard-unavailable error within the command timeout when Redis does not answer', async () => {
    const dead = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, retryStrategy: () => 200 });
    dead.on('error', () => undefined);
    void dead.connect().catch(() => undefined);
    const store = new RedisStore({ client: dead, prefix, commandTimeoutMs: 100 });
    const started = performance.now();
    await expect(store.consume('k', { algorithm: 'gcra', limit: 1, windowMs: 1000 })).rejects.toMatchObject({
      code: 'ERR_LLMGUARD_UNAVAILABLE',
    });
    expect(performance.now() - started).toBeLessThan(2000); // bounded by the timeout, not by ioredis retries
    dead.disconnect();
  });
});

describe('MemoryStore and RedisStore decide alike', () => {
  // The Lua scripts mirror the in-process arithmetic: for any sequence of consumes and refunds
  // (inside one long window, so the two clocks cannot straddle a boundary) both stores agree.
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('consume' as const),
      cost: fc.integer({ min: 1, max: 40 }),
      force: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('refund' as const),
      cost: fc.integer({ min: 1, max: 40 }),
      force: fc.constant(false),
    }),
  );
  it.each(['fixed-window', 'gcra', 'sliding-window'] as const)('%s', async (algorithm) => {
    const redisStore = new RedisStore({ client: redis, prefix });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const k = randomUUID();
        const limit = { algorithm, limit: 100, windowMs: 604_800_000 } as const; // one week
        for (const o of ops) {
          if (o.kind === 'refund') {
            await memory.refund(k, { ...limit, amount: o.cost });
            await redisStore.refund(k, { ...limit, amount: o.cost });
            continue;
          }
          const request = { ...limit, cost: o.cost, force: o.force };
          const a = await memory.consume(k, request);
          const b = await redisStore.consume(k, request);
          expect({ allowed: b.allowed, remaining: b.remaining }).toEqual({
            allowed: a.allowed,
            remaining: a.remaining,
          });
        }
      }),
      { numRuns: 25 },
    );
  });
});
