import type { Principal } from '../context/principal.js';
import { isLlmGuardError, LlmGuardError } from '../errors/llm-guard-error.js';
import { API_KEY_PREFIX, apiKeyMatchesHash, parseApiKey } from './api-key-format.js';
import { AuthenticationError } from './authentication-error.js';
import type { KeyStore } from './key-store.js';

/** Options of `createApiKeyVerifier`. */
export interface ApiKeyVerifierOptions {
  readonly store: KeyStore;
  /** Key prefix. Default `llmg`. */
  readonly prefix?: string;
  /** Clock for expiry checks (tests). Default `Date.now`. */
  readonly now?: () => number;
}

/** Verifies one presented API key and returns its principal, or throws a 401/503 `LlmGuardError`. */
export type ApiKeyVerifier = (presented: string) => Promise<Principal>;

/**
 * Builds the API key check: layout and checksum first (no lookup for typos or random strings),
 * then the record by id, a constant-time hash comparison, revocation and expiry. Every refusal is
 * a 401 `invalid_token` whose detail never repeats the key; a store that cannot answer is a 503.
 *
 * @example
 * const verify = createApiKeyVerifier({ store: new FileKeyStore('keys.json') });
 * const principal = await verify(presentedKey);
 */
export function createApiKeyVerifier(options: ApiKeyVerifierOptions): ApiKeyVerifier {
  const { store } = options;
  const prefix = options.prefix ?? API_KEY_PREFIX;
  const now = options.now ?? Date.now;

  return async function verifyApiKey(presented: string): Promise<Principal> {
    const parsed = parseApiKey(presented, prefix);
    if (parsed === undefined)
      throw new AuthenticationError('The API key is malformed or its checksum is wrong.');
    let record: Awaited<ReturnType<KeyStore['get']>>;
    try {
      record = await store.get(parsed.id);
    } catch (error) {
      if (isLlmGuardError(error) && error.code === 'ERR_LLMGUARD_UNAVAILABLE') throw error;
      throw new LlmGuardError('ERR_LLMGUARD_UNAVAILABLE', {
        detail: 'The API key store could not be reached.',
        cause: error,
      });
    }
    if (record === undefined || !apiKeyMatchesHash(presented, record.hash)) {
      throw new AuthenticationError('The API key is not valid.');
    }
    if (record.revokedAt !== undefined) throw new AuthenticationError('The API key has been revoked.');
    if (record.expiresAt !== undefined) {
      const expires = Date.parse(record.expiresAt);
      // An unparseable expiry is treated as expired: fail closed on a damaged record.
      if (!Number.isFinite(expires) || now() >= expires) {
        throw new AuthenticationError('The API key has expired.');
      }
    }
    return {
      id: record.id,
      kind: 'api-key',
      tenant: record.tenant,
      roles: record.roles,
      scopes: record.scopes,
      keyId: record.id,
    };
  };
}
