import type { ApiKeyRecord, KeyStore } from './key-store.js';

/**
 * Key records in process memory. For tests, single-process apps and keys loaded from elsewhere.
 *
 * @example
 * const store = new MemoryKeyStore([{ id, hash, roles: ['user'], scopes: [], createdAt: new Date().toISOString() }]);
 */
export class MemoryKeyStore implements KeyStore {
  readonly name = 'memory';
  readonly #records = new Map<string, ApiKeyRecord>();

  constructor(records: readonly ApiKeyRecord[] = []) {
    for (const record of records) this.#records.set(record.id, record);
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    return this.#records.get(id);
  }

  async put(record: ApiKeyRecord): Promise<void> {
    this.#records.set(record.id, record);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return [...this.#records.values()];
  }

  async revoke(id: string, at: Date = new Date()): Promise<boolean> {
    const record = this.#records.get(id);
    if (record === undefined) return false;
    if (record.revokedAt === undefined) this.#records.set(id, { ...record, revokedAt: at.toISOString() });
    return true;
  }
}
