import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { fixedStep, gcraStep, type RateState, refundState, slidingStep } from './rate-math.js';
import type {
  AcquireResult,
  AddOptions,
  AddResult,
  ConsumeRequest,
  ConsumeResult,
  RefundRequest,
  Store,
} from './store.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Most keys kept; the least recently used key is dropped beyond it. Default 100,000. */
  readonly maxKeys?: number;
  /** How often expired keys are swept (the timer is `unref()`'d). Default 30,000 ms. */
  readonly sweepIntervalMs?: number;
}

interface RateEntry {
  readonly kind: 'rate';
  state: RateState;
  expiresAt: number;
}
interface SlotsEntry {
  readonly kind: 'slots';
  readonly slots: Map<string, number>;
  expiresAt: number;
}
interface CounterEntry {
  readonly kind: 'counter';
  value: number;
  expiresAt: number;
}
interface DecayEntry {
  readonly kind: 'decay';
  score: number;
  at: number;
  expiresAt: number;
}
interface RecordEntry {
  readonly kind: 'record';
  value: string;
  expiresAt: number;
}
type Entry = RateEntry | SlotsEntry | CounterEntry | DecayEntry | RecordEntry;

const TOKEN_PREFIX = randomBytes(6).toString('base64url');

/**
 * The in-process {@link Store}: exact under any concurrency inside one process (every method runs
 * synchronously to completion, so no two decisions interleave), bounded by an LRU of `maxKeys`
 * keys, with one `unref()`'d sweep timer so it never keeps the process alive. Limits kept here
 * hold per process only: use `RedisStore` from `@llmguard/redis` when several processes serve.
 *
 * @example
 * const store = new MemoryStore({ maxKeys: 50_000 });
 * const r = await store.consume('ip:203.0.113.7', { algorithm: 'gcra', limit: 60, windowMs: 60_000 });
 */
export class MemoryStore implements Store {
  readonly name = 'memory';
  private readonly entries: LRUCache<string, Entry>;
  private readonly sweeper: NodeJS.Timeout;
  private nextToken = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.entries = new LRUCache<string, Entry>({ max: options.maxKeys ?? 100_000 });
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 30_000);
    this.sweeper.unref();
  }

  /** Number of keys held (expired ones count until the next sweep or access). */
  get size(): number {
    return this.entries.size;
  }

  /** Stops the sweep timer. The store stays usable; expired keys are then dropped on access. */
  close(): void {
    clearInterval(this.sweeper);
  }

  consume(key: string, request: ConsumeRequest): Promise<ConsumeResult> {
    return Promise.resolve(this.consumeSync(key, request));
  }

  consumeSync(key: string, request: ConsumeRequest): ConsumeResult {
    const now = Date.now();
    const entry = this.live(key, 'rate', now) as RateEntry | undefined;
    const cost = request.cost ?? 1;
    const force = request.force === true;
    const previous = entry?.state;
    let step: ReturnType<typeof fixedStep>;
    if (request.algorithm === 'gcra')
      step = gcraStep(previous, now, request.limit, request.windowMs, cost, force);
    else if (request.algorithm === 'sliding-window')
      step = slidingStep(previous, now, request.limit, request.windowMs, cost, force);
    else step = fixedStep(previous, now, request.limit, request.windowMs, cost, force);
    if (entry) {
      entry.state = step.state;
      entry.expiresAt = step.expiresAt;
    } else {
      this.entries.set(key, { kind: 'rate', state: step.state, expiresAt: step.expiresAt });
    }
    return step.result;
  }

  refund(key: string, request: RefundRequest): Promise<void> {
    const now = Date.now();
    const entry = this.live(key, 'rate', now) as RateEntry | undefined;
    if (entry && request.amount > 0) {
      entry.state = refundState(entry.state, now, request.limit, request.windowMs, request.amount);
    }
    return Promise.resolve();
  }

  acquire(key: string, limit: number, ttlMs: number): Promise<AcquireResult> {
    const now = Date.now();
    let entry = this.live(key, 'slots', now) as SlotsEntry | undefined;
    if (!entry) {
      entry = { kind: 'slots', slots: new Map(), expiresAt: now + ttlMs };
      this.entries.set(key, entry);
    }
    for (const [token, expiresAt] of entry.slots) if (expiresAt <= now) entry.slots.delete(token);
    if (entry.slots.size >= limit) {
      return Promise.resolve({ acquired: false, inFlight: entry.slots.size, token: '' });
    }
    const token = TOKEN_PREFIX + (this.nextToken++).toString(36);
    entry.slots.set(token, now + ttlMs);
    entry.expiresAt = Math.max(entry.expiresAt, now + ttlMs);
    return Promise.resolve({ acquired: true, inFlight: entry.slots.size, token });
  }

  release(key: string, token: string): Promise<void> {
    const entry = this.live(key, 'slots', Date.now()) as SlotsEntry | undefined;
    entry?.slots.delete(token);
    return Promise.resolve();
  }

  add(key: string, amount: number, options: AddOptions): Promise<AddResult> {
    const now = Date.now();
    let entry = this.live(key, 'counter', now) as CounterEntry | undefined;
    if (!entry) {
      entry = { kind: 'counter', value: 0, expiresAt: now + options.ttlMs };
      this.entries.set(key, entry);
    }
    if (options.limit !== undefined && amount > 0 && entry.value + amount > options.limit) {
      return Promise.resolve({ allowed: false, value: entry.value });
    }
    entry.value += amount;
    return Promise.resolve({ allowed: true, value: entry.value });
  }

  decayAdd(key: string, amount: number, halfLifeMs: number, ttlMs: number): Promise<number> {
    const now = Date.now();
    const entry = this.live(key, 'decay', now) as DecayEntry | undefined;
    // Half-life decay: the score halves every `halfLifeMs` of silence.
    const decayed = entry ? entry.score * 2 ** (-(now - entry.at) / halfLifeMs) : 0;
    const score = decayed + amount;
    if (entry) {
      entry.score = score;
      entry.at = now;
      entry.expiresAt = now + ttlMs;
    } else {
      this.entries.set(key, { kind: 'decay', score, at: now, expiresAt: now + ttlMs });
    }
    return Promise.resolve(score);
  }

  get(key: string): Promise<string | undefined> {
    const entry = this.live(key, 'record', Date.now()) as RecordEntry | undefined;
    return Promise.resolve(entry?.value);
  }

  set(key: string, value: string, ttlMs?: number): Promise<void> {
    const expiresAt = ttlMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + ttlMs;
    this.entries.set(key, { kind: 'record', value, expiresAt });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  /** The entry under `key` if it exists, is of `kind` and has not expired; a stale one is dropped. */
  private live(key: string, kind: Entry['kind'], now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // Rate state past its expiry is still valid input to the rate step (which resets it itself),
    // so it is reused in place instead of being deleted and re-inserted on the hot path.
    if (entry.kind !== kind || (entry.expiresAt <= now && kind !== 'rate')) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries.entries()) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
