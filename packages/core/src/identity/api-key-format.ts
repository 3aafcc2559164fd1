import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { BASE62_ALPHABET as ALPHABET, base62Crc32 } from '../checksum/base62-crc32.js';

/**
 * API key layout (documented in docs/identity.md):
 *
 * ```
 * llmg_<id: 12 base62>_<secret: 32 base62><checksum: 6 base62>
 * ```
 *
 * - the prefix makes a leaked key recognisable by secret scanners (one fixed, greppable pattern);
 * - the id is public: it names the key record, so lookup never needs the secret;
 * - the secret holds 32 base62 characters (~190 bits) from `crypto.randomBytes`;
 * - the checksum is CRC32 over everything before it, in base62, so a typo or a truncated paste is
 *   rejected before any lookup, and scanners can discard random look-alikes without a round trip.
 */
export const API_KEY_PREFIX = 'llmg';
/** Characters of the public key id. */
export const API_KEY_ID_LENGTH = 12;
/** Characters of the random secret (base62, ~190 bits). */
export const API_KEY_SECRET_LENGTH = 32;
/** Characters of the base62 CRC32 checksum. */
export const API_KEY_CHECKSUM_LENGTH = 6;

/** The parts of a well-formed key whose checksum matched. */
export interface ParsedApiKey {
  readonly prefix: string;
  readonly id: string;
}

/** A freshly made key: show `key` to its owner once, store only `hash`. */
export interface GeneratedApiKey {
  /** The plaintext key. Never log or store it. */
  readonly key: string;
  /** Public key id, part of the key. */
  readonly id: string;
  /** `sha256:<base64url>` digest to store in the key record. */
  readonly hash: string;
}

/** Total length of a key with the given prefix. */
export function apiKeyLength(prefix: string = API_KEY_PREFIX): number {
  return prefix.length + 2 + API_KEY_ID_LENGTH + API_KEY_SECRET_LENGTH + API_KEY_CHECKSUM_LENGTH;
}

/**
 * Generates a new API key with a random id and secret.
 *
 * @param prefix key prefix, lower-case letters and digits; default `llmg`.
 * @example
 * const { key, id, hash } = generateApiKey();
 * // key: 'llmg_3fT9…_…', shown once; store { id, hash }
 */
export function generateApiKey(prefix: string = API_KEY_PREFIX): GeneratedApiKey {
  const id = randomBase62(API_KEY_ID_LENGTH);
  const body = `${prefix}_${id}_${randomBase62(API_KEY_SECRET_LENGTH)}`;
  const key = body + checksumOf(body);
  return { key, id, hash: hashApiKey(key) };
}

/**
 * Checks the layout and checksum of a presented key without any lookup. Returns `undefined` for
 * anything that is not a well-formed key with this prefix (wrong length, characters or checksum).
 * Runs in time linear in the input and never uses a regex.
 *
 * @example
 * parseApiKey('llmg_abc…'); // { prefix: 'llmg', id: 'abc…' } or undefined
 */
export function parseApiKey(text: string, prefix: string = API_KEY_PREFIX): ParsedApiKey | undefined {
  if (text.length !== apiKeyLength(prefix)) return undefined;
  if (!text.startsWith(`${prefix}_`)) return undefined;
  const idStart = prefix.length + 1;
  const idEnd = idStart + API_KEY_ID_LENGTH;
  if (text.charCodeAt(idEnd) !== 0x5f /* _ */) return undefined;
  for (let i = idStart; i < text.length; i++) {
    if (i === idEnd) continue;
    if (!isBase62(text.charCodeAt(i))) return undefined;
  }
  const cut = text.length - API_KEY_CHECKSUM_LENGTH;
  const expected = checksumOf(text.slice(0, cut));
  if (!constantTimeEqualStrings(expected, text.slice(cut))) return undefined;
  return { prefix, id: text.slice(idStart, idEnd) };
}

/**
 * The stored form of a key: `sha256:` + base64url SHA-256 digest. A fast hash is enough because
 * the secret has ~190 bits of entropy: there is nothing to brute-force as with passwords.
 *
 * @example
 * hashApiKey(key); // 'sha256:q1w2…'
 */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('base64url')}`;
}

/**
 * Compares a presented key with a stored hash in constant time (the digests are compared with
 * `timingSafeEqual`, so the comparison time does not depend on how many leading bytes match).
 *
 * @example
 * if (!apiKeyMatchesHash(presented, record.hash)) throw …;
 */
export function apiKeyMatchesHash(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), 'utf8');
  const stored = Buffer.from(storedHash, 'utf8');
  // Lengths differ only when the stored hash is malformed (every real digest has the same length).
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

function checksumOf(body: string): string {
  // CRC32 is an unsigned 32-bit integer: exact in a double, and 62^6 > 2^32 so six characters hold it.
  return base62Crc32(body, API_KEY_CHECKSUM_LENGTH);
}

function constantTimeEqualStrings(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

function randomBase62(length: number): string {
  let out = '';
  // Rejection sampling keeps every character uniform: bytes ≥ 248 (4 × 62) are discarded.
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

function isBase62(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
