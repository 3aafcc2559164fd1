import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const DOC = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
const HEADER = `# Benchmarks

Each section is written by the benchmark named in it, with the command that produced it. Numbers
come from one run on the machine described in the section; compare ratios measured side by side in
the same run rather than absolute figures across machines.
`;

/**
 * Replaces (or appends) the section `area` of docs/benchmarks.md, between
 * `<!-- bench:area:start -->` and `<!-- bench:area:end -->`, so each benchmark owns its part.
 */
export function writeBenchSection(area: string, title: string, command: string, markdown: string): void {
  let doc: string;
  try {
    doc = readFileSync(DOC, 'utf8');
  } catch {
    doc = HEADER;
  }
  const start = `<!-- bench:${area}:start -->`;
  const end = `<!-- bench:${area}:end -->`;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const section = [
    start,
    `## ${title}`,
    '',
    `Command: \`${command}\` — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpu}`,
    '',
    markdown.trim(),
    end,
  ].join('\n');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  doc =
    from !== -1 && to !== -1
      ? doc.slice(0, from) + section + doc.slice(to + end.length)
      : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(DOC, doc);
}

/** Median of a sample (sorted copy). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
