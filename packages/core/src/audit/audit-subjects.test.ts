import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditKeyId, auditPseudonymKey, deriveAuditKeys, keyedTextHash, pseudonymize } from './audit-keys.js';
import { createAuditLog } from './audit-log.js';
import { pruneAuditFiles } from './audit-retention.js';
import { exportSubjectRecords } from './subject-export.js';
import { verifyAuditFiles } from './verify-chain.js';

const KEY = 'audit-subjects-key-0123456789abcdef012345';
const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('audit keys', () => {
  it('derives stable ids and pseudonyms, separate per purpose and per key', () => {
    const keys = deriveAuditKeys(KEY);
    expect(keys.keyId).toBe(auditKeyId(KEY));
    expect(keys.keyId).toMatch(/^k[0-9a-f]{12}$/);
    expect(keys.ephemeral).toBe(false);
    expect(keys.chainKey.equals(keys.pseudonymKey)).toBe(false);
    const p = pseudonymize(keys.pseudonymKey, 'user-1', 'acme');
    expect(p).toMatch(/^p_[A-Za-z0-9_-]{22}$/);
    expect(pseudonymize(auditPseudonymKey(KEY), 'user-1', 'acme')).toBe(p);
    expect(pseudonymize(keys.pseudonymKey, 'user-1', 'other')).not.toBe(p);
    expect(pseudonymize(deriveAuditKeys('x'.repeat(32)).pseudonymKey, 'user-1', 'acme')).not.toBe(p);
    // A separate pseudonym key keeps subjects stable across chain-key rotation.
    const a = deriveAuditKeys(KEY, 'pseudonym-secret-0123456789abcdef0123');
    const b = deriveAuditKeys(
      'rotated-key-0123456789abcdef0123456789',
      'pseudonym-secret-0123456789abcdef0123',
    );
    expect(pseudonymize(a.pseudonymKey, 'u')).toBe(pseudonymize(b.pseudonymKey, 'u'));
    expect(keyedTextHash(a.pseudonymKey, 'hello')).toBe(keyedTextHash(b.pseudonymKey, 'hello'));
  });

  it('refuses short keys and marks a missing key as ephemeral', () => {
    expect(() => deriveAuditKeys('short')).toThrow(/32 bytes/);
    const previous = process.env.LLMGUARD_AUDIT_KEY;
    delete process.env.LLMGUARD_AUDIT_KEY;
    try {
      expect(deriveAuditKeys().ephemeral).toBe(true);
    } finally {
      if (previous !== undefined) process.env.LLMGUARD_AUDIT_KEY = previous;
    }
  });
});

describe('retention and subject export', () => {
  it('removes whole files older than the limit, oldest first, and the rest still verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmguard-retention-'));
    dirs.push(dir);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const log = createAuditLog({ key: KEY, destination: { dir, maxFileBytes: 1500 }, flushOnExit: false });
    for (let i = 0; i < 20; i++) log.emit('request', { requestId: `old-${i}` });
    vi.setSystemTime(new Date('2026-03-01T00:00:00Z'));
    for (let i = 0; i < 20; i++) log.emit('request', { requestId: `new-${i}` });
    await log.close();
    const before = readdirSync(dir).length;
    const removed = await pruneAuditFiles({
      dir,
      maxAgeMs: 30 * 86_400_000,
      now: Date.parse('2026-03-02T00:00:00Z'),
    });
    expect(removed.length).toBeGreaterThan(0);
    expect(readdirSync(dir).length).toBe(before - removed.length);
    const files = readdirSync(dir)
      .sort()
      .map((n) => join(dir, n));
    expect((await verifyAuditFiles(files, { keys: [KEY], allowPartial: true })).ok).toBe(true);
    const ids: string[] = [];
    for (const file of files) {
      for await (const r of exportSubjectRecords([file], 'nobody')) ids.push(String(r.requestId));
    }
    expect(ids).toEqual([]);
  });

  it('exports only the records of one pseudonymous subject', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmguard-export-'));
    dirs.push(dir);
    const log = createAuditLog({ key: KEY, destination: { dir }, flushOnExit: false });
    const alice = log.pseudonymize('alice');
    log.emit('request', { requestId: 'a1', principal: { id: alice, kind: 'jwt' } });
    log.emit('request', { requestId: 'b1', principal: { id: log.pseudonymize('bob'), kind: 'jwt' } });
    log.emit('auth.failure', { requestId: 'a2', principal: alice });
    log.emit('alert.fired', { rule: 'r', subject: alice });
    await log.close();
    const files = readdirSync(dir).map((n) => join(dir, n));
    const found: string[] = [];
    for await (const r of exportSubjectRecords(files, alice)) found.push(String(r.requestId ?? r.type));
    expect(found).toEqual(['a1', 'a2', 'alert.fired']);
  });
});
