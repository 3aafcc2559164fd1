import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MemoryStore } from '@llmguard/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type LoadMode, runLoad } from './fixtures/limits-load.js';

// Acceptance A: limits hold exactly across processes. Four Node processes fire 250 requests each
// at the same instant against one Redis; a limit of 100 must admit exactly 100 — for requests,
// LLM tokens and in-flight concurrency alike.
const MODES: readonly LoadMode[] = ['requests', 'tokens', 'concurrency'];
const WORKER = fileURLToPath(new URL('./fixtures/limits-worker.ts', import.meta.url));
const prefix = `llmguard-test:exact:${randomUUID()}:`;
const redis = new Redis({ host: '127.0.0.1', port: 6379 });

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: AsyncIterator<string>;
  readonly reader: Interface;
}

function startWorker(): Worker {
  const child = spawn(
    process.execPath,
    ['--conditions=dev-source', '--import', 'tsx', WORKER, MODES.join(','), prefix, '250', '6379'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  const reader = createInterface({ input: child.stdout });
  return { child, reader, lines: reader[Symbol.asyncIterator]() };
}

async function nextLine(worker: Worker): Promise<string> {
  const { value, done } = await worker.lines.next();
  if (done) throw new Error('worker exited early');
  return value;
}

describe('limits exactness across 4 processes on one Redis', () => {
  it('admits exactly 100 of 4 × 250 concurrent requests for requests, tokens and concurrency', async () => {
    const workers = Array.from({ length: 4 }, startWorker);
    try {
      for (const mode of MODES) {
        for (const w of workers) expect(await nextLine(w)).toBe('ready');
        for (const w of workers) w.child.stdin.write('go\n');
        const results = await Promise.all(workers.map(async (w) => JSON.parse(await nextLine(w))));
        const admitted = results.reduce((sum, r) => sum + r.admitted, 0);
        const refused = results.reduce((sum, r) => sum + (r.statuses['429'] ?? 0), 0);
        expect({ mode, admitted, refused }).toEqual({ mode, admitted: 100, refused: 900 });
      }
    } finally {
      for (const w of workers) {
        w.reader.close();
        w.child.kill();
      }
    }
  }, 60_000);
});

describe('limits exactness on MemoryStore in one process', () => {
  it.each(MODES)('admits exactly 100 of 1,000 concurrent requests (%s)', async (mode) => {
    const store = new MemoryStore();
    const result = await runLoad(mode, store, 1000);
    expect(result).toEqual({ admitted: 100, refused: 900, statuses: { '200': 100, '429': 900 } });
    store.close();
  });
});
