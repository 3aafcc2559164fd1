import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from './audit-log.js';
import { verifyAuditFiles } from './verify-chain.js';

const KEY = 'audit-test-key-0123456789abcdef0123456789';
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `n` request records through a real log and returns the files in chain order. */
async function writeLog(n: number, maxFileBytes?: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'llmguard-verify-'));
  dirs.push(dir);
  const log = createAuditLog({
    key: KEY,
    destination: { dir, ...(maxFileBytes === undefined ? {} : { maxFileBytes }) },
    flushOnExit: false,
  });
  for (let i = 0; i < n; i++) log.emit('request', { requestId: `r${i}`, status: 200, outcome: 'allowed' });
  await log.close();
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name));
}

const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const save = (file: string, rows: readonly string[]): void => writeFileSync(file, rows.join('\n') + '\n');

describe('verifyAuditFiles', () => {
  it('passes an untouched log', async () => {
    const files = await writeLog(50);
    const result = await verifyAuditFiles(files, { keys: [KEY] });
    expect(result).toMatchObject({ ok: true, records: 52, firstSeq: 1, lastSeq: 52, chains: 1 });
  });

  it('detects an edited field and names its line', async () => {
    const [file] = await writeLog(20);
    const rows = lines(file!);
    rows[10] = rows[10]!.replace('"status":200', '"status":201');
    save(file!, rows);
    const result = await verifyAuditFiles([file!], { keys: [KEY] });
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ kind: 'bad-mac', line: 11, seq: 11 });
  });

  it('detects a deleted record', async () => {
    const [file] = await writeLog(20);
    const rows = lines(file!);
    rows.splice(7, 1);
    save(file!, rows);
    const result = await verifyAuditFiles([file!], { keys: [KEY] });
    expect(result.problem).toMatchObject({ kind: 'missing', line: 8, seq: 9 });
    expect(result.problem?.message).toContain('expected seq 8');
  });

  it('detects a swapped pair', async () => {
    const [file] = await writeLog(20);
    const rows = lines(file!);
    [rows[5], rows[6]] = [rows[6]!, rows[5]!];
    save(file!, rows);
    const result = await verifyAuditFiles([file!], { keys: [KEY] });
    expect(result.problem).toMatchObject({ kind: 'reordered', line: 6, seq: 7 });
  });

  it('detects an inserted record, forged or replayed', async () => {
    const [file] = await writeLog(20);
    const rows = lines(file!);
    const forged = JSON.parse(rows[4]!) as { audit: Record<string, unknown> };
    forged.audit.seq = 6;
    forged.audit.requestId = 'forged';
    save(file!, [...rows.slice(0, 5), JSON.stringify(forged), ...rows.slice(5)]);
    expect((await verifyAuditFiles([file!], { keys: [KEY] })).problem).toMatchObject({
      kind: 'bad-mac',
      line: 6,
    });

    save(file!, [...rows.slice(0, 9), rows[3]!, ...rows.slice(9)]);
    expect((await verifyAuditFiles([file!], { keys: [KEY] })).problem).toMatchObject({
      kind: 'reordered',
      line: 10,
      seq: 4,
    });
  });

  it('detects a truncated tail: whole records or a torn last line', async () => {
    const [file] = await writeLog(20);
    const rows = lines(file!);
    save(file!, rows.slice(0, -3));
    const cut = await verifyAuditFiles([file!], { keys: [KEY] });
    expect(cut.problem).toMatchObject({ kind: 'truncated', seq: 19 });
    expect(cut.problem?.message).toContain('without audit.close');

    writeFileSync(file!, rows.join('\n').slice(0, -40));
    expect((await verifyAuditFiles([file!], { keys: [KEY] })).problem).toMatchObject({
      kind: 'unparseable',
      line: 22,
    });
  });

  it('a live log passes with allowOpenTail', async () => {
    const [file] = await writeLog(10);
    save(file!, lines(file!).slice(0, -1));
    expect((await verifyAuditFiles([file!], { keys: [KEY], allowOpenTail: true })).ok).toBe(true);
  });

  it('refuses records sealed with another key', async () => {
    const files = await writeLog(5);
    const result = await verifyAuditFiles(files, { keys: ['another-key-another-key-another-key-1234'] });
    expect(result.problem?.kind).toBe('unknown-key');
  });

  it('keeps the chain across rotated files and detects a missing or reordered file', async () => {
    const files = await writeLog(400, 4096);
    expect(files.length).toBeGreaterThan(3);
    expect((await verifyAuditFiles(files, { keys: [KEY] })).ok).toBe(true);

    const withoutMiddle = files.filter((_, i) => i !== 2);
    expect((await verifyAuditFiles(withoutMiddle, { keys: [KEY] })).problem?.kind).toBe('missing-file');
    const withoutFirst = files.slice(1);
    expect((await verifyAuditFiles(withoutFirst, { keys: [KEY] })).problem?.kind).toBe('bad-start');
    expect((await verifyAuditFiles(withoutFirst, { keys: [KEY], allowPartial: true })).ok).toBe(true);
    expect((await verifyAuditFiles(files.slice(0, -1), { keys: [KEY] })).problem?.kind).toBe('missing-file');
  });
});
