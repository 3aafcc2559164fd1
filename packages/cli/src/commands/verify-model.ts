import { readFileSync } from 'node:fs';
import { isLlmGuardError, type VerifyModelOptions, verifyModelFile } from '@llmguard/core';
import { parseCommandLine } from '../command-line.js';
import type { CliCommand } from '../io.js';

const HELP = `Usage: llmguard verify-model <file> [--sha256 <hex>] [--sig <file> --pubkey <pem>] [--json]

Streams the file once, computes its SHA-256 and checks it against --sha256 and/or a detached
signature: RSA-PSS (SHA-256) over the file, or Ed25519 over the file's 32-byte SHA-256 digest.
Exit 0 when every given check passes, 1 when one fails, 2 on usage errors.
`;

/**
 * `llmguard verify-model models/llama.gguf --sha256 9f…`.
 */
export const run: CliCommand = async (argv, io) => {
  const parsed = parseCommandLine(
    argv,
    {
      sha256: { type: 'string' },
      sig: { type: 'string' },
      pubkey: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'verify-model',
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const file = positionals[0];
  const usage = (message: string): number => {
    io.stderr.write(`llmguard verify-model: ${message}\n`);
    return 2;
  };
  if (file === undefined || positionals.length > 1) return usage('name exactly one file');
  if (values.sha256 === undefined && values.sig === undefined)
    return usage('give --sha256 and/or --sig with --pubkey');
  if ((values.sig === undefined) !== (values.pubkey === undefined))
    return usage('--sig and --pubkey go together');
  let options: VerifyModelOptions = values.sha256 === undefined ? {} : { sha256: values.sha256 };
  if (values.sig !== undefined && values.pubkey !== undefined) {
    try {
      options = {
        ...options,
        signature: { signature: readFileSync(values.sig), publicKey: readFileSync(values.pubkey, 'utf8') },
      };
    } catch {
      return usage('cannot read --sig or --pubkey');
    }
  }
  try {
    const result = await verifyModelFile(file, options);
    if (values.json) io.stdout.write(JSON.stringify(result) + '\n');
    else {
      const parts = [`sha256 ${result.sha256}`, `${result.bytes} bytes`];
      if (result.digestMatches !== undefined)
        parts.push(result.digestMatches ? 'digest matches' : 'DIGEST MISMATCH');
      if (result.signatureValid !== undefined) {
        parts.push(
          result.signatureValid
            ? `${result.algorithm} signature valid`
            : `${result.algorithm} SIGNATURE INVALID`,
        );
      }
      io.stdout.write(`${result.ok ? 'ok' : 'FAILED'}: ${parts.join(', ')}\n`);
    }
    return result.ok ? 0 : 1;
  } catch (error) {
    if (isLlmGuardError(error)) return usage(error.message);
    throw error;
  }
};
