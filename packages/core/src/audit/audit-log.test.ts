import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from './audit-log.js';
import { verifyAuditFiles } from './verify-chain.js';

const KEY = 'audit-log-test-key-0123456789abcdef012345';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'llmguard-auditlog-'));
  dirs.push(dir);
  return dir;
};
const filesOf = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .map((n) => join(dir, n));
const records = (files: readonly string[]): Record<string, unknown>[] =>
  files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { audit: Record<string, unknown> }).audit),
  );

/** A stream that takes `delayMs` per write: a destination that cannot keep up. */
function slowSink(delayMs: number, out: string[]): Writable {
  return new Writable({
    highWaterMark: 1024,
    write(chunk, _encoding, callback) {
      out.push(String(chunk));
      if (delayMs === 0) setImmediate(callback);
      else setTimeout(callback, delayMs);
    },
  });
}

describe('createAuditLog durability', () => {
  it('loses nothing in a 10,000-event burst to rotating files (count in = count out)', async () => {
    const dir = tempDir();
    const log = createAuditLog({
      key: KEY,
      destination: { dir, maxFileBytes: 256 * 1024 },
      flushOnExit: false,
    });
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) log.emit('request', { requestId: `r${i}`, status: 200 });
    await log.close();
    const ms = performance.now() - started;
    const stats = log.stats();
    const all = records(filesOf(dir));
    const requests = all.filter((r) => r.type === 'request');
    expect(stats).toMatchObject({ events: 10_000, dropped: 0, pendingBytes: 0 });
    expect(stats.written).toBe(stats.records);
    expect(all.length).toBe(stats.records);
    expect(requests.map((r) => r.requestId)).toEqual(Array.from({ length: 10_000 }, (_, i) => `r${i}`));
    expect(filesOf(dir).length).toBeGreaterThan(1);
    expect((await verifyAuditFiles(filesOf(dir), { keys: [KEY] })).ok).toBe(true);
    console.info(
      `burst: 10,000 events in ${ms.toFixed(0)} ms (${Math.round(10_000_000 / ms)}/s) → ${requests.length} written, ${stats.dropped} dropped`,
    );
  });

  it("overflow 'drop' counts every dropped event and seals the count into the chain", async () => {
    const out: string[] = [];
    const log = createAuditLog({
      key: KEY,
      destination: slowSink(2, out),
      overflow: 'drop',
      maxBufferBytes: 4096,
      flushOnExit: false,
    });
    for (let i = 0; i < 2000; i++) log.emit('request', { requestId: `r${i}` });
    await new Promise((resolve) => setTimeout(resolve, 50));
    log.emit('request', { requestId: 'after' });
    await log.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stats = log.stats();
    const lines = out.join('').split('\n').filter(Boolean);
    const all = lines.map((l) => (JSON.parse(l) as { audit: Record<string, unknown> }).audit);
    const requests = all.filter((r) => r.type === 'request').length;
    const dropNotices = all.filter((r) => r.type === 'audit.dropped');
    expect(stats.dropped).toBeGreaterThan(0);
    // Every event is either written or counted, and the count is in the log itself.
    expect(requests + stats.dropped).toBe(2001);
    expect(dropNotices.reduce((n, r) => n + (r.count as number), 0)).toBe(stats.dropped);
    expect(all.at(-1)).toMatchObject({ type: 'audit.close', dropped: stats.dropped });
    console.info(
      `drop mode: 2001 events → ${requests} written + ${stats.dropped} dropped and counted in the log`,
    );
  });

  it("overflow 'block' (default) keeps every event even when the destination is slow", async () => {
    const out: string[] = [];
    const log = createAuditLog({
      key: KEY,
      destination: slowSink(0, out),
      maxBufferBytes: 4096,
      flushOnExit: false,
    });
    for (let i = 0; i < 3000; i++) log.emit('request', { requestId: `r${i}` });
    await log.close();
    const requests = out
      .join('')
      .split('\n')
      .filter((l) => l.includes('"type":"request"'));
    expect(requests.length).toBe(3000);
    expect(log.stats().dropped).toBe(0);
  });

  it('continues the chain after a clean restart, and flags an unclean one', async () => {
    const dir = tempDir();
    const first = createAuditLog({ key: KEY, destination: { dir }, flushOnExit: false });
    first.emit('request', { requestId: 'a' });
    await first.close();
    const second = createAuditLog({ key: KEY, destination: { dir }, flushOnExit: false });
    second.emit('request', { requestId: 'b' });
    await second.close();
    expect(await verifyAuditFiles(filesOf(dir), { keys: [KEY] })).toMatchObject({
      ok: true,
      chains: 1,
      lastSeq: 6,
    });

    // A crash: records written, no closing record.
    const third = createAuditLog({ key: KEY, destination: { dir }, flushOnExit: false });
    third.emit('request', { requestId: 'c' });
    third.flushSync();
    const fourth = createAuditLog({ key: KEY, destination: { dir }, flushOnExit: false });
    await fourth.close();
    expect((await verifyAuditFiles(filesOf(dir), { keys: [KEY] })).problem?.kind).toBe('unclean');
    expect((await verifyAuditFiles(filesOf(dir), { keys: [KEY], allowUnclean: true })).ok).toBe(true);
    third.closeSync();
  });

  it("writes through the host's pino logger under the `audit` key", async () => {
    const out: string[] = [];
    const host = pino({ base: { app: 'gateway' } }, { write: (line: string) => out.push(line) });
    const log = createAuditLog({ key: KEY, logger: host, flushOnExit: false });
    log.emit('request', { requestId: 'x' });
    await log.close();
    const dir = tempDir();
    const file = join(dir, 'host.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, out.join(''));
    expect(out[1]).toContain('"app":"gateway"');
    expect((await verifyAuditFiles([file], { keys: [KEY] })).ok).toBe(true);
  });
});

