import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One labelled or unlabelled row read from JSONL. */
export interface TextRow {
  readonly text: string;
  readonly label?: string;
  readonly source?: string;
  readonly subtype?: string;
  /** 1-based line number in the input. */
  readonly line: number;
}

/** A line that was not a JSON object with a string `text`. */
export interface BadLine {
  readonly line: number;
  readonly reason: string;
}

/**
 * Reads JSONL rows (`{"text": …}` plus optional `label`, `source`, `subtype`) from a file path or a
 * stream, line by line, so large files never sit in memory twice. Bad lines are reported, not fatal.
 */
export async function readTextRows(
  input: string | NodeJS.ReadableStream,
): Promise<{ rows: TextRow[]; bad: BadLine[] }> {
  const stream = typeof input === 'string' ? createReadStream(input, { encoding: 'utf8' }) : input;
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  const rows: TextRow[] = [];
  const bad: BadLine[] = [];
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = raw.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      bad.push({ line: n, reason: 'not JSON' });
      continue;
    }
    if (
      typeof value !== 'object' ||
      value === null ||
      typeof (value as { text?: unknown }).text !== 'string'
    ) {
      bad.push({ line: n, reason: 'no string "text" field' });
      continue;
    }
    const v = value as Record<string, unknown>;
    rows.push({
      text: v.text as string,
      line: n,
      ...(typeof v.label === 'string' ? { label: v.label } : {}),
      ...(typeof v.source === 'string' ? { source: v.source } : {}),
      ...(typeof v.subtype === 'string' ? { subtype: v.subtype } : {}),
    });
  }
  return { rows, bad };
}

/** Value of `--flag value` or `--flag=value`, if present. */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === flag) return argv[i + 1];
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

/** Arguments that are not flags or flag values. */
export function positionals(argv: readonly string[], valueFlags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (valueFlags.includes(a)) {
      i++;
      continue;
    }
    if (a.startsWith('--')) continue;
    out.push(a);
  }
  return out;
}
