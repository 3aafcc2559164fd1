import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeKeyStoreContract } from '../../../../test/helpers/key-store-contract.js';
import { isLlmGuardError } from '../errors/llm-guard-error.js';
import { generateApiKey } from './api-key-format.js';
import { createApiKeyVerifier } from './api-key-verifier.js';
import { FileKeyStore } from './file-key-store.js';
import type { ApiKeyRecord, KeyStore } from './key-store.js';
import { MemoryKeyStore } from './memory-key-store.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmguard-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function recordFor(hash: string, id: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    hash,
    roles: ['user'],
    scopes: ['chat'],
    tenant: 'acme',
    createdAt: new Date().toISOString(),
    ...extra,
  };
}

async function refusal(
  promise: Promise<unknown>,
): Promise<{ status: number; code: string; detail?: string }> {
  try {
    await promise;
  } catch (error) {
    if (!isLlmGuardError(error)) throw error;
    return { status: error.status, code: error.code, ...(error.detail ? { detail: error.detail } : {}) };
  }
  throw new Error('expected a refusal');
}

describeKeyStoreContract('memory', () => new MemoryKeyStore());
describeKeyStoreContract(
  'file',
  () =>
    new FileKeyStore(join(dir, `keys-${Math.random().toString(36).slice(2)}.json`), { reloadIntervalMs: 0 }),
);

describe('FileKeyStore', () => {
  it('stores only hashes, with mode 0600, and never the plaintext key', async () => {
    const path = join(dir, 'plain.json');
    const store = new FileKeyStore(path);
    const { key, id, hash } = generateApiKey();
    await store.put(recordFor(hash, id));
    const text = await readFile(path, 'utf8');
    expect(text).toContain(hash);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(5 + 13, 5 + 13 + 32));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('picks up a revocation written by another process (the CLI) without restart', async () => {
    const path = join(dir, 'shared.json');
    const server = new FileKeyStore(path, { reloadIntervalMs: 0 });
    const cli = new FileKeyStore(path);
    const { key, id, hash } = generateApiKey();
    await cli.put(recordFor(hash, id));
    const verify = createApiKeyVerifier({ store: server });
    expect(await verify(key)).toMatchObject({ id });
    await cli.revoke(id);
    expect(await refusal(verify(key))).toMatchObject({
      status: 401,
      detail: 'The API key has been revoked.',
    });
  });

  it('fails closed (503) on a malformed file and treats a missing file as empty', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"version":1,"keys":[{"id":1}]}');
    const verify = createApiKeyVerifier({ store: new FileKeyStore(path) });
    expect(await refusal(verify(generateApiKey().key))).toMatchObject({
      status: 503,
      code: 'ERR_LLMGUARD_UNAVAILABLE',
    });
    const missing = createApiKeyVerifier({ store: new FileKeyStore(join(dir, 'missing.json')) });
    expect(await refusal(missing(generateApiKey().key))).toMatchObject({ status: 401 });
  });

  it('turns a throwing custom store into a 503', async () => {
    const store: KeyStore = {
      name: 'down',
      get: () => Promise.reject(new Error('connection refused')),
      put: () => Promise.resolve(),
      list: () => Promise.resolve([]),
      revoke: () => Promise.resolve(false),
    };
    expect(await refusal(createApiKeyVerifier({ store })(generateApiKey().key))).toMatchObject({
      status: 503,
      detail: 'The API key store could not be reached.',
    });
  });
});
