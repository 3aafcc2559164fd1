import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** `prev` of the first record of a chain: 64 zeros. */
export const CHAIN_GENESIS = '0'.repeat(64);

/** Version of the record layout; written as `v`. */
export const AUDIT_RECORD_VERSION = 1;

/** Values an audit record may hold: JSON without `undefined` surprises. */
export type AuditValue = string | number | boolean | null | readonly AuditValue[] | AuditFields;
export interface AuditFields {
  readonly [key: string]: AuditValue | undefined;
}

/**
 * One sealed record. `mac` = HMAC-SHA256(chain key, canonical JSON of every other member), and the
 * members include `prev` (the previous record's `mac`), so editing, removing, reordering or
 * inserting any record breaks every MAC after it.
 */
export interface SealedAuditRecord extends AuditFields {
  readonly v: number;
  readonly seq: number;
  readonly prev: string;
  readonly kid: string;
  readonly ts: string;
  readonly type: string;
  readonly mac: string;
}

/** The MAC of a record (every member except `mac`). */
export function recordMac(chainKey: Uint8Array | KeyObject, record: AuditFields): string {
  return createHmac('sha256', chainKey).update(canonicalJson(record, 'mac')).digest('hex');
}

/** Constant-time comparison of two hex MACs. */
export function macEquals(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Where a chain continues from. */
export interface ChainHead {
  readonly seq: number;
  readonly mac: string;
}

/**
 * Seals records in order: assigns `seq`, links `prev`, computes `mac`. Synchronous, so the order
 * of sealing is the order of writing.
 *
 * @example
 * const chain = createAuditChain(keys.chainKey, keys.keyId);
 * const record = chain.seal('request', { requestId: 'r1' });
 */
export interface AuditChain {
  seal(type: string, fields: AuditFields, now?: Date): SealedAuditRecord;
  head(): ChainHead;
}

export function createAuditChain(chainKey: Uint8Array, keyId: string, from?: ChainHead): AuditChain {
  // A KeyObject skips re-importing the raw key on every HMAC (about a third of its cost).
  const key = createSecretKey(chainKey);
  let seq = from?.seq ?? 0;
  let prev = from?.mac ?? CHAIN_GENESIS;
  return {
    seal(type: string, fields: AuditFields, now: Date = new Date()): SealedAuditRecord {
      // One copy of the caller's fields; the chain's own members are written last so they win.
      const record: Record<string, AuditValue | undefined> = Object.assign({}, fields);
      record.v = AUDIT_RECORD_VERSION;
      record.seq = seq + 1;
      record.prev = prev;
      record.kid = keyId;
      record.ts = now.toISOString();
      record.type = type;
      record.mac = undefined;
      const mac = recordMac(key, record);
      record.mac = mac;
      seq += 1;
      prev = mac;
      return record as SealedAuditRecord;
    },
    head(): ChainHead {
      return { seq, mac: prev };
    },
  };
}
