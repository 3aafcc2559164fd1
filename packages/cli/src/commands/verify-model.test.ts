import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../testing/run-captured.js';

const dir = mkdtempSync(join(tmpdir(), 'llmguard-cli-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCaptured(argv);

describe('llmguard verify-model', () => {
  const model = join(dir, 'model.gguf');
  const bytes = Buffer.from('GGUF fake weights '.repeat(1000));
  writeFileSync(model, bytes);
  const digest = createHash('sha256').update(bytes).digest();

  it('checks a digest: exit 0 on match, 1 on mismatch', async () => {
    const ok = await cli('verify-model', model, '--sha256', digest.toString('hex'));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('digest matches');
    const bad = await cli('verify-model', model, '--sha256', '00'.repeat(32));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('DIGEST MISMATCH');
  });

  it('checks a detached Ed25519 signature made over the digest', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'model.sig'), sign(null, digest, privateKey));
    writeFileSync(join(dir, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    const ok = await cli(
      'verify-model',
      model,
      '--sig',
      join(dir, 'model.sig'),
      '--pubkey',
      join(dir, 'pub.pem'),
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('ed25519 signature valid');
    writeFileSync(join(dir, 'model.sig'), sign(null, Buffer.alloc(32), privateKey));
    expect(
      (await cli('verify-model', model, '--sig', join(dir, 'model.sig'), '--pubkey', join(dir, 'pub.pem')))
        .code,
    ).toBe(1);
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli('verify-model', model)).code).toBe(2);
    expect((await cli('verify-model', model, '--sig', 'x')).code).toBe(2);
    expect((await cli('verify-model', model, '--sha256', 'zz')).code).toBe(2);
  });
});
