import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One line of an audit file, parsed when it is JSON. */
export interface AuditLine {
  readonly line: number;
  readonly text: string;
  /** The record: the line's `audit` member, or the line itself when it has a `mac` at the top. */
  readonly record: Record<string, unknown> | undefined;
}

/**
 * Streams the non-empty lines of an audit file (never the whole file in memory).
 *
 * @example
 * for await (const { record } of readAuditLines('audit.jsonl')) console.log(record?.type);
 */
export async function* readAuditLines(path: string): AsyncGenerator<AuditLine> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const text of lines) {
    n += 1;
    if (text.trim() === '') continue;
    yield { line: n, text, record: parseRecord(text) };
  }
}

function parseRecord(text: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const outer = parsed as Record<string, unknown>;
  const inner = outer.audit;
  if (typeof inner === 'object' && inner !== null && !Array.isArray(inner))
    return inner as Record<string, unknown>;
  return 'mac' in outer ? outer : undefined;
}
