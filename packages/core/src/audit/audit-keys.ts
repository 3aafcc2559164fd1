import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { LlmGuardError } from '../errors/llm-guard-error.js';

/** Secret material: a string (UTF-8) or raw bytes. At least 32 bytes. */
export type AuditSecret = string | Uint8Array;

/** Keys of one audit log, derived once at construction. */
export interface AuditKeys {
  /** Key id written into every record (`kid`); the verifier picks the key by it. */
  readonly keyId: string;
  /** HMAC-SHA256 key of the record chain. */
  readonly chainKey: Buffer;
  /** HMAC-SHA256 key of principal pseudonyms and prompt hashes. */
  readonly pseudonymKey: Buffer;
  /** True when no key was configured and a random one was made for this process. */
  readonly ephemeral: boolean;
}

/** Name of the environment variable read when no `key` option is given. */
export const AUDIT_KEY_ENV = 'LLMGUARD_AUDIT_KEY';

const MIN_SECRET_BYTES = 32;

function toBytes(secret: AuditSecret, option: string): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.byteLength < MIN_SECRET_BYTES) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
      detail: `Invalid option "${option}": an audit key needs at least ${MIN_SECRET_BYTES} bytes.`,
    });
  }
  return bytes;
}

// Separate keys per purpose (HKDF, RFC 5869) so a pseudonym never doubles as a chain MAC.
function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `llmguard audit ${purpose}`, 32));
}

/**
 * Derives the chain key, its id and the pseudonym key from a master secret.
 *
 * @param key - master secret; default `process.env.LLMGUARD_AUDIT_KEY`, else a random per-process key
 *   (records then cannot be verified after the process exits).
 * @param pseudonymKey - separate secret for pseudonyms, so rotating `key` keeps subjects stable;
 *   default derived from `key`.
 * @example
 * const keys = deriveAuditKeys(process.env.AUDIT_KEY);
 */
export function deriveAuditKeys(key?: AuditSecret, pseudonymKey?: AuditSecret, keyId?: string): AuditKeys {
  const configured = key ?? process.env[AUDIT_KEY_ENV];
  const ephemeral = configured === undefined || configured === '';
  const master = ephemeral ? randomBytes(32) : toBytes(configured, 'audit.key');
  const chainKey = derive(master, 'chain');
  const pseudoMaster = pseudonymKey === undefined ? master : toBytes(pseudonymKey, 'audit.pseudonymKey');
  return {
    keyId: keyId ?? auditKeyId(master),
    chainKey,
    pseudonymKey: derive(pseudoMaster, 'pseudonym'),
    ephemeral,
  };
}

/**
 * Default key id of a master secret: `k` + 12 hex digits of a hash of the derived chain key.
 * Reveals nothing usable about the key; lets the verifier pick among rotated keys.
 *
 * @example
 * auditKeyId(process.env.LLMGUARD_AUDIT_KEY!); // 'k3f9a…'
 */
export function auditKeyId(master: AuditSecret): string {
  const chainKey = derive(Buffer.from(master), 'chain');
  return 'k' + createHash('sha256').update(chainKey).digest('hex').slice(0, 12);
}

/** The chain key of a master secret, as the verifier needs it. */
export function auditChainKey(master: AuditSecret): Buffer {
  return derive(toBytes(master, 'key'), 'chain');
}

/**
 * Keyed pseudonym of a subject: `p_` + 22 base64url characters of HMAC-SHA256 over
 * `tenant \0 id`. Stable for one key, unlinkable without it. The CLI uses the same function to
 * find one subject's events.
 *
 * @example
 * pseudonymize(keys.pseudonymKey, 'user-42', 'acme'); // 'p_Yk3…'
 */
export function pseudonymize(pseudonymKey: Uint8Array, id: string, tenant?: string): string {
  const mac = createHmac('sha256', pseudonymKey)
    .update(tenant ?? '')
    .update('\0')
    .update(id)
    .digest('base64url');
  return 'p_' + mac.slice(0, 22);
}

/** Derives the pseudonym key of a master secret (for `audit export --principal`). */
export function auditPseudonymKey(master: AuditSecret): Buffer {
  return derive(toBytes(master, 'key'), 'pseudonym');
}

/**
 * Keyed hash of text (prompt hashes when `prompt: 'hash'`): `h_` + 43 base64url characters.
 * Equal prompts give equal hashes under one key; nothing about the text can be recovered.
 */
export function keyedTextHash(pseudonymKey: Uint8Array, text: string): string {
  return 'h_' + createHmac('sha256', pseudonymKey).update('prompt\0').update(text).digest('base64url');
}
