import type { ApiKeyRecord, KeyStore } from '@llmguard/core';
import { commandWithDeadline } from './command-deadline.js';
import type { RedisClient } from './redis-store.js';

/** Options of {@link RedisKeyStore}. */
export interface RedisKeyStoreOptions {
  /** Your ioredis client (single node, Sentinel or Cluster). Never connected or closed by the store. */
  readonly client: RedisClient;
  /** Prefix of the one hash that holds every key record. Default `llmguard:`. */
  readonly prefix?: string;
  /** Longest wait for one command. Default 500 ms. */
  readonly commandTimeoutMs?: number;
}

// Marks a record revoked inside Redis, atomically, without re-encoding it (cjson would turn empty
// arrays into objects): the field is appended to the JSON text only when it is not there yet.
const REVOKE = `
local text = redis.call('HGET', KEYS[1], ARGV[1])
if not text then return 0 end
local record = cjson.decode(text)
if record['revokedAt'] == nil then
  text = string.sub(text, 1, -2) .. ',"revokedAt":' .. cjson.encode(ARGV[2]) .. '}'
  redis.call('HSET', KEYS[1], ARGV[1], text)
end
return 1
`;

function isRecord(value: unknown): value is ApiKeyRecord {
  const r = value as Partial<ApiKeyRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.hash === 'string' &&
    Array.isArray(r.roles) &&
    Array.isArray(r.scopes) &&
    typeof r.createdAt === 'string'
  );
}

function parse(text: string | null | undefined): ApiKeyRecord | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * API key records in Redis, for every process of a deployment to share. All records live in one
 * hash (one key, so every call works on Redis Cluster), holding only key hashes, never keys.
 *
 * @example
 * const keys = new RedisKeyStore({ client: redis });
 * app.use(llmGuard({ identity: { apiKeys: { store: keys } } }));
 */
export class RedisKeyStore implements KeyStore {
  readonly name = 'redis';
  private readonly client: RedisClient;
  private readonly key: string;
  private readonly timeoutMs: number;

  constructor(options: RedisKeyStoreOptions) {
    this.client = options.client;
    this.key = `${options.prefix ?? 'llmguard:'}apikeys`;
    this.timeoutMs = options.commandTimeoutMs ?? 500;
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    return parse((await this.command('hget', this.key, id)) as string | null);
  }

  async put(record: ApiKeyRecord): Promise<void> {
    await this.command('hset', this.key, record.id, JSON.stringify(record));
  }

  async list(): Promise<ApiKeyRecord[]> {
    const values = (await this.command('hvals', this.key)) as string[];
    const out: ApiKeyRecord[] = [];
    for (const text of values) {
      const record = parse(text);
      if (record) out.push(record);
    }
    return out;
  }

  async revoke(id: string, at: Date = new Date()): Promise<boolean> {
    const reply = await this.command('eval', REVOKE, 1, this.key, id, at.toISOString());
    return reply === 1;
  }

  private command(name: string, ...args: (string | number)[]): Promise<unknown> {
    return commandWithDeadline(this.client, this.timeoutMs, 'The key store (Redis)', [name, ...args]);
  }
}
