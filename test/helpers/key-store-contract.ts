import {
  type ApiKeyRecord,
  createApiKeyVerifier,
  generateApiKey,
  isLlmGuardError,
  type KeyStore,
} from '@llmguard/core';
import { describe, expect, it } from 'vitest';

/**
 * The behaviour every `KeyStore` must have, as seen through the API key verifier. Run it for each
 * implementation (memory, file, Redis) so they cannot drift apart.
 *
 * @example
 * describeKeyStoreContract('redis', async () => new RedisKeyStore(redis, { prefix: `t:${randomUUID()}:` }));
 */
export function describeKeyStoreContract(name: string, makeStore: () => KeyStore | Promise<KeyStore>): void {
  const record = (hash: string, id: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
    id,
    hash,
    roles: ['user'],
    scopes: ['chat'],
    tenant: 'acme',
    createdAt: new Date().toISOString(),
    ...extra,
  });

  const refusal = async (promise: Promise<unknown>): Promise<{ status: number; detail?: string }> => {
    try {
      await promise;
    } catch (error) {
      if (!isLlmGuardError(error)) throw error;
      return { status: error.status, ...(error.detail ? { detail: error.detail } : {}) };
    }
    throw new Error('expected a refusal');
  };

  describe(`${name} key store contract`, () => {
    it('returns what was put, and undefined for unknown ids', async () => {
      const store = await makeStore();
      const { id, hash } = generateApiKey();
      const stored = record(hash, id, {
        name: 'ci-bot',
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
      await store.put(stored);
      expect(await store.get(id)).toEqual(stored);
      expect(await store.get('unknown-id')).toBeUndefined();
    });

    it('accepts a valid key and maps the record to a principal', async () => {
      const store = await makeStore();
      const { key, id, hash } = generateApiKey();
      await store.put(record(hash, id));
      expect(await createApiKeyVerifier({ store })(key)).toEqual({
        id,
        kind: 'api-key',
        tenant: 'acme',
        roles: ['user'],
        scopes: ['chat'],
        keyId: id,
      });
    });

    it('refuses bad checksum, unknown, mismatched, expired and revoked keys with 401', async () => {
      const store = await makeStore();
      let now = Date.now();
      const verify = createApiKeyVerifier({ store, now: () => now });
      const good = generateApiKey();
      await store.put(record(good.hash, good.id, { expiresAt: new Date(now + 60_000).toISOString() }));
      const typo = good.key.slice(0, -1) + (good.key.endsWith('a') ? 'b' : 'a');
      expect((await refusal(verify(typo))).status).toBe(401);
      expect(await refusal(verify(generateApiKey().key))).toEqual({
        status: 401,
        detail: 'The API key is not valid.',
      });
      // A record whose hash belongs to another key: the hash comparison refuses it.
      const other = generateApiKey();
      await store.put(record(good.hash, other.id));
      expect((await refusal(verify(other.key))).status).toBe(401);
      now += 61_000;
      expect(await refusal(verify(good.key))).toEqual({ status: 401, detail: 'The API key has expired.' });
      now -= 61_000;
      expect((await verify(good.key)).id).toBe(good.id);
      expect(await store.revoke(good.id)).toBe(true);
      expect(await store.revoke('unknown-id')).toBe(false);
      expect(await refusal(verify(good.key))).toEqual({
        status: 401,
        detail: 'The API key has been revoked.',
      });
    });

    it('keeps the first revocation time and lists every record, revoked ones included', async () => {
      const store = await makeStore();
      const a = generateApiKey();
      const b = generateApiKey();
      await store.put(record(a.hash, a.id));
      await store.put(record(b.hash, b.id));
      const first = new Date(Date.now() - 5000);
      await store.revoke(a.id, first);
      await store.revoke(a.id, new Date());
      expect((await store.get(a.id))?.revokedAt).toBe(first.toISOString());
      const listed = await store.list();
      const ids = listed.map((r) => r.id);
      expect(ids).toContain(a.id);
      expect(ids).toContain(b.id);
      expect(listed.find((r) => r.id === b.id)?.revokedAt).toBeUndefined();
    });
  });
}
