import { parseList } from 'structured-headers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Principal, RolePolicy } from '../context/principal.js';
import type { Guard } from '../pipeline/guard.js';
import { createGuardPipeline, type GuardResult } from '../pipeline/pipeline.js';
import type { GuardRequest } from '../pipeline/request.js';
import { createLlmGuard } from '../preset.js';
import { MemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import { createLimitsGuard } from './limits-guard.js';
import type { LimitsOptions } from './limits-options.js';

function req(options: { ip?: string; body?: unknown; xff?: string } = {}): GuardRequest {
  const ip = options.ip ?? '198.51.100.1';
  const body = options.body ?? {
    model: 'gpt-4o',
    max_tokens: 10,
    messages: [{ role: 'user', content: 'hello there' }],
  };
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.xff) headers['x-forwarded-for'] = options.xff;
  return {
    method: 'POST',
    url: '/v1/chat/completions',
    header: (n) => headers[n],
    clientIp: ip,
    remoteAddress: ip,
    body: { kind: 'bytes', bytes },
  };
}

function identity(principal: Principal | undefined, policy?: RolePolicy): Guard {
  return {
    name: 'test-identity',
    phase: 'identity',
    onHeaders(ctx) {
      ctx.principal = principal;
      ctx.policy = policy;
    },
  };
}

const user = (id: string, tenant = 'acme'): Principal => ({ id, kind: 'jwt', tenant, roles: [], scopes: [] });

function pipelineWith(options: LimitsOptions, principal?: Principal, policy?: RolePolicy) {
  const guard = createLimitsGuard({ loop: false, ...options });
  return { guard, pipeline: createGuardPipeline({ guards: [identity(principal, policy), guard] }) };
}

async function send(p: ReturnType<typeof pipelineWith>, n: number, r: () => GuardRequest = () => req()) {
  const out: GuardResult[] = [];
  for (let i = 0; i < n; i++) {
    const result = await p.pipeline.handle(r());
    if (result.ok) result.finish({ status: 200 });
    out.push(result);
  }
  return out;
}
const oks = (results: readonly GuardResult[]): number => results.filter((r) => r.ok).length;

afterEach(() => {
  vi.useRealTimers();
});

