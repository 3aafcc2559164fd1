// Limits benchmark: decisions per second of the memory and Redis stores, round trips per Redis
// decision (counted with MONITOR), and rate-limiter-flexible measured side by side in the same run.
// Run: node --conditions=dev-source --import tsx test/bench/limits.bench.ts
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { createLimitsGuard, type GuardContext, MemoryStore, type RateAlgorithm } from '@llmguard/core';
import { RedisStore } from '@llmguard/redis';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { median, writeBenchSection } from './report.js';

const COMMAND = 'node --conditions=dev-source --import tsx test/bench/limits.bench.ts';
const KEYS = 10_000;
const keyNames = Array.from({ length: KEYS }, (_, i) => `user:${i}`);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Runs `fn` for `rounds` rounds and returns the median rate (operations per second). */
async function rate(rounds: number, ops: number, fn: () => Promise<void> | void): Promise<number> {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    await fn();
    rates.push(ops / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

/** Keeps `concurrency` calls in flight until `total` are done. */
async function pump(
  total: number,
  concurrency: number,
  call: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      await call(i).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

const rows: string[] = [];
const row = (cells: readonly string[]): void => {
  rows.push(`| ${cells.join(' | ')} |`);
};

// ---- memory ----
const memory = new MemoryStore({ maxKeys: 100_000 });
const SYNC_OPS = 2_000_000;
const memoryRates: Record<string, number> = {};
for (const algorithm of ['sliding-window', 'fixed-window', 'gcra'] as RateAlgorithm[]) {
  const request = { algorithm, limit: 1_000_000_000, windowMs: 60_000 };
  memoryRates[algorithm] = await rate(5, SYNC_OPS, () => {
    for (let i = 0; i < SYNC_OPS; i++) memory.consumeSync(keyNames[i % KEYS]!, request);
  });
}
const ASYNC_OPS = 500_000;
const memoryAsync = await rate(5, ASYNC_OPS, async () => {
  const request = { algorithm: 'gcra' as const, limit: 1_000_000_000, windowMs: 60_000 };
  for (let i = 0; i < ASYNC_OPS; i++) await memory.consume(keyNames[i % KEYS]!, request);
});
const rlfMemory = new RateLimiterMemory({ points: 1_000_000_000, duration: 60 });
const rlfMemoryRate = await rate(5, ASYNC_OPS, async () => {
  for (let i = 0; i < ASYNC_OPS; i++) await rlfMemory.consume(keyNames[i % KEYS]!, 1);
});

// The guard's own request step on the memory store (synchronous fast path, one policy).
const guard = createLimitsGuard({
  loop: false,
  rates: [{ name: 'm', limit: 1_000_000_000, windowMs: 60_000 }],
});
// Each decision gets a fresh context, as each request does.
const contexts = keyNames.slice(0, 1000).map(
  (_, i) =>
    ({
      clientIp: `10.0.${i >> 8}.${i & 255}`,
      principal: undefined,
      policy: undefined,
      responseHeaders: {},
      state<T>(_key: symbol, init: () => T): T {
        return init();
      },
    }) as unknown as GuardContext,
);
const GUARD_OPS = 300_000;
const guardRate = await rate(5, GUARD_OPS, () => {
  for (let i = 0; i < GUARD_OPS; i++) guard.onHeaders!(contexts[i % contexts.length]!);
});
console.error('memory done');

// ---- redis ----
const client = new Redis({ host: '127.0.0.1', port: 6379 });
const prefix = `llmguard-bench:${randomUUID()}:`;
const redisStore = new RedisStore({ client, prefix });
await redisStore.loadScripts();

// Round trips per decision: every command the server receives from the store's connection.
const monitor = await client.monitor();
let commands = 0;
monitor.on('monitor', (_time: string, args: string[], source: string) => {
  // Commands a script runs inside Redis are listed too, with source "lua": they are not round trips.
  if (source === 'lua') return;
  if (String(args[1] ?? '').startsWith(prefix) || String(args[3] ?? '').startsWith(prefix)) commands++;
});
const ROUND_TRIP_DECISIONS = 1000;
for (let i = 0; i < ROUND_TRIP_DECISIONS; i++) {
  await redisStore.consume(`rt:${i % 50}`, { algorithm: 'gcra', limit: 100, windowMs: 60_000 });
}
await new Promise((r) => setTimeout(r, 300));
monitor.disconnect();
const roundTrips = commands / ROUND_TRIP_DECISIONS;

const REDIS_OPS = 20_000;
const CONCURRENCY = 64;
const rlfRedis = new RateLimiterRedis({
  storeClient: client,
  keyPrefix: `${prefix}rlf`,
  points: 1_000_000_000,
  duration: 60,
});
// Rounds interleave the contenders so machine noise hits them alike.
const redisSamples: Record<string, number[]> = {
  'sliding-window': [],
  'fixed-window': [],
  gcra: [],
  rlf: [],
};
for (let round = 0; round < 3; round++) {
  for (const name of Object.keys(redisSamples)) {
    const request = { algorithm: name as RateAlgorithm, limit: 1_000_000_000, windowMs: 60_000 };
    const started = performance.now();
    await pump(REDIS_OPS, CONCURRENCY, (i) =>
      name === 'rlf'
        ? rlfRedis.consume(keyNames[i % KEYS]!, 1)
        : redisStore.consume(`${name}:${keyNames[i % KEYS]}`, request),
    );
    redisSamples[name]!.push(REDIS_OPS / ((performance.now() - started) / 1000));
  }
}
const rlfRedisRate = median(redisSamples.rlf!);
const redisRates: Record<string, number> = {};
for (const name of ['sliding-window', 'fixed-window', 'gcra']) redisRates[name] = median(redisSamples[name]!);

const keys = await client.keys(`${prefix}*`);
for (let i = 0; i < keys.length; i += 1000) await client.del(...keys.slice(i, i + 1000));
client.disconnect();
memory.close();

row(['store', 'algorithm', 'decisions/s', 'vs rate-limiter-flexible']);
row(['---', '---', '---:', '---:']);
for (const [algorithm, value] of Object.entries(memoryRates)) {
  row(['MemoryStore.consumeSync', algorithm, fmt(value), `${(value / rlfMemoryRate).toFixed(1)}×`]);
}
row([
  'MemoryStore.consume (awaited)',
  'gcra',
  fmt(memoryAsync),
  `${(memoryAsync / rlfMemoryRate).toFixed(1)}×`,
]);
row(['rate-limiter-flexible RateLimiterMemory (awaited)', 'fixed', fmt(rlfMemoryRate), '1.0×']);
row(['limits guard onHeaders (memory, 1 policy, headers on)', 'sliding-window', fmt(guardRate), '']);
for (const [algorithm, value] of Object.entries(redisRates)) {
  row([
    `RedisStore (${CONCURRENCY} in flight)`,
    algorithm,
    fmt(value),
    `${(value / rlfRedisRate).toFixed(2)}×`,
  ]);
}
row([
  `rate-limiter-flexible RateLimiterRedis (${CONCURRENCY} in flight)`,
  'fixed',
  fmt(rlfRedisRate),
  '1.00×',
]);

const markdown = `${rows.join('\n')}

Redis round trips per decision (commands seen by \`MONITOR\` over ${ROUND_TRIP_DECISIONS} sequential decisions,
scripts preloaded; commands a script runs inside Redis are not round trips and are not counted):
**${roundTrips.toFixed(2)}**.

Memory: ${fmt(SYNC_OPS)} decisions per round over ${fmt(KEYS)} keys, median of 5 rounds. Redis: local
server on the same machine, ${fmt(REDIS_OPS)} decisions per round, median of 3 rounds, one shared ioredis
connection for both libraries, rounds interleaved. rate-limiter-flexible runs its default fixed-window limiter.
Load average during the run: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (other work shared the machine).`;

console.log(markdown);
writeBenchSection('limits', 'Limits: decisions per second', COMMAND, markdown);
