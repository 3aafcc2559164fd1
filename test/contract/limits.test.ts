import { parseList } from 'structured-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type AdapterName, type RunningApp, startApp } from '../helpers/apps.js';

// Acceptance D over real HTTP on every adapter: RateLimit-Policy / RateLimit parse as RFC 9651
// lists and say what the draft says, the 429 is an RFC 9457 quota-exceeded problem, and a client
// that waits for Retry-After gets through.
const BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'What is the capital of France?' }],
});
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Seen {
  readonly statuses: number[];
  readonly problem: Record<string, unknown>;
  readonly headerNames: string[];
}
const seen = new Map<AdapterName, Seen>();

function post(app: RunningApp): Promise<Response> {
  return fetch(`${app.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
  });
}

describe.each(ADAPTERS)('%s: limits over HTTP', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(adapter, {
      guard: {
        audit: false,
        limits: {
          rates: [{ name: 'per-3s', limit: 3, windowMs: 3000, algorithm: 'fixed-window' }],
          concurrency: [{ name: 'in-flight', limit: 10 }],
          headers: { legacy: true },
        },
      },
    });
  });
  afterAll(() => app.close());

  it('announces policies, refuses the fourth request with a problem, and admits after Retry-After', async () => {
    const statuses: number[] = [];
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await post(app);
      statuses.push(r.status);
      await r.arrayBuffer();
      const policy = parseList(r.headers.get('ratelimit-policy')!);
      expect(policy.map(([name, p]) => [name, p.get('q'), p.get('w'), p.get('qu')])).toEqual([
        ['per-3s', 3, 3, undefined],
        ['in-flight', 10, undefined, 'concurrent-requests'],
      ]);
      const limit = parseList(r.headers.get('ratelimit')!);
      expect(limit[0]![0]).toBe('per-3s');
      remaining.push(limit[0]![1].get('r') as number);
      const t = limit[0]![1].get('t') as number;
      expect(t).toBeGreaterThanOrEqual(0);
      expect(t).toBeLessThanOrEqual(3);
      // The partition key is an opaque hash, never the client address.
      expect(limit[0]![1].get('pk')).toBeInstanceOf(ArrayBuffer);
      expect(r.headers.get('ratelimit')).not.toContain('127.0.0.1');
      expect(r.headers.get('x-ratelimit-limit')).toBe('3');
    }
    expect(remaining).toEqual([2, 1, 0]);

    const refused = await post(app);
    statuses.push(refused.status);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await refused.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: 'https://llmguard.dev/problems/quota-exceeded',
      status: 429,
      code: 'ERR_LLMGUARD_QUOTA_EXCEEDED',
      'violated-policies': ['per-3s'],
    });
    const limit = parseList(refused.headers.get('ratelimit')!);
    expect(limit[0]![1].get('r')).toBe(0);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(5);

    await sleep(retryAfter * 1000);
    const after = await post(app);
    statuses.push(after.status);
    await after.arrayBuffer();
    expect(after.status).toBe(200);

    const { requestId: _id, ...stable } = problem;
    seen.set(adapter, {
      statuses,
      problem: stable,
      headerNames: ['ratelimit', 'ratelimit-policy', 'retry-after', 'x-ratelimit-limit'].filter((h) =>
        refused.headers.has(h),
      ),
    });
  }, 20_000);
});

describe('limits: identical across adapters', () => {
  it('same statuses, same problem body (minus requestId), same headers', () => {
    const all = ADAPTERS.map((a) => seen.get(a));
    expect(all.every((s) => s !== undefined)).toBe(true);
    for (const s of all) expect(s).toEqual(all[0]);
  });
});
