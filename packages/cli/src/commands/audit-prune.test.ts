import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog } from '@llmguard/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCaptured } from '../testing/run-captured.js';

const KEY = 'cli-audit-prune-key-0123456789abcdef01234';
const dir = mkdtempSync(join(tmpdir(), 'llmguard-cli-prune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCaptured(argv);

describe('llmguard audit prune', () => {
  it('removes files past the age limit, keeps a verifiable chain, and can dry-run', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() - 200 * 86_400_000);
      const log = createAuditLog({ key: KEY, destination: { dir, maxFileBytes: 1024 }, flushOnExit: false });
      for (let i = 0; i < 20; i++) log.emit('request', { requestId: `old-${i}` });
      vi.setSystemTime(Date.now() + 199 * 86_400_000);
      for (let i = 0; i < 20; i++) log.emit('request', { requestId: `new-${i}` });
      await log.close();
    } finally {
      vi.useRealTimers();
    }
    const before = readdirSync(dir).length;
    const dry = await cli('audit', 'prune', '--dir', dir, '--max-age-days', '90', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/would remove/);
    expect(readdirSync(dir).length).toBe(before);
    const real = await cli('audit', 'prune', '--dir', dir, '--max-age-days', '90');
    const removed = Number(/(\d+) file\(s\) removed/.exec(real.stdout)![1]);
    expect(removed).toBeGreaterThan(0);
    expect(readdirSync(dir).length).toBe(before - removed);
    const verify = await cli('audit', 'verify', '--key', KEY, '--partial', dir);
    expect(verify.code).toBe(0);
    expect((await cli('audit', 'prune', '--dir', dir)).code).toBe(2);
  });
});
