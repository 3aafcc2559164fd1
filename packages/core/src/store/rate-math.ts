import type { ConsumeResult } from './store.js';

/**
 * State of one rate-limit key. The Redis scripts of `@llmguard/redis` implement the same
 * arithmetic in Lua, so both stores decide identically for the same sequence of calls.
 */
export type RateState =
  | { readonly algorithm: 'fixed-window'; start: number; count: number }
  | { readonly algorithm: 'sliding-window'; start: number; prev: number; curr: number }
  | { readonly algorithm: 'gcra'; tat: number };

/** Outcome of one rate step: the new state, when the key can be forgotten, and the decision. */
export interface RateStep {
  readonly state: RateState;
  readonly expiresAt: number;
  readonly result: ConsumeResult;
}

// GCRA compares floating-point times; a micro-millisecond of slack keeps `limit` exact bursts.
const EPSILON = 1e-6;

/** Fixed window starting at the key's first hit: `limit` units per `windowMs`. */
export function fixedStep(
  previous: RateState | undefined,
  now: number,
  limit: number,
  windowMs: number,
  cost: number,
  force: boolean,
): RateStep {
  let state = previous?.algorithm === 'fixed-window' ? previous : undefined;
  if (state === undefined || now >= state.start + windowMs)
    state = { algorithm: 'fixed-window', start: now, count: 0 };
  const fits = state.count + cost <= limit;
  if (fits || force) state.count += cost;
  const resetMs = state.start + windowMs - now;
  return {
    state,
    expiresAt: state.start + windowMs,
    result: {
      allowed: fits,
      remaining: Math.max(0, limit - state.count),
      resetMs,
      retryAfterMs: fits ? 0 : resetMs,
    },
  };
}

/**
 * Sliding window counter: windows aligned to the epoch, the previous window's count weighted by
 * how much of it still overlaps the sliding window. Exact while the previous window is empty,
 * a close approximation otherwise, with O(1) state per key.
 */
export function slidingStep(
  previous: RateState | undefined,
  now: number,
  limit: number,
  windowMs: number,
  cost: number,
  force: boolean,
): RateStep {
  const current = Math.floor(now / windowMs) * windowMs;
  let state = previous?.algorithm === 'sliding-window' ? previous : undefined;
  if (state === undefined) state = { algorithm: 'sliding-window', start: current, prev: 0, curr: 0 };
  else if (state.start !== current) {
    state.prev = state.start === current - windowMs ? state.curr : 0;
    state.curr = 0;
    state.start = current;
  }
  const elapsed = now - current;
  const weight = (windowMs - elapsed) / windowMs;
  const estimate = state.prev * weight + state.curr;
  const fits = estimate + cost <= limit;
  if (fits || force) state.curr += cost;
  const used = state.prev * weight + state.curr;
  let retryAfterMs = 0;
  if (!fits) {
    if (state.prev > 0 && state.curr + cost <= limit) {
      // Wait until the previous window's weight has decayed enough inside this window.
      retryAfterMs = Math.ceil(windowMs - ((limit - state.curr - cost) * windowMs) / state.prev - elapsed);
    } else {
      const share = state.curr > 0 ? Math.max(0, 1 - (limit - cost) / state.curr) : 0;
      retryAfterMs = Math.ceil(windowMs - elapsed + share * windowMs);
    }
    retryAfterMs = Math.max(1, retryAfterMs);
  }
  const resetMs = state.curr > 0 ? 2 * windowMs - elapsed : state.prev > 0 ? windowMs - elapsed : 0;
  return {
    state,
    expiresAt: current + 2 * windowMs,
    result: { allowed: fits, remaining: Math.max(0, Math.floor(limit - used)), resetMs, retryAfterMs },
  };
}

/**
 * GCRA (the token bucket as a single "theoretical arrival time"): a burst of `limit` units, then
 * one unit every `windowMs / limit` ms.
 */
export function gcraStep(
  previous: RateState | undefined,
  now: number,
  limit: number,
  windowMs: number,
  cost: number,
  force: boolean,
): RateStep {
  const interval = windowMs / limit;
  let state = previous?.algorithm === 'gcra' ? previous : undefined;
  if (state === undefined) state = { algorithm: 'gcra', tat: now };
  const tat = Math.max(state.tat, now);
  const next = tat + cost * interval;
  const fits = next - now <= windowMs + EPSILON;
  state.tat = fits || force ? next : tat;
  const used = state.tat - now;
  return {
    state,
    expiresAt: state.tat,
    result: {
      allowed: fits,
      remaining: Math.max(0, Math.floor((windowMs - used) / interval + EPSILON)),
      resetMs: Math.ceil(used),
      retryAfterMs: fits ? 0 : Math.max(1, Math.ceil(next - now - windowMs)),
    },
  };
}

/** Gives `amount` units back, never below an empty window/bucket. */
export function refundState(
  state: RateState,
  now: number,
  limit: number,
  windowMs: number,
  amount: number,
): RateState {
  if (state.algorithm === 'gcra') {
    state.tat = Math.max(now, state.tat - (amount * windowMs) / limit);
  } else if (state.algorithm === 'fixed-window') {
    state.count = Math.max(0, state.count - amount);
  } else {
    const current = Math.floor(now / windowMs) * windowMs;
    if (state.start === current) state.curr = Math.max(0, state.curr - amount);
    else if (state.start === current - windowMs) {
      // The window rolled over since the units were taken: they now sit in `curr` of the old window.
      state.curr = Math.max(0, state.curr - amount);
    }
  }
  return state;
}
