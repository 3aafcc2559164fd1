import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { TokenUsage } from '../context/findings.js';
import type { GuardContext } from '../context/guard-context.js';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import { parseOptions } from '../options/parse-options.js';
import type { Guard, RequestOutcome, ResponseHooks, StepResult } from '../pipeline/guard.js';
import { MemoryStore } from '../store/memory-store.js';
import type { ConsumeResult, RateAlgorithm, Store } from '../store/store.js';
import { ipLimitKey } from './client-ip.js';
import { type LimitKey, type LimitsOptions, limitsSchema, type TierLimits } from './limits-options.js';
import { type PolicyReport, writeRateHeaders } from './rate-headers.js';
import { type LimitsMetrics, StoreAccess } from './store-access.js';
import { costMicros, estimateUsage, type PriceTable, priceFor } from './usage-cost.js';

/** The limits guard, with its counters and a way to wait for background reconciliation. */
export interface LimitsGuard extends Guard {
  readonly metrics: Readonly<LimitsMetrics>;
  /** Resolves when every pending reconciliation and release write has landed (tests, shutdown). */
  settled(): Promise<void>;
}

interface RatePolicy {
  readonly name: string;
  readonly dimension: 'requests' | 'tokens';
  readonly algorithm: RateAlgorithm;
  readonly limit: number;
  readonly windowMs: number;
  readonly key: LimitKey;
  readonly tiers: TierLimits | undefined;
}

interface ConcurrencyPolicy {
  readonly name: string;
  readonly limit: number;
  readonly key: LimitKey;
  readonly tiers: TierLimits | undefined;
  readonly slotTtlMs: number;
}

interface BudgetPolicy {
  readonly name: string;
  readonly period: 'day' | 'month';
  readonly limitMicros: number;
  readonly key: 'principal' | 'tenant';
  readonly tiers: TierLimits | undefined;
}

interface RateCharge {
  readonly store: Store;
  readonly key: string;
  readonly policy: RatePolicy;
  readonly limit: number;
  readonly amount: number;
}

interface RequestState {
  readonly reports: PolicyReport[];
  requestCharges: RateCharge[];
  tokenCharges: RateCharge[];
  slots: { readonly store: Store; readonly key: string; readonly token: string }[];
  budgetCharges: {
    readonly store: Store;
    readonly key: string;
    readonly ttlMs: number;
    readonly amount: number;
  }[];
  estimate: TokenUsage | undefined;
  reconciled: boolean;
  degraded: boolean;
}

const STATE = Symbol('llmguard.limits');

function newState(): RequestState {
  return {
    reports: [],
    requestCharges: [],
    tokenCharges: [],
    slots: [],
    budgetCharges: [],
    estimate: undefined,
    reconciled: false,
    degraded: false,
  };
}

/**
 * Rate limits (requests and LLM tokens per window), concurrency caps, cost budgets and a loop
 * breaker, counted in a shared {@link Store}. Requests and concurrency are checked from headers
 * alone, before the body is read; tokens, budgets and loops once the prompt is known. Token and
 * cost estimates are reconciled with the answer's real `usage`.
 *
 * Defaults: no policies unless given (the preset supplies generous ones), loop breaker 20 identical
 * prompts per minute, failure policy `closed`, in-memory store, standard headers on, legacy off.
 *
 * @example
 * const limits = createLimitsGuard({
 *   store: new RedisStore({ client: redis }),
 *   rates: [
 *     { name: 'per-minute', limit: 60, windowMs: 60_000 },
 *     { name: 'tokens', dimension: 'tokens', limit: 100_000, windowMs: 60_000, key: 'tenant' },
 *   ],
 *   concurrency: [{ name: 'in-flight', limit: 4 }],
 *   budgets: { prices: { 'gpt-4o*': { input: 2.5, output: 10 } }, policies: [{ name: 'daily', period: 'day', limitUsd: 5 }] },
 *   failure: 'local',
 * });
 */
