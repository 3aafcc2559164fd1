import { createSecretKey, type KeyObject } from 'node:crypto';
import { basename } from 'node:path';
import { CHAIN_GENESIS, macEquals, recordMac } from './audit-chain.js';
import { type AuditSecret, auditChainKey, auditKeyId } from './audit-keys.js';
import { type AuditLine, readAuditLines } from './read-records.js';

/** A verification key: a master secret (its id is derived) or an explicit id and secret. */
export type AuditVerifyKey = AuditSecret | { readonly id: string; readonly secret: AuditSecret };

export interface AuditVerifyOptions {
  /** Every master secret the log was written with (key rotation keeps old ones here). */
  readonly keys: readonly AuditVerifyKey[];
  /** Accept a chain that starts after seq 1 (older files removed by retention). Default `false`. */
  readonly allowPartial?: boolean;
  /** Accept a last file without `audit.close` (a log still being written). Default `false`. */
  readonly allowOpenTail?: boolean;
  /** Accept a restart after a crash (file without closing record, resumed chain). Default `false`. */
  readonly allowUnclean?: boolean;
}

export type AuditVerifyProblemKind =
  | 'unparseable'
  | 'unknown-key'
  | 'bad-mac'
  | 'missing'
  | 'reordered'
  | 'broken-link'
  | 'bad-start'
  | 'missing-file'
  | 'unclean'
  | 'truncated';

/** The first thing wrong with a log. */
export interface AuditVerifyProblem {
  readonly kind: AuditVerifyProblemKind;
  readonly file: string;
  /** 1-based line number in `file` (0 when the problem is at the end of the file). */
  readonly line: number;
  readonly seq?: number;
  readonly message: string;
}

export interface AuditVerifyResult {
  readonly ok: boolean;
  /** Records checked before stopping. */
  readonly records: number;
  readonly files: number;
  /** Chains seen (a clean close followed by a fresh chain starts a new one). */
  readonly chains: number;
  readonly firstSeq: number | undefined;
  readonly lastSeq: number | undefined;
  readonly problem?: AuditVerifyProblem;
}

interface Head {
  seq: number;
  mac: string;
  type: string;
  next: string | undefined;
}

function keyTable(keys: readonly AuditVerifyKey[]): Map<string, KeyObject> {
  const table = new Map<string, KeyObject>();
  for (const key of keys) {
    if (typeof key === 'object' && 'secret' in key)
      table.set(key.id, createSecretKey(auditChainKey(key.secret)));
    else table.set(auditKeyId(key), createSecretKey(auditChainKey(key)));
  }
  return table;
}

/**
 * Verifies audit files in chain order and reports the first broken, missing, reordered or inserted
 * record, a missing file after a rotation, and a truncated tail (no `audit.close` at the end).
 *
 * @example
 * const result = await verifyAuditFiles(['audit-1.jsonl', 'audit-2.jsonl'], { keys: [process.env.LLMGUARD_AUDIT_KEY!] });
 * if (!result.ok) console.error(result.problem?.message);
 */
