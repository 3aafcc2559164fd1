import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import { type AuditChain, type AuditFields, type ChainHead, createAuditChain } from './audit-chain.js';
import {
  type AuditDestination,
  type AuditFileOptions,
  createFdDestination,
  createRotatingFileDestination,
  createStreamDestination,
} from './audit-destination.js';
import { type AuditSecret, deriveAuditKeys, keyedTextHash, pseudonymize } from './audit-keys.js';
import { registerShutdownFlush, type ShutdownTarget } from './shutdown-hooks.js';

/** Where audit records go: stdout (default), stderr, a writable stream, rotating files, or your own destination. */
export type AuditDestinationOption =
  | 'stdout'
  | 'stderr'
  | NodeJS.WritableStream
  | AuditFileOptions
  | AuditDestination;

/** What happens when the destination cannot keep up. */
export type AuditOverflow = 'block' | 'drop';

export interface AuditLogOptions {
  /** Master secret (≥ 32 bytes). Default `LLMGUARD_AUDIT_KEY`, else a random key per process. */
  readonly key?: AuditSecret;
  /** Key id written as `kid`. Default derived from the key (`k` + 12 hex). */
  readonly keyId?: string;
  /** Separate secret for pseudonyms and prompt hashes. Default derived from `key`. */
  readonly pseudonymKey?: AuditSecret;
  /**
   * Your pino logger. Records are logged as `logger.info({ audit: record }, 'llmguard audit')`;
   * rotation, drop counting and flushing are then the logger's business. Excludes `destination`.
   */
  readonly logger?: Logger;
  /** Default `'stdout'`. */
  readonly destination?: AuditDestinationOption;
  /**
   * Default `'block'`: when more than `maxBufferBytes` wait, the next record is written
   * synchronously and the event loop waits for the destination (nothing is ever lost). `'drop'`:
   * records over the limit are dropped, counted in `stats().dropped`, and an `audit.dropped`
   * record with the count is sealed into the chain as soon as the destination accepts again.
   * Dropping needs a destination that can say it is full (a stream, or a non-blocking descriptor);
   * on a blocking file or pipe the kernel makes the write wait, as with `'block'`.
   */
  readonly overflow?: AuditOverflow;
  /** Default 8 MiB. */
  readonly maxBufferBytes?: number;
  /** Flush on SIGTERM/SIGINT and write the closing record on exit. Default `true`. */
  readonly flushOnExit?: boolean;
}

/** Counters for "count in = count out". */
export interface AuditLogStats {
  /** Calls to `emit`. */
  readonly events: number;
  /** Records sealed, including the log's own (`audit.open`, `audit.rotate`, `audit.dropped`, `audit.close`). */
  readonly records: number;
  /** Events dropped because the destination could not keep up (`overflow: 'drop'`) or the log was closed. */
  readonly dropped: number;
  /** Records handed to the OS or stream (equals `records` once flushed; with a host `logger`, `records`). */
  readonly written: number;
  readonly pendingBytes: number;
}

/** A tamper-evident audit log. Build one per process (or per pipeline) and share it. */
export interface AuditLog {
  readonly keyId: string;
  readonly ephemeralKey: boolean;
  /** Seals and writes one record; `false` when it was dropped (and counted). */
  emit(type: string, fields: AuditFields): boolean;
  /** Keyed pseudonym of a subject (see `pseudonymize`). */
  pseudonymize(id: string, tenant?: string): string;
  /** Keyed hash of text (prompt hashes). */
  hashText(text: string): string;
  stats(): AuditLogStats;
  /** Resolves when everything emitted so far is written. */
  flush(): Promise<void>;
  /** Writes `audit.close`, flushes and closes. Later `emit`s are dropped and counted. */
  close(): Promise<void>;
  closeSync(): void;
  /** Writes everything queued, blocking until the destination took it (fd and file destinations). */
  flushSync(): void;
  readonly closed: boolean;
  /** Path of the current file (rotating file destinations). */
  readonly currentFile: string | undefined;
}

function isFileOptions(value: AuditDestinationOption): value is AuditFileOptions {
  return typeof value === 'object' && value !== null && 'dir' in value && typeof value.dir === 'string';
}

function isDestination(value: AuditDestinationOption): value is AuditDestination {
  return typeof value === 'object' && value !== null && 'flushSync' in value && 'tryFlush' in value;
}

function toDestination(option: AuditDestinationOption): AuditDestination {
  if (option === 'stdout') return createFdDestination(1);
  if (option === 'stderr') return createFdDestination(2);
  if (isDestination(option)) return option;
  if (isFileOptions(option)) return createRotatingFileDestination(option);
  return createStreamDestination(option);
}

