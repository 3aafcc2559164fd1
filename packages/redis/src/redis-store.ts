import { createHash, randomUUID } from 'node:crypto';
import type {
  AcquireResult,
  AddOptions,
  AddResult,
  ConsumeRequest,
  ConsumeResult,
  RefundRequest,
  Store,
} from '@llmguard/core';
import type { Cluster, Redis } from 'ioredis';
import { commandWithDeadline } from './command-deadline.js';
import { ACQUIRE, ADD, CONSUME, DECAY_ADD, REFUND } from './lua-scripts.js';

/** A connected ioredis client: a single node (`Redis`, also via Sentinel) or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /** Your ioredis client. The store never connects, configures or closes it. */
  readonly client: RedisClient;
  /** Prefix of every key. Default `llmguard:`. */
  readonly prefix?: string;
  /**
   * Longest wait for one command before the call fails (and the guard's failure policy decides).
   * Keeps a dead or slow Redis from hanging requests. Default 500 ms.
   */
  readonly commandTimeoutMs?: number;
}

interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const SCRIPTS = {
  consume: script(CONSUME),
  refund: script(REFUND),
  acquire: script(ACQUIRE),
  add: script(ADD),
  decayAdd: script(DECAY_ADD),
} as const;

/** `NOSCRIPT`: the server does not hold the script; the store sends it and retries. */
function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * {@link Store} on Redis. Every decision is one `EVALSHA` of a Lua script that reads the server's
 * clock and touches one key: atomic across any number of processes, one round trip, and valid on
 * Redis Cluster. Scripts are addressed by SHA-1; on `NOSCRIPT` (new node, restart, `SCRIPT FLUSH`)
 * the script is sent once with `EVAL`, which also caches it for the next calls.
 *
 * @example
 * import Redis from 'ioredis';
 * const store = new RedisStore({ client: new Redis(process.env.REDIS_URL), prefix: 'myapp:' });
 * app.use(llmGuard({ limits: { store } }));
 */
export class RedisStore implements Store {
  readonly name = 'redis';
  readonly prefix: string;
  private readonly client: RedisClient;
  private readonly timeoutMs: number;

  constructor(options: RedisStoreOptions) {
    this.client = options.client;
    this.prefix = options.prefix ?? 'llmguard:';
    this.timeoutMs = options.commandTimeoutMs ?? 500;
  }

  async consume(key: string, request: ConsumeRequest): Promise<ConsumeResult> {
    const reply = (await this.evalScript(SCRIPTS.consume, key, [
      request.algorithm,
      request.limit,
      request.windowMs,
      Math.ceil(request.cost ?? 1),
      request.force ? 1 : 0,
    ])) as number[];
    return {
      allowed: reply[0] === 1,
      remaining: Number(reply[1]),
      resetMs: Number(reply[2]),
      retryAfterMs: Number(reply[3]),
    };
  }

  async refund(key: string, request: RefundRequest): Promise<void> {
    if (request.amount <= 0) return;
    await this.evalScript(SCRIPTS.refund, key, [
      request.algorithm,
      request.limit,
      request.windowMs,
      Math.ceil(request.amount),
    ]);
  }

  async acquire(key: string, limit: number, ttlMs: number): Promise<AcquireResult> {
    const token = randomUUID();
    const reply = (await this.evalScript(SCRIPTS.acquire, key, [limit, ttlMs, token])) as number[];
    const acquired = reply[0] === 1;
    return { acquired, inFlight: Number(reply[1]), token: acquired ? token : '' };
  }

  async release(key: string, token: string): Promise<void> {
    if (token === '') return;
    await this.command('zrem', this.prefix + key, token);
  }

  async add(key: string, amount: number, options: AddOptions): Promise<AddResult> {
    const reply = (await this.evalScript(SCRIPTS.add, key, [
      String(amount),
      Math.max(1, Math.ceil(options.ttlMs)),
      options.limit === undefined ? '' : String(options.limit),
    ])) as [number, string];
    return { allowed: reply[0] === 1, value: Number(reply[1]) };
  }

  async decayAdd(key: string, amount: number, halfLifeMs: number, ttlMs: number): Promise<number> {
    const reply = await this.evalScript(SCRIPTS.decayAdd, key, [
      amount,
      halfLifeMs,
      Math.max(1, Math.ceil(ttlMs)),
    ]);
    return Number(reply);
  }

  async get(key: string): Promise<string | undefined> {
    const value = (await this.command('get', this.prefix + key)) as string | null;
    return value ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.command('set', this.prefix + key, value);
    else await this.command('set', this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async delete(key: string): Promise<void> {
    await this.command('del', this.prefix + key);
  }

  /** Loads every script on the connected node(s) ahead of the first request (optional). */
  async loadScripts(): Promise<void> {
    for (const s of Object.values(SCRIPTS)) await this.command('script', 'LOAD', s.source);
  }

  private async evalScript(s: Script, key: string, args: readonly (string | number)[]): Promise<unknown> {
    const fullKey = this.prefix + key;
    try {
      return await this.command('evalsha', s.sha, 1, fullKey, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.command('eval', s.source, 1, fullKey, ...args);
    }
  }

  /** Runs one command with a deadline; a command still queued in ioredis is abandoned, never awaited. */
  private command(name: string, ...args: (string | number)[]): Promise<unknown> {
    return commandWithDeadline(this.client, this.timeoutMs, 'Redis', [name, ...args], isNoScript);
  }
}
