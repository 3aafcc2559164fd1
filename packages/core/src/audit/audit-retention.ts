import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readAuditLines } from './read-records.js';

export interface RetentionOptions {
  /** Directory of the rotating audit files. */
  readonly dir: string;
  /** File name prefix. Default `audit`. */
  readonly prefix?: string;
  /** Files whose newest record is older than this are removed. */
  readonly maxAgeMs: number;
  /** Current time. Default `Date.now()`. */
  readonly now?: number;
  /** Report what would be removed without removing it. Default `false`. */
  readonly dryRun?: boolean;
}

/**
 * Retention by age over whole files: a file goes when its newest record (its last `ts`) is older
 * than `maxAgeMs`. The newest file is always kept so the chain can continue from it. Whole files
 * only, oldest first, so what remains is one unbroken chain (verify it with `--partial`).
 *
 * @example
 * const removed = await pruneAuditFiles({ dir: '/var/log/llmguard', maxAgeMs: 90 * 86_400_000 });
 */
export async function pruneAuditFiles(options: RetentionOptions): Promise<string[]> {
  const prefix = options.prefix ?? 'audit';
  const now = options.now ?? Date.now();
  const names = readdirSync(options.dir)
    .filter((n) => n.startsWith(prefix + '-') && n.endsWith('.jsonl'))
    .sort();
  const removed: string[] = [];
  // Stop at the first file that must stay: removing a later one would cut the chain in two.
  for (const name of names.slice(0, -1)) {
    const path = join(options.dir, name);
    const newest = await lastTimestamp(path);
    if (newest === undefined || now - newest <= options.maxAgeMs) break;
    if (!options.dryRun) rmSync(path);
    removed.push(path);
  }
  return removed;
}

async function lastTimestamp(path: string): Promise<number | undefined> {
  let last: number | undefined;
  if (statSync(path).size === 0) return undefined;
  for await (const { record } of readAuditLines(path)) {
    const ts = record?.ts;
    if (typeof ts === 'string') last = Date.parse(ts);
  }
  return last;
}
