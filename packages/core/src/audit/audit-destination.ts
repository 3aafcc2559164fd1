import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where sealed audit lines go. Every line handed to `write` is either written or still counted in
 * `pendingBytes`; nothing is discarded here (dropping is decided before sealing, in the log).
 */
export interface AuditDestination {
  /** Queues one newline-terminated line. */
  write(line: string): void;
  /** Bytes accepted but not yet handed to the OS or the stream. */
  readonly pendingBytes: number;
  /** Lines handed to the OS or the stream so far. */
  readonly writtenLines: number;
  /** Writes what the destination accepts now, without waiting. */
  tryFlush(): void;
  /** Writes everything, blocking the thread until the destination took it (fd destinations). */
  flushSync(): void;
  /** Resolves once everything queued so far is written. */
  flush(): Promise<void>;
  close(): Promise<void>;
  closeSync(): void;
  /** Whether `flushSync` really writes (fd and file destinations); streams can only `flush()`. */
  readonly synchronous: boolean;
  /** Present on rotating file destinations. */
  readonly rotation?: AuditRotation;
}

/** Rotation control of a file destination; the log writes the hand-over record around it. */
export interface AuditRotation {
  readonly dir: string;
  readonly prefix: string;
  /** Whether the current file reached its size or age limit. */
  due(): boolean;
  /** Closes the current file (after flushing) and opens `name` (from `nextName`) in `dir`. */
  rotate(name: string): string;
  /** File name the next `rotate(firstSeq)` would open. */
  nextName(firstSeq: number): string;
  /** Current file path (undefined before the first `rotate`). */
  readonly current: string | undefined;
}

/** How many buffered bytes make a write go out at once instead of at the next turn of the loop. */
const HIGH_WATER_BYTES = 64 * 1024;

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

function isBusy(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/**
 * Batched synchronous writer over a file descriptor. Lines collect in memory and go out in one
 * `writeSync` per turn of the event loop (or at 64 KiB), so order is exact and `flushSync` works
 * from a signal or `exit` handler. A pipe that is full (EAGAIN) keeps the bytes queued.
 */
class FdWriter {
  private chunks: string[] = [];
  private bytes = 0;
  private scheduled = false;
  private lines = 0;
  private unwrittenLines = 0;
  private pendingBuffer: Buffer | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(
    public fd: number,
    private readonly owned: boolean,
  ) {}

  get pendingBytes(): number {
    return this.bytes + (this.pendingBuffer?.byteLength ?? 0);
  }

  get writtenLines(): number {
    return this.lines;
  }

  write(line: string): void {
    this.chunks.push(line);
    this.bytes += Buffer.byteLength(line);
    this.unwrittenLines += 1;
    if (this.bytes >= HIGH_WATER_BYTES) this.drain(false);
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.drain(false);
      });
    }
  }

  /** Writes queued bytes; `block` retries a full pipe until it takes them. */
  drain(block: boolean): void {
    if (this.chunks.length > 0) {
      const joined = Buffer.from(this.chunks.join(''));
      this.pendingBuffer =
        this.pendingBuffer === undefined ? joined : Buffer.concat([this.pendingBuffer, joined]);
      this.chunks = [];
      this.bytes = 0;
    }
    let buffer = this.pendingBuffer;
    while (buffer !== undefined && buffer.byteLength > 0) {
      try {
        const n = writeSync(this.fd, buffer);
        buffer = n === buffer.byteLength ? undefined : buffer.subarray(n);
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (!block) {
          this.pendingBuffer = buffer;
          this.retryLater();
          return;
        }
        sleepMs(1);
      }
    }
    this.pendingBuffer = undefined;
    this.lines += this.unwrittenLines;
    this.unwrittenLines = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private retryLater(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.drain(false);
    }, 5);
  }

  flush(): Promise<void> {
    this.drain(false);
    if (this.pendingBytes === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  closeFd(): void {
    if (this.closed) return;
    this.closed = true;
    this.drain(true);
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    if (this.owned) {
      try {
        fsyncSync(this.fd);
      } catch {
        // Not every fd can be synced (pipes); the bytes are already written.
      }
      closeSync(this.fd);
    }
  }
}

/**
 * Audit destination over a file descriptor: 1 for stdout (the default), 2 for stderr, or an fd
 * you opened. Writes are synchronous and batched per event-loop turn.
 *
 * @example
 * const dest = createFdDestination(1);
 */
export function createFdDestination(fd: number): AuditDestination {
  const writer = new FdWriter(fd, false);
  return {
    synchronous: true,
    write: (line) => writer.write(line),
    get pendingBytes() {
      return writer.pendingBytes;
    },
    get writtenLines() {
      return writer.writtenLines;
    },
    tryFlush: () => writer.drain(false),
    flushSync: () => writer.drain(true),
    flush: () => writer.flush(),
    close: async () => writer.closeFd(),
    closeSync: () => writer.closeFd(),
  };
}

/**
 * Audit destination over any writable stream (a pino transport, a socket, a test sink). The
 * stream's own buffer holds lines it has not taken yet; `flushSync` cannot wait for a stream, so
 * on SIGTERM the log awaits `flush()` instead.
 *
 * @example
 * const lines: string[] = [];
 * const dest = createStreamDestination(new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }));
 */
export function createStreamDestination(stream: NodeJS.WritableStream): AuditDestination {
  let lines = 0;
  const writable = stream as NodeJS.WritableStream & { writableLength?: number; writableNeedDrain?: boolean };
  // An empty write's callback runs once every earlier chunk has been handled by the stream.
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      if ((writable.writableLength ?? 0) === 0) resolve();
      else stream.write('', () => resolve());
    });
  return {
    synchronous: false,
    write(line) {
      stream.write(line);
      lines += 1;
    },
    get pendingBytes() {
      return writable.writableLength ?? 0;
    },
    get writtenLines() {
      return lines;
    },
    tryFlush() {},
    flushSync() {},
    flush: drained,
    async close() {
      await drained();
    },
    closeSync() {},
  };
}

