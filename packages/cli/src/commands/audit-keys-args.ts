import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_KEY_ENV, type AuditSecret } from '@llmguard/core';

/** Options shared by the audit commands for naming keys. */
export const KEY_ARG_OPTIONS = {
  key: { type: 'string', multiple: true },
  'key-file': { type: 'string', multiple: true },
  'key-env': { type: 'string', multiple: true },
} as const;

/** Thrown for bad arguments; the command prints the message and exits 2. */
export class UsageError extends Error {}

/**
 * Collects audit keys from `--key` (literal, visible in the process list: prefer the others),
 * `--key-file` (file content, trimmed) and `--key-env` (variable name). With none given, reads
 * `LLMGUARD_AUDIT_KEY`.
 */
export function collectKeys(values: {
  key?: string[] | undefined;
  'key-file'?: string[] | undefined;
  'key-env'?: string[] | undefined;
}): AuditSecret[] {
  const keys: AuditSecret[] = [...(values.key ?? [])];
  for (const file of values['key-file'] ?? []) {
    try {
      keys.push(readFileSync(file, 'utf8').trim());
    } catch {
      throw new UsageError(`cannot read key file ${file}`);
    }
  }
  const envNames = values['key-env'] ?? (keys.length === 0 ? [AUDIT_KEY_ENV] : []);
  for (const name of envNames) {
    const value = process.env[name];
    if (value === undefined || value === '') throw new UsageError(`environment variable ${name} is not set`);
    keys.push(value);
  }
  for (const key of keys) {
    if (Buffer.byteLength(key) < 32) throw new UsageError('an audit key needs at least 32 bytes');
  }
  return keys;
}

/** Expands directories to their `*.jsonl` files (sorted, which is chain order for rotated files). */
export function expandAuditFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new UsageError(`no such file: ${path}`);
    }
    if (!isDir) files.push(path);
    else
      files.push(
        ...readdirSync(path)
          .filter((n) => n.endsWith('.jsonl'))
          .sort()
          .map((n) => join(path, n)),
      );
  }
  return files;
}