describe('limits guard: request rates', () => {
  it('refuses over the limit with a 429 quota-exceeded problem naming the policy, and Retry-After', async () => {
    const p = pipelineWith({ rates: [{ name: 'per-minute', limit: 3, windowMs: 60_000 }] });
    const results = await send(p, 4);
    expect(oks(results)).toBe(3);
    const refused = results[3]!;
    if (refused.ok) throw new Error('expected a refusal');
    expect(refused.status).toBe(429);
    const problem = JSON.parse(refused.body);
    expect(problem).toMatchObject({
      type: 'https://llmguard.dev/problems/quota-exceeded',
      code: 'ERR_LLMGUARD_QUOTA_EXCEEDED',
      'violated-policies': ['per-minute'],
    });
    expect(refused.body).not.toContain('198.51.100.1');
    const retry = Number(refused.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(121); // sliding window: at most two windows
    expect(p.guard.metrics.refused).toBe(1);
  });

  it('writes RateLimit-Policy and RateLimit as structured-field lists with a hashed partition key', async () => {
    const p = pipelineWith({
      rates: [
        { name: 'burst', limit: 10, windowMs: 1000, algorithm: 'gcra' },
        { name: 'hourly', limit: 100, windowMs: 3_600_000, algorithm: 'fixed-window' },
      ],
    });
    const [first] = await send(p, 1);
    const policy = parseList(first!.headers['ratelimit-policy']!);
    expect(policy.map(([name, params]) => [name, params.get('q'), params.get('w')])).toEqual([
      ['burst', 10, 1],
      ['hourly', 100, 3600],
    ]);
    const limit = parseList(first!.headers.ratelimit!);
    expect(limit.map(([name, params]) => [name, params.get('r')])).toEqual([
      ['burst', 9],
      ['hourly', 99],
    ]);
    const pk = limit[0]![1].get('pk') as ArrayBuffer;
    expect(pk.byteLength).toBe(12);
    expect(first!.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('writes the legacy X-RateLimit trio only when asked', async () => {
    const p = pipelineWith({ rates: [{ name: 'm', limit: 5, windowMs: 60_000 }], headers: { legacy: true } });
    const [first] = await send(p, 1);
    expect(first!.headers).toMatchObject({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4' });
  });

  it('keys by client IP for anonymous callers, grouping IPv6 by /56', async () => {
    const p = pipelineWith({ rates: [{ name: 'm', limit: 2, windowMs: 60_000 }] });
    expect(oks(await send(p, 2, () => req({ ip: '2001:db8:0:100::1' })))).toBe(2);
    // Same /56, different address: still the same client.
    expect(oks(await send(p, 1, () => req({ ip: '2001:db8:0:1ff::9' })))).toBe(0);
    expect(oks(await send(p, 1, () => req({ ip: '2001:db8:0:200::1' })))).toBe(1);
  });

  it('keys by principal, tenant or API key', async () => {
    const byTenant = createLimitsGuard({
      loop: false,
      rates: [{ name: 't', limit: 2, windowMs: 60_000, key: 'tenant' }],
    });
    const a = createGuardPipeline({ guards: [identity(user('a', 'acme')), byTenant] });
    const b = createGuardPipeline({ guards: [identity(user('b', 'acme')), byTenant] });
    const c = createGuardPipeline({ guards: [identity(user('c', 'globex')), byTenant] });
    expect((await a.handle(req())).ok).toBe(true);
    expect((await b.handle(req())).ok).toBe(true);
    expect((await a.handle(req())).ok).toBe(false);
    expect((await c.handle(req())).ok).toBe(true);
  });

  it('uses the tier limit of ctx.policy.limitTier; false means unlimited', async () => {
    const rates = [{ name: 'm', limit: 1, windowMs: 60_000, tiers: { pro: 3, internal: false as const } }];
    expect(oks(await send(pipelineWith({ rates }, user('free')), 5))).toBe(1);
    expect(oks(await send(pipelineWith({ rates }, user('pro'), { limitTier: 'pro' }), 5))).toBe(3);
    const internal = pipelineWith({ rates }, user('ops'), { limitTier: 'internal' });
    const results = await send(internal, 5);
    expect(oks(results)).toBe(5);
    expect(results[0]!.headers['ratelimit-policy']).toBeUndefined();
  });

  it('gives back units of other policies when one of several refuses', async () => {
    // Only the one admitted request counts against "large": remaining 2 after the next check.
    const store = new MemoryStore();
    const q = pipelineWith({
      store,
      rates: [
        { name: 'small', limit: 1, windowMs: 60_000 },
        { name: 'large', limit: 3, windowMs: 60_000 },
      ],
    });
    await send(q, 4);
    await q.guard.settled();
    const large = await store.consume('rate:large:ip:198.51.100.1', {
      algorithm: 'sliding-window',
      limit: 3,
      windowMs: 60_000,
    });
    expect(large.remaining).toBe(1);
  });

  it('resumes after the window with fake timers', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const p = pipelineWith({ rates: [{ name: 'm', limit: 2, windowMs: 10_000, algorithm: 'fixed-window' }] });
    expect(oks(await send(p, 3))).toBe(2);
    vi.advanceTimersByTime(10_001);
    expect(oks(await send(p, 1))).toBe(1);
  });
});

describe('limits guard: tokens, concurrency, loops, budgets', () => {
  const long = 'x'.repeat(400); // 100 estimated input tokens

  it('charges the token estimate before the call and reconciles it with actual usage', async () => {
    const store = new MemoryStore();
    const p = pipelineWith({
      store,
      rates: [{ name: 'tok', dimension: 'tokens', limit: 300, windowMs: 60_000 }],
    });
    const body = { model: 'm', max_tokens: 100, messages: [{ role: 'user', content: long }] }; // estimate 200
    const first = await p.pipeline.handle(req({ body }));
    expect(first.ok).toBe(true);
    const second = await p.pipeline.handle(req({ body }));
    expect(second.ok).toBe(false); // 200 + 200 > 300
    if (!first.ok) return;
    p.guard.onResponse?.(first.context)?.onUsage?.({ inputTokens: 40, outputTokens: 10 }); // actual 50
    first.finish({ status: 200 });
    await p.guard.settled();
    expect((await p.pipeline.handle(req({ body }))).ok).toBe(true); // 50 + 200 ≤ 300
  });

  it('refunds the estimate when a later guard refuses the request', async () => {
    const refuseAll: Guard = {
      name: 'refuse',
      phase: 'validation',
      onBody() {
        throw new Error('boom');
      },
    };
    const store = new MemoryStore();
    const guard = createLimitsGuard({
      store,
      loop: false,
      rates: [{ name: 'tok', dimension: 'tokens', limit: 250, windowMs: 60_000 }],
    });
    const pipeline = createGuardPipeline({ guards: [guard, refuseAll] });
    const body = { model: 'm', max_tokens: 100, messages: [{ role: 'user', content: long }] };
    for (let i = 0; i < 3; i++) expect((await pipeline.handle(req({ body }))).ok).toBe(false);
    await guard.settled();
    const probe = await store.consume('tokens:tok:ip:198.51.100.1', {
      algorithm: 'sliding-window',
      limit: 250,
      windowMs: 60_000,
      cost: 0,
    });
    expect(probe.remaining).toBe(250);
  });

  it('holds a concurrency slot from headers to finish', async () => {
    const p = pipelineWith({ concurrency: [{ name: 'inflight', limit: 2 }] });
    const a = await p.pipeline.handle(req());
    const b = await p.pipeline.handle(req());
    const c = await p.pipeline.handle(req());
    expect([a.ok, b.ok, c.ok]).toEqual([true, true, false]);
    if (!c.ok) expect(JSON.parse(c.body)['violated-policies']).toEqual(['inflight']);
    if (a.ok) a.finish({ status: 200 });
    await p.guard.settled();
    expect((await p.pipeline.handle(req())).ok).toBe(true);
  });

  it('breaks a loop: the same prompt more than maxRepeats times is refused with loop-detected', async () => {
    const guard = createLimitsGuard({ loop: { maxRepeats: 3, windowMs: 60_000 } });
    const pipeline = createGuardPipeline({ guards: [identity(user('bot')), guard] });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await pipeline.handle(req()));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    const last = results[3]!;
    if (!last.ok) expect(JSON.parse(last.body).code).toBe('ERR_LLMGUARD_LOOP_DETECTED');
    // A different prompt is fine.
    const other = { model: 'gpt-4o', messages: [{ role: 'user', content: 'something else' }] };
    expect((await pipeline.handle(req({ body: other }))).ok).toBe(true);
  });

  it('refuses with 402 budget-exceeded once the daily budget is spent (429 when configured)', async () => {
    const budgets = {
      prices: { 'gpt-4o': { input: 1_000, output: 1_000 } }, // $0.001 per token
      policies: [{ name: 'daily', period: 'day' as const, limitUsd: 0.05 }],
    };
    // estimate: 3 input + 10 output tokens = 13 → $0.013; four fit in $0.05, the fifth does not.
    const p = pipelineWith({ budgets }, user('spender'));
    const results = await send(p, 5);
    expect(oks(results)).toBe(3);
    const refused = results[4]!;
    if (refused.ok) throw new Error('expected refusal');
    expect(refused.status).toBe(402);
    expect(JSON.parse(refused.body)).toMatchObject({
      code: 'ERR_LLMGUARD_BUDGET_EXCEEDED',
      'violated-policies': ['daily'],
    });
    const q = pipelineWith({ budgets: { ...budgets, status: 429 } }, user('spender'));
    const r429 = await send(q, 5);
    expect(r429.map((r) => (r.ok ? 200 : r.status)).at(-1)).toBe(429);
  });
});

describe('limits guard: store failure policy', () => {
  const broken: Store = {
    name: 'broken',
    consume: () => Promise.reject(new Error('ECONNREFUSED')),
    refund: () => Promise.reject(new Error('ECONNREFUSED')),
    acquire: () => Promise.reject(new Error('ECONNREFUSED')),
    release: () => Promise.reject(new Error('ECONNREFUSED')),
    add: () => Promise.reject(new Error('ECONNREFUSED')),
    decayAdd: () => Promise.reject(new Error('ECONNREFUSED')),
    get: () => Promise.reject(new Error('ECONNREFUSED')),
    set: () => Promise.reject(new Error('ECONNREFUSED')),
    delete: () => Promise.reject(new Error('ECONNREFUSED')),
  };
  const rates = [{ name: 'm', limit: 2, windowMs: 60_000 }];

  it('fails closed by default: 503 guard-unavailable, recorded and counted', async () => {
    const p = pipelineWith({ store: broken, rates });
    const [r] = await send(p, 1);
    if (!r || r.ok) throw new Error('expected refusal');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body).code).toBe('ERR_LLMGUARD_UNAVAILABLE');
    expect(r.context.decisions[1]).toMatchObject({ guard: 'limits', outcome: 'fail-closed' });
    expect(p.guard.metrics).toMatchObject({ failedClosed: 1, storeErrors: 1 });
  });

  it('fails open when configured: passes, recorded as fail-open', async () => {
    const p = pipelineWith({ store: broken, rates, failure: 'open' });
    const results = await send(p, 3);
    expect(oks(results)).toBe(3);
    expect(results[0]!.context.decisions[1]).toMatchObject({ guard: 'limits', outcome: 'fail-open' });
    expect(p.guard.metrics.failedOpen).toBe(3);
  });

  it('falls back to a local in-memory limiter when configured', async () => {
    const p = pipelineWith({ store: broken, rates, failure: 'local' });
    const results = await send(p, 3);
    expect(oks(results)).toBe(2);
    expect(p.guard.metrics.localFallbacks).toBe(3);
  });
});

describe('limits options and preset', () => {
  it('rejects unknown options and duplicate policy names at startup', () => {
    expect(() => createLimitsGuard({ rate: [] } as never)).toThrow(/limits/);
    expect(() =>
      createLimitsGuard({
        rates: [
          { name: 'a', limit: 1, windowMs: 1000 },
          { name: 'a', limit: 2, windowMs: 1000 },
        ],
      }),
    ).toThrow(/used twice/);
  });

  it('is on in the preset with generous defaults, and off with limits: false', async () => {
    const on = await createLlmGuard({ validation: false }).handle(req());
    expect(on.headers['ratelimit-policy']).toContain('"requests";q=6000;w=60');
    const off = await createLlmGuard({ validation: false, limits: false }).handle(req());
    expect(off.headers['ratelimit-policy']).toBeUndefined();
  });

  it('installs the trusted-proxy client address resolver from limits.trustedProxies', async () => {
    const pipeline = createLlmGuard({
      validation: false,
      limits: {
        trustedProxies: ['198.51.100.0/24'],
        rates: [{ name: 'm', limit: 1, windowMs: 60_000, key: 'ip' }],
      },
    });
    const a = await pipeline.handle(req({ xff: '203.0.113.1' }));
    const b = await pipeline.handle(req({ xff: '203.0.113.2' }));
    const a2 = await pipeline.handle(req({ xff: '203.0.113.1' }));
    expect([a.ok, b.ok, a2.ok]).toEqual([true, true, false]);
    expect(a.context.clientIp).toBe('203.0.113.1');
  });
});
