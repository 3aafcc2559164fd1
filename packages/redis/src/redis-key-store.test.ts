import { randomUUID } from 'node:crypto';
import { type ApiKeyRecord, createApiKeyVerifier, generateApiKey } from '@llmguard/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisKeyStore } from './redis-key-store.js';

const client = new Redis({ host: '127.0.0.1', port: 6379 });
const prefix = `llmguard-test:keys:${randomUUID()}:`;
afterAll(async () => {
  await client.del(`${prefix}apikeys`);
  client.disconnect();
});

const record = (id: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id,
  hash: `sha256:${id}-digest`,
  roles: [],
  scopes: ['chat'],
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('RedisKeyStore', () => {
  const store = new RedisKeyStore({ client, prefix });

  it('stores, lists and reads records shared by every process', async () => {
    await store.put(record('k1', { tenant: 'acme', name: 'ci' }));
    await store.put(record('k2'));
    const other = new RedisKeyStore({ client, prefix });
    expect(await other.get('k1')).toEqual(record('k1', { tenant: 'acme', name: 'ci' }));
    expect((await other.list()).map((r) => r.id).sort()).toEqual(['k1', 'k2']);
    expect(await other.get('missing')).toBeUndefined();
  });

  it('revokes atomically, once, keeping empty arrays as arrays', async () => {
    await store.put(record('k3'));
    const at = new Date('2026-05-05T05:05:05.000Z');
    expect(await store.revoke('k3', at)).toBe(true);
    expect(await store.revoke('k3', new Date('2027-01-01T00:00:00.000Z'))).toBe(true);
    expect(await store.get('k3')).toEqual(record('k3', { revokedAt: at.toISOString() }));
    expect(await store.revoke('nope')).toBe(false);
  });

  it('ignores a record that is not valid JSON instead of crashing', async () => {
    await client.hset(`${prefix}apikeys`, 'broken', '{not json');
    expect(await store.get('broken')).toBeUndefined();
    expect((await store.list()).some((r) => r.id === 'broken')).toBe(false);
  });

  it('backs the identity guard: a key issued in one process verifies in another, and revocation is seen at once', async () => {
    const issued = generateApiKey();
    await store.put({
      id: issued.id,
      hash: issued.hash,
      roles: ['user'],
      scopes: [],
      tenant: 'acme',
      createdAt: new Date().toISOString(),
    });
    const verify = createApiKeyVerifier({ store: new RedisKeyStore({ client, prefix }) });
    expect(await verify(issued.key)).toMatchObject({ kind: 'api-key', tenant: 'acme', roles: ['user'] });
    await store.revoke(issued.id);
    await expect(verify(issued.key)).rejects.toMatchObject({ status: 401 });
  });
});