/** Options of the rotating file destination. */
export interface AuditFileOptions {
  /** Directory of the audit files (created if missing). */
  readonly dir: string;
  /** File name prefix. Default `audit`. */
  readonly prefix?: string;
  /** Rotate when the current file reaches this size. Default 64 MiB. */
  readonly maxFileBytes?: number;
  /** Rotate when the current file is this old. Default: never by age. */
  readonly rotateEveryMs?: number;
}

function compactTime(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

/**
 * Rotating JSONL files `<prefix>-<UTC time>-<first seq>.jsonl` in `dir`. Names sort in chain order,
 * so `llmguard audit verify dir/audit-*.jsonl` reads them in the right order.
 *
 * @example
 * const dest = createRotatingFileDestination({ dir: '/var/log/llmguard', maxFileBytes: 16 * 1024 * 1024 });
 */
export function createRotatingFileDestination(options: AuditFileOptions): AuditDestination {
  const dir = options.dir;
  const prefix = options.prefix ?? 'audit';
  const maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
  const rotateEveryMs = options.rotateEveryMs;
  mkdirSync(dir, { recursive: true });
  let writer: FdWriter | undefined;
  let current: string | undefined;
  let fileBytes = 0;
  let openedAt = 0;
  let closedLines = 0;
  let lastStamp = '';

  const nextName = (firstSeq: number): string => {
    let stamp = compactTime(new Date());
    // Two rotations within one millisecond must still sort in order.
    if (stamp <= lastStamp) stamp = lastStamp;
    return `${prefix}-${stamp}-${String(firstSeq).padStart(12, '0')}.jsonl`;
  };

  const rotation: AuditRotation = {
    dir,
    prefix,
    due: () =>
      current === undefined ||
      fileBytes >= maxFileBytes ||
      (rotateEveryMs !== undefined && Date.now() - openedAt >= rotateEveryMs),
    nextName,
    rotate(name: string): string {
      if (writer !== undefined) {
        writer.closeFd();
        closedLines += writer.writtenLines;
      }
      lastStamp = name.slice(prefix.length + 1, prefix.length + 1 + 19);
      current = join(dir, name);
      writer = new FdWriter(openSync(current, 'a'), true);
      fileBytes = 0;
      openedAt = Date.now();
      return current;
    },
    get current() {
      return current;
    },
  };

  const active = (): FdWriter => {
    if (writer === undefined) throw new Error('audit file destination used before rotate()');
    return writer;
  };

  return {
    synchronous: true,
    rotation,
    write(line) {
      fileBytes += Buffer.byteLength(line);
      active().write(line);
    },
    get pendingBytes() {
      return writer?.pendingBytes ?? 0;
    },
    get writtenLines() {
      return closedLines + (writer?.writtenLines ?? 0);
    },
    tryFlush: () => writer?.drain(false),
    flushSync: () => writer?.drain(true),
    flush: () => writer?.flush() ?? Promise.resolve(),
    close: async () => {
      writer?.closeFd();
    },
    closeSync: () => writer?.closeFd(),
  };
}