describe('a reader slower than the writer', () => {
  it("stdout piped to a reader that stalls: 'block' waits, nothing is lost", async () => {
    const fixture = fileURLToPath(new URL('./test-fixtures/stdout-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=dev-source', '--import', 'tsx', fixture, '20000'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Read nothing for a while: the pipe fills (64 KiB) and the child's writes must wait.
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 500));
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.stdout.resume();
    await new Promise((resolve) => child.on('close', resolve));
    const lines = out.split('\n').filter(Boolean);
    const requests = lines.filter((l) => l.includes('"type":"request"'));
    expect(requests.length).toBe(20_000);
    expect(JSON.parse(err.trim().split('\n').at(-1)!)).toMatchObject({ events: 20_000, dropped: 0 });
    const file = join(tempDir(), 'stdout.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, out);
    expect((await verifyAuditFiles([file], { keys: ['stdout-test-key-0123456789abcdef0123456'] })).ok).toBe(
      true,
    );
  });
});

describe('shutdown', () => {
  const fixture = fileURLToPath(new URL('./test-fixtures/sigterm-writer.ts', import.meta.url));

  async function runUntilSigterm(
    mode: string,
  ): Promise<{ dir: string; signal: string | null; code: number | null }> {
    const dir = tempDir();
    const child = spawn(
      process.execPath,
      ['--conditions=dev-source', '--import', 'tsx', fixture, dir, mode],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGTERM');
    return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ dir, signal, code })));
  }

  it('SIGTERM flushes every emitted event and closes the chain, then the process dies by the signal', async () => {
    const { dir, signal } = await runUntilSigterm('default');
    expect(signal).toBe('SIGTERM');
    const all = records(filesOf(dir));
    const requests = all.filter((r) => r.type === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(2000);
    // No gap: request i is the i-th request record, and the log ends with its closing record.
    expect(requests.every((r, i) => r.i === i)).toBe(true);
    expect(all.at(-1)).toMatchObject({ type: 'audit.close', records: all.length });
    console.info(
      `shutdown: ${requests.length} events emitted before SIGTERM, ${requests.length} written, 0 lost`,
    );
    expect(
      (await verifyAuditFiles(filesOf(dir), { keys: ['shutdown-test-key-0123456789abcdef01234'] })).ok,
    ).toBe(true);
  });

  it('with a host SIGTERM handler, events audited while draining are kept too', async () => {
    const { dir, code } = await runUntilSigterm('host-handler');
    expect(code).toBe(0);
    const all = records(filesOf(dir));
    const late = all.filter((r) => typeof r.requestId === 'string' && r.requestId.startsWith('late-'));
    expect(late.length).toBe(500);
    expect(all.at(-1)?.type).toBe('audit.close');
    expect(
      (await verifyAuditFiles(filesOf(dir), { keys: ['shutdown-test-key-0123456789abcdef01234'] })).ok,
    ).toBe(true);
  });
});