export function createLimitsGuard(input: LimitsOptions = {}): LimitsGuard {
  const options = parseOptions(limitsSchema, input, 'limits');
  const primary = options.store ?? new MemoryStore();
  const failure = options.failure ?? 'closed';
  const metrics: LimitsMetrics = {
    refused: 0,
    storeErrors: 0,
    failedOpen: 0,
    failedClosed: 0,
    localFallbacks: 0,
  };
  const access = new StoreAccess(
    primary,
    failure === 'local' ? new MemoryStore() : undefined,
    failure,
    options.storeRetryMs ?? 1000,
    metrics,
  );
  const prefix = options.prefix ?? '';
  const v6Prefix = options.ipv6Prefix ?? 56;
  const standardHeaders = options.headers?.standard ?? true;
  const legacyHeaders = options.headers?.legacy ?? false;
  const jitterMs = options.headers?.retryJitterMs ?? 1000;
  const secret = options.partitionKeySecret ?? randomBytes(32).toString('hex');
  const estimateOptions = options.estimate ?? {};

  const rates: RatePolicy[] = (options.rates ?? []).map((r) => ({
    name: r.name,
    dimension: r.dimension ?? 'requests',
    algorithm: r.algorithm ?? 'sliding-window',
    limit: r.limit,
    windowMs: r.windowMs,
    key: r.key ?? 'principal',
    tiers: r.tiers,
  }));
  const requestRates = rates.filter((r) => r.dimension === 'requests');
  const tokenRates = rates.filter((r) => r.dimension === 'tokens');
  const concurrency: ConcurrencyPolicy[] = (options.concurrency ?? []).map((c) => ({
    name: c.name,
    limit: c.limit,
    key: c.key ?? 'principal',
    tiers: c.tiers,
    slotTtlMs: c.slotTtlMs ?? 600_000,
  }));
  const budgets: BudgetPolicy[] = (options.budgets?.policies ?? []).map((b) => ({
    name: b.name,
    period: b.period,
    limitMicros: Math.round(b.limitUsd * 1_000_000),
    key: b.key ?? 'principal',
    tiers: b.tiers === undefined ? undefined : usdTiersToMicros(b.tiers),
  }));
  const prices: PriceTable = options.budgets?.prices ?? {};
  const budgetStatus = options.budgets?.status ?? 402;
  const loop = options.loop === false ? undefined : { maxRepeats: 20, windowMs: 60_000, ...options.loop };

  const names = [...rates, ...concurrency, ...budgets].map((p) => p.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
      detail: `Invalid option "limits": the policy name "${duplicate}" is used twice.`,
    });
  }

  const pending = new Set<Promise<unknown>>();
  /** Background writes (reconciliation, releases): never awaited by the request, never unhandled. */
  function background(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      () => access.noteFailure(),
    );
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  }

  function identity(ctx: GuardContext, key: LimitKey): string {
    const principal = ctx.principal;
    let id: string | undefined;
    if (principal !== undefined && principal.kind !== 'anonymous') {
      if (key === 'principal') id = `p:${principal.id}`;
      else if (key === 'api-key' && principal.keyId !== undefined) id = `k:${principal.keyId}`;
      else if (key === 'tenant' && principal.tenant !== undefined) id = `t:${principal.tenant}`;
    }
    if (id === undefined)
      id = `ip:${ctx.clientIp === undefined ? 'unknown' : ipLimitKey(ctx.clientIp, v6Prefix)}`;
    // Keys stay short whatever the identity: long ids are hashed.
    return id.length > 160 ? `h:${createHash('sha256').update(id).digest('base64url')}` : id;
  }

  // HMAC per request is the guard's most expensive step; recent partition keys are remembered.
  const partitionKeys = new Map<string, string>();
  function partitionKey(id: string): string {
    let pk = partitionKeys.get(id);
    if (pk === undefined) {
      pk = createHmac('sha256', secret).update(id).digest().subarray(0, 12).toString('base64');
      if (partitionKeys.size >= 10_000) partitionKeys.clear();
      partitionKeys.set(id, pk);
    }
    return pk;
  }

  function tierLimit(tiers: TierLimits | undefined, tier: string | undefined, base: number): number | false {
    if (tiers === undefined || tier === undefined) return base;
    const value = tiers[tier];
    return value === undefined ? base : value;
  }

  function report(st: RequestState, entry: PolicyReport, ctx: GuardContext): void {
    if (!standardHeaders && !legacyHeaders) return;
    st.reports.push(entry);
    if (standardHeaders) writeRateHeaders(ctx.responseHeaders, st.reports, legacyHeaders);
    else writeLegacyOnly(ctx.responseHeaders, st.reports);
  }

  function quotaError(violated: readonly { name: string; retryAfterMs: number }[]): LlmGuardError {
    metrics.refused++;
    let wait = 0;
    for (const v of violated) wait = Math.max(wait, v.retryAfterMs);
    // Jitter spreads the refused clients' retries so they do not all return at the same instant.
    const seconds = Math.max(1, Math.ceil((wait + Math.floor(Math.random() * (jitterMs + 1))) / 1000));
    const list = violated.map((v) => v.name);
    return new LlmGuardError('ERR_LLMGUARD_QUOTA_EXCEEDED', {
      detail: `Quota exceeded (${list.join(', ')}); retry after the time given in Retry-After.`,
      headers: { 'retry-after': String(seconds) },
      extensions: { 'violated-policies': list },
    });
  }

  function undoRates(charges: readonly RateCharge[]): void {
    for (const c of charges) {
      background(
        c.store.refund(c.key, {
          algorithm: c.policy.algorithm,
          limit: c.limit,
          windowMs: c.policy.windowMs,
          amount: c.amount,
        }),
      );
    }
  }

  function undoBody(st: RequestState): void {
    undoRates(st.tokenCharges);
    st.tokenCharges = [];
    for (const b of st.budgetCharges) background(b.store.add(b.key, -b.amount, { ttlMs: b.ttlMs }));
    st.budgetCharges = [];
  }

  function releaseSlots(st: RequestState): void {
    for (const s of st.slots) background(s.store.release(s.key, s.token));
    st.slots = [];
  }

  interface Planned {
    readonly policy: RatePolicy;
    readonly key: string;
    readonly id: string;
    readonly limit: number;
  }

  function plan(ctx: GuardContext, policies: readonly RatePolicy[], kind: string): Planned[] {
    const out: Planned[] = [];
    const tier = ctx.policy?.limitTier;
    for (const policy of policies) {
      const limit = tierLimit(policy.tiers, tier, policy.limit);
      if (limit === false) continue;
      const id = identity(ctx, policy.key);
      out.push({ policy, key: `${prefix}${kind}:${policy.name}:${id}`, id, limit });
    }
    return out;
  }

  /** Applies rate decisions: records charges and headers, or unwinds and throws on refusal. */
  function settleRates(
    ctx: GuardContext,
    st: RequestState,
    planned: readonly Planned[],
    answers: readonly ({ store: Store; value: ConsumeResult } | undefined)[],
    cost: number,
    into: RateCharge[],
  ): void {
    const violated: { name: string; retryAfterMs: number }[] = [];
    const taken: RateCharge[] = [];
    for (let i = 0; i < planned.length; i++) {
      const p = planned[i]!;
      const answer = answers[i];
      if (answer === undefined) continue;
      const r = answer.value;
      if (r.allowed)
        taken.push({ store: answer.store, key: p.key, policy: p.policy, limit: p.limit, amount: cost });
      else violated.push({ name: p.policy.name, retryAfterMs: r.retryAfterMs });
      report(
        st,
        {
          name: p.policy.name,
          unit: p.policy.dimension === 'tokens' ? 'llm-tokens' : 'requests',
          quota: p.limit,
          windowMs: p.policy.windowMs,
          remaining: r.remaining,
          resetMs: r.allowed ? r.resetMs : Math.max(r.resetMs, r.retryAfterMs),
          partitionKey: partitionKey(p.id),
        },
        ctx,
      );
    }
    if (violated.length > 0) {
      undoRates(taken);
      throw quotaError(violated);
    }
    into.push(...taken);
  }

  const syncConsume = primary.consumeSync?.bind(primary);

  async function checkRatesAsync(
    ctx: GuardContext,
    st: RequestState,
    planned: readonly Planned[],
    cost: number,
    into: RateCharge[],
  ): Promise<void> {
    const answers = await Promise.all(
      planned.map((p) =>
        access.run(
          (s) =>
            s.consume(p.key, {
              algorithm: p.policy.algorithm,
              limit: p.limit,
              windowMs: p.policy.windowMs,
              cost,
            }),
          () => {
            st.degraded = true;
          },
        ),
      ),
    );
    settleRates(ctx, st, planned, answers, cost, into);
  }

  async function acquireSlots(ctx: GuardContext, st: RequestState): Promise<void> {
    const tier = ctx.policy?.limitTier;
    for (const policy of concurrency) {
      const limit = tierLimit(policy.tiers, tier, policy.limit);
      if (limit === false) continue;
      const id = identity(ctx, policy.key);
      const key = `${prefix}inflight:${policy.name}:${id}`;
      const answer = await access.run(
        (s) => s.acquire(key, limit, policy.slotTtlMs),
        () => {
          st.degraded = true;
        },
      );
      if (answer === undefined) continue;
      const r = answer.value;
      report(
        st,
        {
          name: policy.name,
          unit: 'concurrent-requests',
          quota: limit,
          windowMs: undefined,
          remaining: Math.max(0, limit - r.inFlight),
          resetMs: 0,
          partitionKey: partitionKey(id),
        },
        ctx,
      );
      if (!r.acquired) throw quotaError([{ name: policy.name, retryAfterMs: 1000 }]);
      st.slots.push({ store: answer.store, key, token: r.token });
    }
  }

  async function headersAsync(
    ctx: GuardContext,
    st: RequestState,
    planned: readonly Planned[],
  ): Promise<StepResult> {
    try {
      if (planned.length > 0) await checkRatesAsync(ctx, st, planned, 1, st.requestCharges);
      await acquireSlots(ctx, st);
    } catch (error) {
      undoRates(st.requestCharges);
      st.requestCharges = [];
      releaseSlots(st);
      throw error;
    }
    return st.degraded ? 'fail-open' : undefined;
  }

  function onHeaders(ctx: GuardContext): StepResult | Promise<StepResult> {
    const st = ctx.state(STATE, newState);
    const planned = plan(ctx, requestRates, 'rate');
    if (syncConsume !== undefined && access.healthy && concurrency.length === 0) {
      // In-process store: decide synchronously, no promise per decision.
      const answers = planned.map((p) => ({
        store: primary,
        value: syncConsume(p.key, {
          algorithm: p.policy.algorithm,
          limit: p.limit,
          windowMs: p.policy.windowMs,
        }),
      }));
      settleRates(ctx, st, planned, answers, 1, st.requestCharges);
      return undefined;
    }
    return headersAsync(ctx, st, planned);
  }

  function promptHash(ctx: GuardContext): string | undefined {
    const segments = ctx.prompt?.segments;
    if (segments === undefined || segments.length === 0) return undefined;
    const hash = createHash('sha256');
    for (const s of segments) hash.update(s.role).update('\u0000').update(s.text).update('\u0001');
    return hash.digest('base64url').slice(0, 22);
  }

  async function checkLoop(ctx: GuardContext, st: RequestState): Promise<void> {
    if (loop === undefined) return;
    const hash = promptHash(ctx);
    if (hash === undefined) return;
    const key = `${prefix}loop:${identity(ctx, 'principal')}:${hash}`;
    const answer = await access.run(
      (s) => s.add(key, 1, { ttlMs: loop.windowMs, limit: loop.maxRepeats }),
      () => {
        st.degraded = true;
      },
    );
    if (answer !== undefined && !answer.value.allowed) {
      metrics.refused++;
      const seconds = Math.max(1, Math.ceil(loop.windowMs / 1000));
      throw new LlmGuardError('ERR_LLMGUARD_LOOP_DETECTED', {
        detail: `The same prompt was sent more than ${loop.maxRepeats} times within ${seconds} seconds.`,
        headers: { 'retry-after': String(seconds) },
      });
    }
  }

  async function chargeBudgets(ctx: GuardContext, st: RequestState, estimate: TokenUsage): Promise<void> {
    if (budgets.length === 0) return;
    const micros = costMicros(estimate, priceFor(prices, ctx.model));
    const now = new Date();
    const tier = ctx.policy?.budgetTier;
    for (const policy of budgets) {
      const limit = tierLimit(policy.tiers, tier, policy.limitMicros);
      if (limit === false) continue;
      const { id: period, ttlMs } = periodOf(policy.period, now);
      const key = `${prefix}budget:${policy.name}:${identity(ctx, policy.key)}:${period}`;
      const answer = await access.run(
        (s) => s.add(key, micros, { ttlMs, limit }),
        () => {
          st.degraded = true;
        },
      );
      if (answer === undefined) continue;
      if (!answer.value.allowed) {
        metrics.refused++;
        throw new LlmGuardError('ERR_LLMGUARD_BUDGET_EXCEEDED', {
          status: budgetStatus,
          detail: `The ${policy.period === 'day' ? 'daily' : 'monthly'} cost budget "${policy.name}" is exhausted.`,
          headers: {
            'retry-after': String(Math.max(1, Math.ceil(periodOf(policy.period, now).endsInMs / 1000))),
          },
          extensions: { 'violated-policies': [policy.name] },
        });
      }
      st.budgetCharges.push({ store: answer.store, key, ttlMs, amount: micros });
    }
  }

  async function onBody(ctx: GuardContext): Promise<StepResult> {
    const st = ctx.state(STATE, newState);
    try {
      await checkLoop(ctx, st);
      if (tokenRates.length > 0 || budgets.length > 0) {
        const estimate = estimateUsage(ctx.prompt, estimateOptions);
        st.estimate = estimate;
        const planned = plan(ctx, tokenRates, 'tokens');
        if (planned.length > 0) {
          await checkRatesAsync(
            ctx,
            st,
            planned,
            estimate.inputTokens + estimate.outputTokens,
            st.tokenCharges,
          );
        }
        await chargeBudgets(ctx, st, estimate);
      }
    } catch (error) {
      undoBody(st);
      throw error;
    }
    return st.degraded ? 'fail-open' : undefined;
  }

  function reconcile(ctx: GuardContext, st: RequestState, usage: TokenUsage): void {
    if (st.reconciled || st.estimate === undefined) return;
    st.reconciled = true;
    const actualTokens = usage.inputTokens + usage.outputTokens;
    for (const c of st.tokenCharges) {
      const delta = actualTokens - c.amount;
      const base = { algorithm: c.policy.algorithm, limit: c.limit, windowMs: c.policy.windowMs };
      if (delta > 0) background(c.store.consume(c.key, { ...base, cost: delta, force: true }));
      else if (delta < 0) background(c.store.refund(c.key, { ...base, amount: -delta }));
    }
    if (st.budgetCharges.length > 0) {
      const actual = costMicros(usage, priceFor(prices, ctx.model));
      for (const b of st.budgetCharges) {
        // One atomic increment of the difference: concurrent answers never overwrite each other.
        const delta = actual - b.amount;
        if (delta !== 0) background(b.store.add(b.key, delta, { ttlMs: b.ttlMs }));
      }
    }
  }

  const guard: LimitsGuard = {
    name: 'limits',
    phase: 'limits',
    metrics,
    onHeaders,
    onBody,
    onResponse(ctx): ResponseHooks | undefined {
      const st = ctx.state(STATE, newState);
      if (st.tokenCharges.length === 0 && st.budgetCharges.length === 0) return undefined;
      return {
        onUsage(usage: TokenUsage): void {
          reconcile(ctx, st, usage);
        },
      };
    },
    onFinish(ctx: GuardContext, outcome: RequestOutcome): void {
      const st = ctx.state(STATE, newState);
      releaseSlots(st);
      if (st.reconciled) return;
      if (ctx.usage !== undefined) {
        reconcile(ctx, st, ctx.usage);
      } else if (outcome.error !== undefined || outcome.status >= 400) {
        // Refused later in the pipeline or failed upstream: nothing was (or will be) billed.
        undoBody(st);
        st.reconciled = true;
      }
    },
    async settled(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
  return guard;
}

function usdTiersToMicros(tiers: TierLimits): TierLimits {
  const out: Record<string, number | false> = {};
  for (const [tier, value] of Object.entries(tiers))
    out[tier] = value === false ? false : Math.round(value * 1e6);
  return out;
}

/** UTC calendar period of a budget: its id in keys, how long to keep the key, and when it ends. */
function periodOf(period: 'day' | 'month', now: Date): { id: string; ttlMs: number; endsInMs: number } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const end = period === 'day' ? Date.UTC(y, m, now.getUTCDate() + 1) : Date.UTC(y, m + 1, 1);
  const id = period === 'day' ? now.toISOString().slice(0, 10) : now.toISOString().slice(0, 7);
  const endsInMs = end - now.getTime();
  // Keep the key a day past the period so late reconciliations still land on it.
  return { id, ttlMs: endsInMs + 86_400_000, endsInMs };
}

function writeLegacyOnly(headers: Record<string, string>, reports: readonly PolicyReport[]): void {
  const scratch: Record<string, string> = {};
  writeRateHeaders(scratch, reports, true);
  for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
    const value = scratch[name];
    if (value !== undefined) headers[name] = value;
  }
}
