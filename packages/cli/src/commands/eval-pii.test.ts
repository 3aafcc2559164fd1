import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run as runPii } from './eval-pii.js';
import { run as runSecrets } from './eval-secrets.js';

function capture(): { io: Parameters<typeof runPii>[1]; out: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { io: { stdout: sink, stderr: sink, stdin: process.stdin }, out: () => text };
}

const dir = mkdtempSync(join(tmpdir(), 'llmguard-eval-'));

describe('eval --pii', () => {
  it('scores per type with span overlap and lists unsupported types', async () => {
    const file = join(dir, 'pii.jsonl');
    const rows = [
      { text: 'mail jane@example.com now', entities: [{ type: 'EMAIL_ADDRESS', start: 5, end: 21 }] },
      {
        text: 'card 4111 1111 1111 1111 for Bob',
        entities: [
          { type: 'CREDIT_CARD', start: 5, end: 24 },
          { type: 'PERSON', start: 29, end: 32 },
        ],
      },
      { text: '4012-8888-8888-1882', entities: [], negative: true },
    ];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const { io, out } = capture();
    expect(await runPii(['--pii', file, '--json'], io)).toBe(0);
    const report = JSON.parse(out());
    expect(report.byType.EMAIL).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(report.byType.CREDIT_CARD.recall).toBe(1);
    expect(report.negatives).toMatchObject({ rows: 1, flagged: 0 });
    expect(report.unsupported).toEqual(['PERSON']);
  });

  it('maps our own type names and common spellings from other corpora, in any case', async () => {
    const file = join(dir, 'aliases.jsonl');
    const rows = [
      { text: 'card 4111 1111 1111 1111', entities: [{ type: 'credit_card_number', start: 5, end: 24 }] },
      { text: 'host 10.1.2.3 is down', entities: [{ type: 'IPV4', start: 5, end: 13 }] },
      { text: 'call +1 415 555 0132 now', entities: [{ type: 'PHONE', start: 5, end: 20 }] },
      { text: 'DOB: 03/15/1985', entities: [{ type: 'dob', start: 5, end: 15 }] },
      { text: 'passport 123456789', entities: [{ type: 'UK_PASSPORT', start: 9, end: 18 }] },
    ];
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const { io, out } = capture();
    expect(await runPii(['--pii', file, '--json'], io)).toBe(0);
    const report = JSON.parse(out());
    for (const type of ['CREDIT_CARD', 'IP_ADDRESS', 'PHONE', 'DATE_OF_BIRTH']) {
      expect(report.byType[type], type).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    }
    // A country-specific type stays unsupported, and our PASSPORT hit on its span is not scored.
    expect(report.unsupported).toEqual(['UK_PASSPORT']);
    expect(report.byType.PASSPORT).toBeUndefined();
  });

  it('meets the dev-corpus bar on structured types', async () => {
    const { io, out } = capture();
    expect(await runPii(['--pii', '/work/shared/corpora/pii_dev.jsonl', '--json'], io)).toBe(0);
    const report = JSON.parse(out());
    for (const type of ['EMAIL', 'CREDIT_CARD', 'IBAN', 'IP_ADDRESS', 'PHONE', 'US_SSN']) {
      expect(report.byType[type].recall, type).toBeGreaterThanOrEqual(0.97);
      expect(report.byType[type].precision, type).toBeGreaterThanOrEqual(0.97);
    }
    for (const type of ['CREDIT_CARD', 'IBAN']) expect(report.negatives.byType[type] ?? 0).toBe(0);
  });

  it('rejects a malformed --map', async () => {
    const { io } = capture();
    expect(await runPii(['--pii', join(dir, 'pii.jsonl'), '--map', 'NOEQUALS'], io)).toBe(2);
  });
});

describe('eval --secrets', () => {
  it('reports detection and false-positive rates', async () => {
    const file = join(dir, 'secrets.jsonl');
    writeFileSync(
      file,
      [
        { text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLF', label: 'secret' },
        { text: 'key = AKIAXXXXXXXXXXXXXXXX', label: 'no_secret' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const { io, out } = capture();
    expect(await runSecrets(['--secrets', file, '--json'], io)).toBe(0);
    expect(JSON.parse(out())).toMatchObject({ detectionRate: 1, falsePositiveRate: 0, n: 2 });
  });
});
