import { isLlmGuardError, LlmGuardError } from '../errors/llm-guard-error.js';
import type { Store } from '../store/store.js';
import type { StoreFailurePolicy } from './limits-options.js';

/** Counters of the limits guard, readable at any time (export them to your metrics system). */
export interface LimitsMetrics {
  /** Requests refused by a rate, concurrency, budget or loop policy. */
  refused: number;
  /** Store calls that failed or timed out. */
  storeErrors: number;
  /** Checks skipped because the store was down and the policy is `open`. */
  failedOpen: number;
  /** Requests refused with 503 because the store was down and the policy is `closed`. */
  failedClosed: number;
  /** Checks decided by the local in-memory fallback (policy `local`). */
  localFallbacks: number;
}

/** The store that answered a call and its answer; `undefined` means the check was skipped (fail open). */
export type StoreAnswer<T> = { readonly store: Store; readonly value: T } | undefined;

/**
 * Runs store calls under the guard's failure policy. After a failure the shared store is skipped
 * for `retryMs` (so a dead Redis costs one timeout, not one per request), then tried again: limits
 * resume by themselves when it comes back, without a restart.
 */
export class StoreAccess {
  private openUntil = 0;

  constructor(
    readonly primary: Store,
    private readonly local: Store | undefined,
    private readonly policy: StoreFailurePolicy,
    private readonly retryMs: number,
    readonly metrics: LimitsMetrics,
  ) {}

  /** Whether the shared store is currently considered reachable. */
  get healthy(): boolean {
    return Date.now() >= this.openUntil;
  }

  /** Marks a failure seen outside `run` (background reconciliation). */
  noteFailure(): void {
    this.metrics.storeErrors++;
    this.openUntil = Date.now() + this.retryMs;
  }

  async run<T>(op: (store: Store) => Promise<T>, onDegraded: () => void): Promise<StoreAnswer<T>> {
    if (Date.now() >= this.openUntil) {
      try {
        return { store: this.primary, value: await op(this.primary) };
      } catch (error) {
        if (isLlmGuardError(error) && error.code !== 'ERR_LLMGUARD_UNAVAILABLE') throw error;
        this.noteFailure();
      }
    }
    if (this.policy === 'open') {
      this.metrics.failedOpen++;
      onDegraded();
      return undefined;
    }
    if (this.policy === 'local' && this.local) {
      this.metrics.localFallbacks++;
      onDegraded();
      return { store: this.local, value: await op(this.local) };
    }
    this.metrics.failedClosed++;
    const seconds = Math.max(1, Math.ceil(this.retryMs / 1000));
    throw new LlmGuardError('ERR_LLMGUARD_UNAVAILABLE', {
      detail: `The limits store (${this.primary.name}) is unavailable; the request was not checked and is refused.`,
      headers: { 'retry-after': String(seconds) },
    });
  }
}
