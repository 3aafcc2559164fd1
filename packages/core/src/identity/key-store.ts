/**
 * One API key as stored. It holds the hash of the key, never the key itself.
 * Dates are ISO 8601 strings so records survive JSON files and Redis unchanged.
 */
export interface ApiKeyRecord {
  /** Public key id (the part of the key between the prefix and the secret). */
  readonly id: string;
  /** `sha256:<base64url>` digest of the full key (see `hashApiKey`). */
  readonly hash: string;
  /** Free label for people, e.g. `ci-bot`. Not used for decisions. */
  readonly name?: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  readonly tenant?: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
}

/**
 * Where key records live. Small and async so any backend fits (memory, JSON file, Redis).
 * Implementations must never persist plaintext keys: they only ever see records.
 *
 * @example
 * const store: KeyStore = new MemoryKeyStore();
 * await store.put(record);
 * const found = await store.get(record.id);
 */
export interface KeyStore {
  /** Short name for errors and audit, e.g. `memory`, `file`, `redis`. */
  readonly name: string;
  /** The record with this id, or `undefined`. */
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Inserts or replaces the record with `record.id`. */
  put(record: ApiKeyRecord): Promise<void>;
  /** Every record, revoked and expired ones included. */
  list(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked at `at` (default now). Returns `false` when no such key exists. */
  revoke(id: string, at?: Date): Promise<boolean>;
}
