import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditChain, createAuditLog, deriveAuditKeys } from '@llmguard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../testing/run-captured.js';

const KEY = 'cli-audit-verify-key-0123456789abcdef012';
let dir: string;
let keyFile: string;

const cli = (...argv: string[]) => runCaptured(argv);

async function writeLog(name: string, n: number, maxFileBytes?: number): Promise<string> {
  const target = join(dir, name);
  const log = createAuditLog({
    key: KEY,
    destination: { dir: target, ...(maxFileBytes === undefined ? {} : { maxFileBytes }) },
    flushOnExit: false,
  });
  for (let i = 0; i < n; i++) {
    log.emit('request', {
      requestId: `req-${i}`,
      route: '/v1/chat/completions',
      status: 200,
      outcome: 'allowed',
      guards: [{ guard: 'pii', step: 'body', outcome: 'pass', ms: 0.05 }],
    });
  }
  await log.close();
  return target;
}

const onlyFile = (logDir: string): string => join(logDir, readdirSync(logDir)[0]!);
const rows = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llmguard-cli-audit-'));
  keyFile = join(dir, 'audit.key');
  writeFileSync(keyFile, KEY + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('llmguard audit verify', () => {
  it('passes an untouched log of 100,000 records in seconds', async () => {
    // Sealed with the same chain the log uses, written in one go to keep the test fast.
    const keys = deriveAuditKeys(KEY);
    const chain = createAuditChain(keys.chainKey, keys.keyId);
    const big = join(dir, 'big.jsonl');
    const lines: string[] = [JSON.stringify({ audit: chain.seal('audit.open', {}) })];
    for (let i = 0; i < 100_000; i++) {
      const record = chain.seal('request', {
        requestId: `req-${i}`,
        route: '/v1/chat/completions',
        status: 200,
        outcome: 'allowed',
        guards: [{ guard: 'pii', step: 'body', outcome: 'pass', ms: 0.05 }],
      });
      lines.push(JSON.stringify({ level: 30, audit: record }));
    }
    lines.push(JSON.stringify({ audit: chain.seal('audit.close', {}) }));
    writeFileSync(big, lines.join('\n') + '\n');
    const started = performance.now();
    const result = await cli('audit', 'verify', '--key-file', keyFile, big);
    const seconds = (performance.now() - started) / 1000;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: 100002 records in 1 file\(s\), 1 chain\(s\), seq 1\.\.100002/);
    console.info(`audit verify: ${result.stdout.trim()}; wall ${seconds.toFixed(2)} s`);
  }, 60_000);

  it.each([
    [
      'an edited field',
      (r: string[]) => r.map((l, i) => (i === 4 ? l.replace('req-3', 'req-X') : l)),
      /jsonl:5: seq 5 fails its MAC/,
    ],
    [
      'a deleted record',
      (r: string[]) => r.filter((_, i) => i !== 4),
      /expected seq 5, found 6: 1 record\(s\) missing/,
    ],
    [
      'a swapped pair',
      (r: string[]) => [...r.slice(0, 4), r[5]!, r[4]!, ...r.slice(6)],
      /seq 6 comes before seq 5: records were reordered/,
    ],
    [
      'an inserted record',
      (r: string[]) => [...r.slice(0, 4), r[4]!.replace('req-3', 'req-3b'), ...r.slice(4)],
      /jsonl:5: seq 5 fails its MAC/,
    ],
    [
      'a truncated tail',
      (r: string[]) => r.slice(0, -2),
      /ends at seq 10 without audit\.close: its tail was truncated/,
    ],
  ])('reports %s and exits 1', async (_name, tamper, message) => {
    const logDir = await writeLog(`t-${Math.random().toString(36).slice(2)}`, 10);
    const file = onlyFile(logDir);
    writeFileSync(file, tamper(rows(file)).join('\n') + '\n');
    const result = await cli('audit', 'verify', '--key-file', keyFile, file);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAILED after \d+ intact record\(s\): /);
    expect(result.stdout).toMatch(message);
  });

  it('reads the key from LLMGUARD_AUDIT_KEY, prints JSON, and exits 2 on usage errors', async () => {
    const logDir = await writeLog('env', 3);
    process.env.LLMGUARD_AUDIT_KEY = KEY;
    try {
      const ok = await cli('audit', 'verify', '--json', logDir);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, records: 5 });
    } finally {
      delete process.env.LLMGUARD_AUDIT_KEY;
    }
    expect((await cli('audit', 'verify', '--key-file', keyFile)).code).toBe(2);
    expect((await cli('audit', 'verify', '--key', 'short', logDir)).stderr).toContain('at least 32 bytes');
    expect((await cli('audit', 'verify', '--key-file', keyFile, join(dir, 'nope'))).code).toBe(2);
  });
});