export async function verifyAuditFiles(
  files: readonly string[],
  options: AuditVerifyOptions,
): Promise<AuditVerifyResult> {
  const keys = keyTable(options.keys);
  let head: Head | undefined;
  let records = 0;
  let chains = 0;
  let firstSeq: number | undefined;
  let filesRead = 0;
  let endedClean = true;

  const result = (problem?: AuditVerifyProblem): AuditVerifyResult => ({
    ok: problem === undefined,
    records,
    files: filesRead,
    chains,
    firstSeq,
    lastSeq: head?.seq,
    ...(problem === undefined ? {} : { problem }),
  });

  for (let f = 0; f < files.length; f++) {
    const file = files[f]!;
    filesRead += 1;
    if (head?.next !== undefined && head.next !== basename(file)) {
      return result({
        kind: 'missing-file',
        file,
        line: 0,
        message: `${file}: the previous file rotated to "${head.next}", which is missing or out of order.`,
      });
    }
    let firstInFile = true;
    const lines = readAuditLines(file)[Symbol.asyncIterator]();
    for (let item = await lines.next(); !item.done; item = await lines.next()) {
      const entry: AuditLine = item.value;
      const at = `${file}:${entry.line}`;
      const record = entry.record;
      if (record === undefined) {
        return result({
          kind: 'unparseable',
          file,
          line: entry.line,
          message: `${at}: not an audit record (torn write, truncation or edit).`,
        });
      }
      const seq = record.seq;
      const prev = record.prev;
      const mac = record.mac;
      const kid = record.kid;
      const type = record.type;
      if (
        typeof seq !== 'number' ||
        typeof prev !== 'string' ||
        typeof mac !== 'string' ||
        typeof kid !== 'string' ||
        typeof type !== 'string'
      ) {
        return result({
          kind: 'unparseable',
          file,
          line: entry.line,
          message: `${at}: record lacks seq/prev/kid/type/mac.`,
        });
      }
      const key = keys.get(kid);
      if (key === undefined) {
        return result({
          kind: 'unknown-key',
          file,
          line: entry.line,
          seq,
          message: `${at}: seq ${seq} is sealed with key id "${kid}", which was not given.`,
        });
      }
      if (!macEquals(recordMac(key, record as never), mac)) {
        return result({
          kind: 'bad-mac',
          file,
          line: entry.line,
          seq,
          message: `${at}: seq ${seq} fails its MAC: the record was edited, or inserted by someone without the key.`,
        });
      }
      // Authentic record; now check that it sits where it belongs.
      const freshChain = seq === 1 && prev === CHAIN_GENESIS && type === 'audit.open';
      if (head === undefined) {
        if (!freshChain && !options.allowPartial) {
          return result({
            kind: 'bad-start',
            file,
            line: entry.line,
            seq,
            message: `${at}: the log starts at seq ${seq}, not at the start of a chain: earlier records or files are missing (pass them, or --partial after retention).`,
          });
        }
        chains += 1;
        firstSeq = seq;
      } else if (freshChain) {
        if (head.type !== 'audit.close') {
          return result({
            kind: 'truncated',
            file,
            line: entry.line,
            seq,
            message: `${at}: a new chain starts but the previous one ended at seq ${head.seq} without audit.close: its tail was truncated.`,
          });
        }
        chains += 1;
      } else if (seq > head.seq + 1) {
        const following = await lines.next();
        const swapped = !following.done && following.value.record?.seq === head.seq + 1;
        return result({
          kind: swapped ? 'reordered' : 'missing',
          file,
          line: entry.line,
          seq,
          message: swapped
            ? `${at}: seq ${seq} comes before seq ${head.seq + 1}: records were reordered.`
            : `${at}: expected seq ${head.seq + 1}, found ${seq}: ${seq - head.seq - 1} record(s) missing.`,
        });
      } else if (seq <= head.seq) {
        return result({
          kind: 'reordered',
          file,
          line: entry.line,
          seq,
          message: `${at}: seq ${seq} after seq ${head.seq}: a record was reordered, duplicated or replayed.`,
        });
      } else if (!macEquals(prev, head.mac)) {
        return result({
          kind: 'broken-link',
          file,
          line: entry.line,
          seq,
          message: `${at}: seq ${seq} does not link to the MAC of seq ${head.seq}: a record was replaced.`,
        });
      }
      if (
        firstInFile &&
        head !== undefined &&
        !freshChain &&
        head.type !== 'audit.rotate' &&
        head.type !== 'audit.close'
      ) {
        // The previous file ended without handing over: a crash, or a truncated tail.
        const clean = type === 'audit.open' && record.resumed === true && record.cleanPrevious === false;
        if (!(clean && options.allowUnclean)) {
          return result({
            kind: clean ? 'unclean' : 'truncated',
            file,
            line: entry.line,
            seq,
            message: clean
              ? `${at}: the writer restarted after an unclean stop at seq ${head.seq} (crash, or truncated tail); pass --allow-unclean to accept.`
              : `${at}: the previous file ended at seq ${head.seq} without audit.rotate or audit.close: truncated.`,
          });
        }
      }
      firstInFile = false;
      records += 1;
      head = {
        seq,
        mac,
        type,
        next: type === 'audit.rotate' && typeof record.next === 'string' ? record.next : undefined,
      };
      endedClean = type === 'audit.close';
    }
  }
  if (head === undefined) {
    return result({
      kind: 'truncated',
      file: files.at(-1) ?? '',
      line: 0,
      message: 'No audit records found.',
    });
  }
  if (head.type === 'audit.rotate') {
    return result({
      kind: 'missing-file',
      file: files.at(-1)!,
      line: 0,
      seq: head.seq,
      message: `${files.at(-1)}: rotated to "${head.next}" at seq ${head.seq}, which was not given.`,
    });
  }
  if (!endedClean && !options.allowOpenTail) {
    return result({
      kind: 'truncated',
      file: files.at(-1)!,
      line: 0,
      seq: head.seq,
      message: `${files.at(-1)}: the log ends at seq ${head.seq} without audit.close: its tail was truncated, or the writer is still running (pass --open for a live log).`,
    });
  }
  return result();
}
