import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileKeyStore, MemoryKeyStore } from '@llmguard/core';
import { RedisKeyStore } from '@llmguard/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { describeKeyStoreContract } from '../helpers/key-store-contract.js';

// One KeyStore contract for every implementation the identity guard can use: memory, JSON file and
// Redis (the shared server on 127.0.0.1:6379, under a prefix unique to this run, removed afterwards).

const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
const prefixes: string[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmguard-key-store-'));
  await client.connect();
});

afterAll(async () => {
  for (const prefix of prefixes) await client.del(`${prefix}apikeys`);
  client.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describeKeyStoreContract('memory', () => new MemoryKeyStore());
describeKeyStoreContract(
  'file',
  () => new FileKeyStore(join(dir, `${randomUUID()}.json`), { reloadIntervalMs: 0 }),
);
describeKeyStoreContract('redis', () => {
  const prefix = `llmguard-test:key-store-contract:${randomUUID()}:`;
  prefixes.push(prefix);
  return new RedisKeyStore({ client, prefix });
});
