import { constants, createHash, createPublicKey, createVerify, type KeyObject, verify } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { LlmGuardError } from '../../errors/llm-guard-error.js';

/** A detached signature to check a model file against. */
export interface ModelSignature {
  /** The signature bytes (raw, as written by `openssl pkeyutl` / `openssl dgst -sign`). */
  readonly signature: Uint8Array;
  /** PEM (SPKI) text, DER bytes, or a `KeyObject`: an Ed25519 or RSA public key. */
  readonly publicKey: string | Uint8Array | KeyObject;
}

export interface VerifyModelOptions {
  /** Expected SHA-256 of the file, hex (64 characters). */
  readonly sha256?: string;
  readonly signature?: ModelSignature;
}

/** The outcome; `ok` only when every given check passed. */
export interface ModelVerification {
  readonly ok: boolean;
  /** SHA-256 of the file as read, hex. */
  readonly sha256: string;
  readonly bytes: number;
  /** `undefined` when no digest was given. */
  readonly digestMatches: boolean | undefined;
  /** `undefined` when no signature was given. */
  readonly signatureValid: boolean | undefined;
  readonly algorithm: 'ed25519' | 'rsa-pss' | undefined;
}

function toKey(key: ModelSignature['publicKey']): KeyObject {
  if (typeof key === 'string') return createPublicKey(key);
  if (key instanceof Uint8Array)
    return createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' });
  return key;
}

/**
 * Streams a file once (64 KiB chunks, never the whole file in memory) to compute its SHA-256 and,
 * when asked, verify a detached signature:
 * - **RSA-PSS** (SHA-256, MGF1-SHA-256, any salt length) over the file bytes, as made by
 *   `openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sign key.pem -out model.sig model.bin`;
 * - **Ed25519** over the 32-byte SHA-256 digest of the file (Ed25519 cannot stream), as made by
 *   `openssl dgst -sha256 -binary model.bin > model.sha256 && openssl pkeyutl -sign -inkey key.pem -rawin -in model.sha256 -out model.sig`.
 *
 * @example
 * const check = await verifyModelFile('models/llama.gguf', { sha256: expectedHex });
 * if (!check.ok) process.exit(1);
 */
export async function verifyModelFile(path: string, options: VerifyModelOptions): Promise<ModelVerification> {
  const expected = options.sha256?.trim().toLowerCase();
  if (expected !== undefined && !/^[0-9a-f]{64}$/.test(expected)) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
      detail: 'Invalid option "sha256": expected 64 hex characters.',
    });
  }
  let key: KeyObject | undefined;
  let algorithm: ModelVerification['algorithm'];
  if (options.signature !== undefined) {
    try {
      key = toKey(options.signature.publicKey);
    } catch (cause) {
      throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
        detail: 'The public key cannot be read.',
        cause,
      });
    }
    if (key.asymmetricKeyType === 'ed25519') algorithm = 'ed25519';
    else if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') algorithm = 'rsa-pss';
    else {
      throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
        detail: `Unsupported key type "${key.asymmetricKeyType}": use Ed25519 or RSA.`,
      });
    }
  }
  const hash = createHash('sha256');
  const rsa = algorithm === 'rsa-pss' ? createVerify('sha256') : undefined;
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
      const data = chunk as Buffer;
      bytes += data.byteLength;
      hash.update(data);
      rsa?.update(data);
    }
  } catch (cause) {
    throw new LlmGuardError('ERR_LLMGUARD_MODEL_INTEGRITY', {
      detail: 'The model file cannot be read.',
      cause,
    });
  }
  const digest = hash.digest();
  const sha256 = digest.toString('hex');
  const digestMatches = expected === undefined ? undefined : expected === sha256;
  let signatureValid: boolean | undefined;
  if (options.signature !== undefined && key !== undefined) {
    const sig = Buffer.from(options.signature.signature);
    signatureValid =
      algorithm === 'ed25519'
        ? verify(null, digest, key, sig)
        : rsa!.verify(
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
            sig,
          );
  }
  const ok =
    (digestMatches === undefined || digestMatches) &&
    (signatureValid === undefined || signatureValid) &&
    (digestMatches !== undefined || signatureValid !== undefined);
  return { ok, sha256, bytes, digestMatches, signatureValid, algorithm };
}

/**
 * Like `verifyModelFile`, but throws `ERR_LLMGUARD_MODEL_INTEGRITY` unless every check passed:
 * call it before handing the path to the model loader.
 *
 * @example
 * await assertModelFile('models/llama.gguf', { sha256: process.env.MODEL_SHA256 });
 * const model = await loadModel('models/llama.gguf');
 */
export async function assertModelFile(path: string, options: VerifyModelOptions): Promise<ModelVerification> {
  const result = await verifyModelFile(path, options);
  if (!result.ok) {
    const what =
      result.digestMatches === false
        ? 'its SHA-256 does not match the expected digest'
        : result.signatureValid === false
          ? 'its signature does not verify'
          : 'no digest or signature was given to check';
    throw new LlmGuardError('ERR_LLMGUARD_MODEL_INTEGRITY', { detail: `The model file failed: ${what}.` });
  }
  return result;
}
