import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import type { ApiKeyRecord, KeyStore } from './key-store.js';

/** Options of `FileKeyStore`. */
export interface FileKeyStoreOptions {
  /** How often, at most, the file's modification time is checked for changes. Default 1000 ms. */
  readonly reloadIntervalMs?: number;
}

const recordSchema = z.strictObject({
  id: z.string().min(1).max(64),
  hash: z.string().startsWith('sha256:').max(64),
  name: z.string().max(200).optional(),
  roles: z.array(z.string().min(1).max(100)).max(100),
  scopes: z.array(z.string().min(1).max(200)).max(200),
  tenant: z.string().min(1).max(200).optional(),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  revokedAt: z.string().optional(),
});
const fileSchema = z.strictObject({ version: z.literal(1), keys: z.array(recordSchema) });

/** On-disk shape: `{ "version": 1, "keys": [ApiKeyRecord…] }`. Only hashes, never keys. */
export type KeyFile = z.output<typeof fileSchema>;

/**
 * Key records in a JSON file (`{ "version": 1, "keys": [...] }`) that holds only hashes.
 * Reads are served from memory and refreshed when the file changes (checked at most every
 * `reloadIntervalMs`), so `llmguard keys revoke` takes effect on a running server without restart.
 * Writes go to a temporary file renamed over the original (atomic on POSIX), mode 0600.
 * A missing file is an empty store; an unreadable or malformed file is a 503 (fail closed).
 *
 * @example
 * const store = new FileKeyStore('./llmguard-keys.json');
 */
export class FileKeyStore implements KeyStore {
  readonly name = 'file';
  readonly path: string;
  readonly #reloadIntervalMs: number;
  #records = new Map<string, ApiKeyRecord>();
  #loadedSignature: string | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<void> | undefined;
  #writes: Promise<unknown> = Promise.resolve();

  constructor(path: string, options: FileKeyStoreOptions = {}) {
    this.path = path;
    this.#reloadIntervalMs = options.reloadIntervalMs ?? 1000;
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    await this.#refresh(false);
    return this.#records.get(id);
  }

  async list(): Promise<ApiKeyRecord[]> {
    await this.#refresh(true);
    return [...this.#records.values()];
  }

  async put(record: ApiKeyRecord): Promise<void> {
    await this.#mutate((records) => {
      records.set(record.id, recordSchema.parse(record));
    });
  }

  async revoke(id: string, at: Date = new Date()): Promise<boolean> {
    let found = false;
    await this.#mutate((records) => {
      const record = records.get(id);
      if (record === undefined) return;
      found = true;
      if (record.revokedAt === undefined) records.set(id, { ...record, revokedAt: at.toISOString() });
    });
    return found;
  }

  async #refresh(force: boolean): Promise<void> {
    const now = performance.now();
    if (!force && now - this.#checkedAt < this.#reloadIntervalMs) return;
    if (this.#pending === undefined) {
      this.#pending = this.#load().finally(() => {
        this.#pending = undefined;
      });
    }
    await this.#pending;
  }

  async #load(): Promise<void> {
    let signature: string;
    try {
      const info = await stat(this.path);
      signature = `${info.mtimeMs}:${info.size}:${info.ino}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#records = new Map();
        this.#loadedSignature = 'missing';
        this.#checkedAt = performance.now();
        return;
      }
      throw unavailable(error);
    }
    if (signature === this.#loadedSignature) {
      this.#checkedAt = performance.now();
      return;
    }
    this.#records = await this.#readRecords();
    this.#loadedSignature = signature;
    this.#checkedAt = performance.now();
  }

  async #readRecords(): Promise<Map<string, ApiKeyRecord>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw unavailable(error);
    }
    let parsed: KeyFile;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch (error) {
      throw unavailable(error, 'The API key file is malformed.');
    }
    return new Map(parsed.keys.map((record) => [record.id, record]));
  }

  async #mutate(change: (records: Map<string, ApiKeyRecord>) => void): Promise<void> {
    const run = this.#writes.then(async () => {
      // Re-read under the write chain so concurrent writers in other processes are not overwritten blindly.
      const records = await this.#readRecords();
      change(records);
      const file: KeyFile = { version: 1, keys: [...records.values()] as KeyFile['keys'] };
      const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, this.path);
      this.#records = records;
      this.#loadedSignature = undefined;
      this.#checkedAt = Number.NEGATIVE_INFINITY;
    });
    this.#writes = run.catch(() => {});
    await run;
  }
}

function unavailable(cause: unknown, detail = 'The API key file could not be read.'): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_UNAVAILABLE', { detail, cause });
}
