/**
 * The one interface for every piece of shared state: limit counters, budgets, session
 * trajectories and records. Each call touches exactly one key, so a Redis implementation can run
 * it as one atomic script and still work on Redis Cluster. Times are the store's own clock
 * (server time in Redis), never the client's.
 */
export interface Store {
  /** Short name used in audit events and errors, e.g. `memory`, `redis`. */
  readonly name: string;

  /** Counts `cost` units against a rate limit and says whether they fit. Atomic. */
  consume(key: string, request: ConsumeRequest): Promise<ConsumeResult>;

  /** Returns `amount` units to a rate limit (reconciliation after an over-estimate). Never below zero. */
  refund(key: string, request: RefundRequest): Promise<void>;

  /** Takes one in-flight slot if fewer than `limit` are taken. Slots expire after `ttlMs` (crash safety). */
  acquire(key: string, limit: number, ttlMs: number): Promise<AcquireResult>;

  /** Frees the slot `token` returned by `acquire`. Unknown or expired tokens are ignored. */
  release(key: string, token: string): Promise<void>;

  /**
   * Adds `amount` (may be negative) to a counter that expires `ttlMs` after creation. With `limit`,
   * a positive amount that would take the value above it is not applied and `allowed` is false.
   */
  add(key: string, amount: number, options: AddOptions): Promise<AddResult>;

  /**
   * Exponentially decays the stored score by its age (half-life `halfLifeMs`), adds `amount`,
   * stores and returns the new score. Used for multi-turn trajectories.
   */
  decayAdd(key: string, amount: number, halfLifeMs: number, ttlMs: number): Promise<number>;

  /**
   * Optional synchronous form of `consume` for stores that decide in process (the memory store).
   * Callers on the hot path use it when present to avoid a promise per decision.
   */
  consumeSync?(key: string, request: ConsumeRequest): ConsumeResult;

  /** Plain records (key records, vault entries). */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export type RateAlgorithm = 'sliding-window' | 'fixed-window' | 'gcra';

export interface ConsumeRequest {
  readonly algorithm: RateAlgorithm;
  /** Units allowed per window (or burst size for GCRA). */
  readonly limit: number;
  readonly windowMs: number;
  /** Units this call uses; default 1. */
  readonly cost?: number;
  /**
   * Count the units even when they do not fit (`allowed` still says whether they did). Used to
   * reconcile an estimate with the actual usage after the fact; default false.
   */
  readonly force?: boolean;
}

export interface ConsumeResult {
  readonly allowed: boolean;
  /** Units left in the current window after this call. */
  readonly remaining: number;
  /** Milliseconds until the window (or bucket) fully resets. */
  readonly resetMs: number;
  /** When refused: milliseconds until `cost` units would fit. 0 when allowed. */
  readonly retryAfterMs: number;
}

export interface RefundRequest {
  readonly algorithm: RateAlgorithm;
  readonly limit: number;
  readonly windowMs: number;
  readonly amount: number;
}

export interface AcquireResult {
  readonly acquired: boolean;
  readonly inFlight: number;
  /** Pass back to `release`. Empty when not acquired. */
  readonly token: string;
}

export interface AddOptions {
  readonly ttlMs: number;
  readonly limit?: number;
}

export interface AddResult {
  readonly allowed: boolean;
  readonly value: number;
}
