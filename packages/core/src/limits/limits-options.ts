import { z } from 'zod';
import type { Store } from '../store/store.js';
import type { PriceTable, TokenEstimateOptions } from './usage-cost.js';

/** Who a limit is counted against. Missing identities fall back to the client IP. */
export type LimitKey = 'principal' | 'api-key' | 'tenant' | 'ip';

/** Per-tier override of a policy's limit (`ctx.policy.limitTier` / `budgetTier`); `false` = unlimited. */
export type TierLimits = Readonly<Record<string, number | false>>;

/** A rate policy on requests or on LLM tokens. */
export interface RatePolicyOptions {
  /** Policy name, shown in `RateLimit-Policy` and in `violated-policies`. Letters, digits, `._-`. */
  readonly name: string;
  /** What is counted: `requests` (default) or `tokens` (estimated before the call, reconciled after). */
  readonly dimension?: 'requests' | 'tokens';
  /** Default `sliding-window`. `gcra` is the token bucket (burst of `limit`, then a steady rate). */
  readonly algorithm?: 'sliding-window' | 'fixed-window' | 'gcra';
  readonly limit: number;
  readonly windowMs: number;
  /** Default `principal` (the client IP for anonymous requests). */
  readonly key?: LimitKey;
  readonly tiers?: TierLimits;
}

/** A cap on requests in flight at once. */
export interface ConcurrencyPolicyOptions {
  readonly name: string;
  readonly limit: number;
  readonly key?: LimitKey;
  readonly tiers?: TierLimits;
  /** A slot not released by then is freed anyway (crashed process). Default 600,000 ms. */
  readonly slotTtlMs?: number;
}

/** A spending cap per day or month, in US dollars. */
export interface BudgetPolicyOptions {
  readonly name: string;
  readonly period: 'day' | 'month';
  readonly limitUsd: number;
  /** Default `principal`. */
  readonly key?: 'principal' | 'tenant';
  /** Keyed by `ctx.policy.budgetTier`; values in US dollars. */
  readonly tiers?: TierLimits;
}

export interface BudgetOptions {
  /** US dollars per million tokens per model; `prefix*` and `*` entries match by prefix / as fallback. */
  readonly prices: PriceTable;
  readonly policies: readonly BudgetPolicyOptions[];
  /** Status when exhausted: 402 (default) or 429. */
  readonly status?: 402 | 429;
}

export interface LoopBreakerOptions {
  /** More identical prompts than this from one principal within `windowMs` are refused. Default 20. */
  readonly maxRepeats?: number;
  /** Default 60,000 ms. */
  readonly windowMs?: number;
}

/**
 * What happens when the store cannot answer in time (Redis down, slow, or unreachable):
 * - `closed` (default): refuse with 503 `guard-unavailable`;
 * - `open`: let the request through unchecked;
 * - `local`: decide with a per-process in-memory store until the shared one answers again.
 * Every such decision is recorded as `fail-open` / `fail-closed` and counted in `metrics`.
 */
export type StoreFailurePolicy = 'closed' | 'open' | 'local';

/** Options of {@link createLimitsGuard}. */
export interface LimitsOptions {
  /** Where counters live. Default: a new `MemoryStore` (per process). */
  readonly store?: Store;
  /** Prefix of every key this guard writes (the Redis store adds its own). Default ''. */
  readonly prefix?: string;
  readonly rates?: readonly RatePolicyOptions[];
  readonly concurrency?: readonly ConcurrencyPolicyOptions[];
  readonly budgets?: BudgetOptions;
  /** Same principal + same prompt repeated; `false` switches it off. Default on (20 per minute). */
  readonly loop?: LoopBreakerOptions | false;
  /** Default `closed`. */
  readonly failure?: StoreFailurePolicy;
  /** After a store failure, calls skip the store for this long before trying again. Default 1,000 ms. */
  readonly storeRetryMs?: number;
  /** IPv6 addresses are limited per prefix of this length. Default 56. */
  readonly ipv6Prefix?: number;
  /** Proxies whose `X-Forwarded-For` is believed (see `createClientIpResolver`). Used by the preset. */
  readonly trustedProxies?: readonly string[];
  readonly estimate?: TokenEstimateOptions;
  readonly headers?: {
    /** `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers). Default true. */
    readonly standard?: boolean;
    /** `X-RateLimit-Limit/Remaining/Reset`. Default false. */
    readonly legacy?: boolean;
    /** Up to this much random delay added to `Retry-After`, so refused clients do not return in lockstep. Default 1,000 ms. */
    readonly retryJitterMs?: number;
  };
  /** Secret for hashing the partition key in headers. Default: random per process. */
  readonly partitionKeySecret?: string;
}

const name = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1-64 letters, digits, ".", "_" or "-"');
const count = z.number().int().positive();
const tiers = z.record(z.string(), z.union([z.literal(false), z.number().positive()])).optional();
const key = z.enum(['principal', 'api-key', 'tenant', 'ip']).optional();
const price = z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative() });

export const limitsSchema = z.strictObject({
  store: z
    .custom<Store>((s) => typeof s === 'object' && s !== null && typeof (s as Store).consume === 'function', {
      message: 'expected a Store',
    })
    .optional(),
  prefix: z.string().max(128).optional(),
  rates: z
    .array(
      z.strictObject({
        name,
        dimension: z.enum(['requests', 'tokens']).optional(),
        algorithm: z.enum(['sliding-window', 'fixed-window', 'gcra']).optional(),
        limit: count,
        windowMs: count,
        key,
        tiers,
      }),
    )
    .optional(),
  concurrency: z
    .array(z.strictObject({ name, limit: count, key, tiers, slotTtlMs: count.optional() }))
    .optional(),
  budgets: z
    .strictObject({
      prices: z.record(z.string(), price),
      policies: z.array(
        z.strictObject({
          name,
          period: z.enum(['day', 'month']),
          limitUsd: z.number().positive(),
          key: z.enum(['principal', 'tenant']).optional(),
          tiers,
        }),
      ),
      status: z.union([z.literal(402), z.literal(429)]).optional(),
    })
    .optional(),
  loop: z
    .union([z.literal(false), z.strictObject({ maxRepeats: count.optional(), windowMs: count.optional() })])
    .optional(),
  failure: z.enum(['closed', 'open', 'local']).optional(),
  storeRetryMs: z.number().int().nonnegative().optional(),
  ipv6Prefix: z.number().int().min(1).max(128).optional(),
  trustedProxies: z.array(z.string()).optional(),
  estimate: z
    .strictObject({
      charsPerToken: z.number().positive().optional(),
      defaultOutputTokens: z.number().int().nonnegative().optional(),
    })
    .optional(),
  headers: z
    .strictObject({
      standard: z.boolean().optional(),
      legacy: z.boolean().optional(),
      retryJitterMs: z.number().int().nonnegative().optional(),
    })
    .optional(),
  partitionKeySecret: z.string().min(1).optional(),
});