/** Reads the last complete record of the newest file of a rotating destination, to continue its chain. */
export function readChainTail(dir: string, prefix: string): (ChainHead & { type: string }) | undefined {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.startsWith(prefix + '-') && n.endsWith('.jsonl'))
      .sort();
  } catch {
    return undefined;
  }
  for (let i = names.length - 1; i >= 0; i--) {
    const path = join(dir, names[i]!);
    const size = statSync(path).size;
    if (size === 0) continue;
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    const lines = buffer.toString('utf8').split('\n');
    for (let j = lines.length - 1; j >= 0; j--) {
      const line = lines[j]!.trim();
      if (line === '') continue;
      try {
        const parsed = JSON.parse(line) as { audit?: Record<string, unknown> };
        const record = parsed.audit ?? (parsed as Record<string, unknown>);
        if (
          typeof record.seq === 'number' &&
          typeof record.mac === 'string' &&
          typeof record.type === 'string'
        ) {
          return { seq: record.seq, mac: record.mac, type: record.type };
        }
      } catch {
        // A torn last line (crash mid-write): look at the one before.
      }
    }
  }
  return undefined;
}

/**
 * Creates the audit log: pino formats each sealed record as one JSON line
 * `{"level":30,"audit":{…}}`, the chain links it to the previous one, and the destination writes it.
 * A rotating file destination continues the chain of the newest existing file.
 *
 * @example
 * const log = createAuditLog({ key: process.env.AUDIT_KEY, destination: { dir: '/var/log/llmguard' } });
 * log.emit('config.load', { guards: ['identity', 'limits'] });
 */
export function createAuditLog(options: AuditLogOptions = {}): AuditLog {
  const keys = deriveAuditKeys(options.key, options.pseudonymKey, options.keyId);
  const overflow = options.overflow ?? 'block';
  const maxBufferBytes = options.maxBufferBytes ?? 8 * 1024 * 1024;
  const destination =
    options.logger === undefined ? toDestination(options.destination ?? 'stdout') : undefined;
  const rotation = destination?.rotation;
  const tail = rotation === undefined ? undefined : readChainTail(rotation.dir, rotation.prefix);
  const chain: AuditChain = createAuditChain(keys.chainKey, keys.keyId, tail);
  const logger: Logger =
    options.logger ??
    pino({ base: null, timestamp: false }, { write: (line: string) => destination!.write(line) });

  let events = 0;
  let records = 0;
  let dropped = 0;
  let droppedUnreported = 0;
  let closed = false;

  const write = (type: string, fields: AuditFields): void => {
    const record = chain.seal(type, fields);
    records += 1;
    logger.info({ audit: record }, 'llmguard audit');
  };

  const rotate = (): void => {
    if (rotation === undefined) return;
    const head = chain.head();
    const name = rotation.nextName(head.seq + (rotation.current === undefined ? 1 : 2));
    if (rotation.current !== undefined) write('audit.rotate', { next: name });
    rotation.rotate(name);
  };

  const closeRecord = (): void => {
    write('audit.close', { records: records + 1, dropped });
  };

  const log: AuditLog & ShutdownTarget = {
    keyId: keys.keyId,
    ephemeralKey: keys.ephemeral,
    needsAsyncClose: destination !== undefined && !destination.synchronous,
    emit(type: string, fields: AuditFields): boolean {
      events += 1;
      if (closed) {
        dropped += 1;
        return false;
      }
      if (destination !== undefined) {
        if (destination.pendingBytes > maxBufferBytes) {
          if (overflow === 'drop') {
            destination.tryFlush();
            if (destination.pendingBytes > maxBufferBytes) {
              dropped += 1;
              droppedUnreported += 1;
              return false;
            }
          } else {
            destination.flushSync();
          }
        }
        if (droppedUnreported > 0) {
          const count = droppedUnreported;
          droppedUnreported = 0;
          write('audit.dropped', { count, total: dropped });
        }
        if (rotation?.due()) rotate();
      }
      write(type, fields);
      return true;
    },
    pseudonymize: (id, tenant) => pseudonymize(keys.pseudonymKey, id, tenant),
    hashText: (text) => keyedTextHash(keys.pseudonymKey, text),
    stats: () => ({
      events,
      records,
      dropped,
      written: destination === undefined ? records : destination.writtenLines,
      pendingBytes: destination?.pendingBytes ?? 0,
    }),
    async flush(): Promise<void> {
      if (destination !== undefined) await destination.flush();
      else await new Promise<void>((resolve) => logger.flush(() => resolve()));
    },
    async close(): Promise<void> {
      if (closed) return;
      closeRecord();
      closed = true;
      unregister?.();
      if (destination !== undefined) await destination.close();
      else await new Promise<void>((resolve) => logger.flush(() => resolve()));
    },
    closeSync(): void {
      if (closed) return;
      closeRecord();
      closed = true;
      unregister?.();
      destination?.closeSync();
    },
    flushSync(): void {
      destination?.flushSync();
    },
    get closed() {
      return closed;
    },
    get currentFile() {
      return rotation?.current;
    },
  };

  if (rotation !== undefined) rotate();
  write('audit.open', {
    resumed: tail !== undefined,
    ...(tail === undefined ? {} : { cleanPrevious: tail.type === 'audit.close' }),
    ephemeralKey: keys.ephemeral,
    overflow,
  });
  const unregister = options.flushOnExit === false ? undefined : registerShutdownFlush(log);
  return log;
}
