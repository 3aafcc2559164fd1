import { constants, createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmGuardError } from '../../errors/llm-guard-error.js';
import { assertModelFile, verifyModelFile } from './verify-model-file.js';

let dir: string;
let model: string;
let digest: Buffer;
const SIZE = 48 * 1024 * 1024;

// Live memory, not garbage awaiting collection, is what "not held in memory" means: collect before
// each sample so chunks the hash already consumed do not count.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llmguard-model-'));
  model = join(dir, 'model.bin');
  const hash = createHash('sha256');
  const out = createWriteStream(model);
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < SIZE / block.length; i++) {
    block.fill(i % 251);
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  digest = hash.digest();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verifyModelFile', () => {
  it('streams a 48 MiB file and matches its SHA-256 without holding it in memory', async () => {
    collectGarbage();
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sampler = setInterval(() => {
      collectGarbage();
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    }, 2);
    const result = await verifyModelFile(model, { sha256: digest.toString('hex').toUpperCase() }).finally(
      () => clearInterval(sampler),
    );
    expect(result).toMatchObject({
      ok: true,
      bytes: SIZE,
      digestMatches: true,
      sha256: digest.toString('hex'),
    });
    expect(peak).toBeLessThan(SIZE / 8);
  });

  it('fails on a wrong digest, and assertModelFile throws before loading', async () => {
    const wrong = 'ab'.repeat(32);
    expect(await verifyModelFile(model, { sha256: wrong })).toMatchObject({
      ok: false,
      digestMatches: false,
    });
    await expect(assertModelFile(model, { sha256: wrong })).rejects.toThrow(LlmGuardError);
    await expect(assertModelFile(model, { sha256: wrong })).rejects.toMatchObject({
      code: 'ERR_LLMGUARD_MODEL_INTEGRITY',
    });
    await expect(verifyModelFile(model, { sha256: 'nothex' })).rejects.toMatchObject({
      code: 'ERR_LLMGUARD_INVALID_OPTIONS',
    });
  });

  it('verifies a detached Ed25519 signature over the SHA-256 digest', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const signature = sign(null, digest, privateKey);
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(await verifyModelFile(model, { signature: { signature, publicKey: pem } })).toMatchObject({
      ok: true,
      signatureValid: true,
      algorithm: 'ed25519',
    });
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(await verifyModelFile(model, { signature: { signature, publicKey: other } })).toMatchObject({
      ok: false,
      signatureValid: false,
    });
  });

  it('verifies a detached RSA-PSS signature over the file and notices a changed byte', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const small = join(dir, 'small.bin');
    writeFileSync(small, Buffer.from('weights v1'));
    const signature = sign('sha256', Buffer.from('weights v1'), {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
    expect(await verifyModelFile(small, { signature: { signature, publicKey } })).toMatchObject({
      ok: true,
      algorithm: 'rsa-pss',
    });
    writeFileSync(small, Buffer.from('weights v2'));
    expect(await verifyModelFile(small, { signature: { signature, publicKey } })).toMatchObject({
      ok: false,
      signatureValid: false,
    });
  });

  it('refuses to call a file verified when nothing was checked', async () => {
    expect((await verifyModelFile(model, {})).ok).toBe(false);
  });
});
