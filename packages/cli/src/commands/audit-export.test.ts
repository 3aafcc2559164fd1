import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog } from '@llmguard/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../testing/run-captured.js';

const KEY = 'cli-audit-export-key-0123456789abcdef012';
const dir = mkdtempSync(join(tmpdir(), 'llmguard-cli-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCaptured(argv);

describe('llmguard audit export', () => {
  it('exports every record of one subject, found by principal id or by pseudonym', async () => {
    const log = createAuditLog({ key: KEY, destination: { dir, maxFileBytes: 2048 }, flushOnExit: false });
    for (let i = 0; i < 30; i++) {
      const user = i % 3 === 0 ? 'alice' : 'bob';
      log.emit('request', {
        requestId: `r${i}`,
        principal: { id: log.pseudonymize(user, 'acme'), kind: 'jwt' },
      });
    }
    await log.close();
    const byId = await cli('audit', 'export', '--key', KEY, '--principal', 'alice', '--tenant', 'acme', dir);
    expect(byId.code).toBe(0);
    const records = byId.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { requestId: string; principal: { id: string } });
    expect(records.map((r) => r.requestId)).toEqual([
      'r0',
      'r3',
      'r6',
      'r9',
      'r12',
      'r15',
      'r18',
      'r21',
      'r24',
      'r27',
    ]);
    expect(byId.stdout).not.toContain('alice');
    const bySubject = await cli('audit', 'export', '--subject', records[0]!.principal.id, dir);
    expect(bySubject.stdout).toBe(byId.stdout);
    expect((await cli('audit', 'export', dir)).code).toBe(2);
  });
});
