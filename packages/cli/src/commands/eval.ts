import { createInjectionScorer, INJECTION_DEFAULTS } from '@llmguard/core';
import type { CliCommand, CliIo } from '../io.js';
import { flagValue, positionals, readTextRows } from './injection-input.js';

const HELP = `Usage: llmguard eval FILE.jsonl [--json] [--threshold X]
       llmguard eval --pii FILE.jsonl | --secrets FILE.jsonl   (PII and secret detectors)

Scores labelled rows ({"text","label":"injection"|"benign","source"?,"subtype"?}) with the injection
scorer and prints TPR, FPR, precision and F1 overall, per source and per subtype, and a threshold
sweep. Rows with any other label are ignored.
  --threshold X   block threshold (default ${INJECTION_DEFAULTS.block}, the shipped default)
  --json          print {overall, bySource, bySubtype}; each {n, tpr, fpr, precision, f1, threshold}
                  (a rate is null when its denominator is 0, e.g. FPR of an attack-only source)`;

/** Metrics of one group of rows at one threshold. `null` when undefined (0 / 0). */
export interface EvalMetrics {
  readonly n: number;
  readonly tpr: number | null;
  readonly fpr: number | null;
  readonly precision: number | null;
  readonly f1: number | null;
  readonly threshold: number;
}

/** What `eval --json` prints. */
export interface InjectionEvalReport {
  readonly overall: EvalMetrics;
  readonly bySource: Record<string, EvalMetrics>;
  readonly bySubtype: Record<string, EvalMetrics>;
}

interface Scored {
  readonly positive: boolean;
  readonly score: number;
  readonly source: string;
  readonly subtype: string;
}

const ratio = (a: number, b: number): number | null =>
  b === 0 ? null : Math.round((a / b) * 10_000) / 10_000;

/** Metrics of `rows` at `threshold`. */
export function metricsAt(rows: readonly Scored[], threshold: number): EvalMetrics {
  let tp = 0;
  let fp = 0;
  let pos = 0;
  for (const r of rows) {
    const hit = r.score >= threshold;
    if (r.positive) {
      pos++;
      if (hit) tp++;
    } else if (hit) fp++;
  }
  const neg = rows.length - pos;
  const tpr = ratio(tp, pos);
  const precision = ratio(tp, tp + fp);
  const f1 =
    tpr === null || precision === null || tpr + precision === 0
      ? tpr === null
        ? null
        : 0
      : Math.round(((2 * tpr * precision) / (tpr + precision)) * 10_000) / 10_000;
  return { n: rows.length, tpr, fpr: ratio(fp, neg), precision, f1, threshold };
}

function groupBy(
  rows: readonly Scored[],
  key: 'source' | 'subtype',
  threshold: number,
): Record<string, EvalMetrics> {
  const groups = new Map<string, Scored[]>();
  for (const r of rows) {
    const list = groups.get(r[key]);
    if (list === undefined) groups.set(r[key], [r]);
    else list.push(r);
  }
  const out: Record<string, EvalMetrics> = {};
  for (const name of [...groups.keys()].sort()) out[name] = metricsAt(groups.get(name)!, threshold);
  return out;
}

/** Builds the report from scored rows. */
export function buildInjectionReport(rows: readonly Scored[], threshold: number): InjectionEvalReport {
  return {
    overall: metricsAt(rows, threshold),
    bySource: groupBy(rows, 'source', threshold),
    bySubtype: groupBy(rows, 'subtype', threshold),
  };
}

/** A progress bar on stderr, only when stderr is a terminal. */
function progress(io: CliIo, total: number): (done: number) => void {
  if (io.stderr.isTTY !== true || total < 200) return () => {};
  const step = Math.max(1, Math.floor(total / 100));
  return (done: number) => {
    if (done % step !== 0 && done !== total) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    io.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}% ${done}/${total}`,
    );
    if (done === total) io.stderr.write('\n');
  };
}

const fmt = (x: number | null): string => (x === null ? '   —  ' : x.toFixed(4));

function table(title: string, groups: Record<string, EvalMetrics>): string[] {
  const lines = [title, `  ${'name'.padEnd(48)} ${'n'.padStart(6)}  tpr     fpr     prec    f1`];
  for (const [name, m] of Object.entries(groups)) {
    lines.push(
      `  ${name.slice(0, 48).padEnd(48)} ${String(m.n).padStart(6)}  ${fmt(m.tpr)}  ${fmt(m.fpr)}  ${fmt(m.precision)}  ${fmt(m.f1)}`,
    );
  }
  return lines;
}

async function runInjectionEval(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const thresholdArg = flagValue(argv, '--threshold');
  const threshold = thresholdArg === undefined ? INJECTION_DEFAULTS.block : Number(thresholdArg);
  if (!(threshold > 0 && threshold <= 1)) {
    io.stderr.write('llmguard eval: --threshold must be a number in (0, 1]\n');
    return 2;
  }
  const [file] = positionals(argv, ['--threshold']);
  if (file === undefined) {
    io.stderr.write(`llmguard eval: a labelled JSONL file is required\n\n${HELP}\n`);
    return 2;
  }
  let read: Awaited<ReturnType<typeof readTextRows>>;
  try {
    read = await readTextRows(file === '-' ? io.stdin : file);
  } catch (error) {
    io.stderr.write(
      `llmguard eval: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}\n`,
    );
    return 2;
  }
  const labelled = read.rows.filter((r) => r.label === 'injection' || r.label === 'benign');
  if (labelled.length === 0) {
    io.stderr.write('llmguard eval: no rows labelled "injection" or "benign"\n');
    return 2;
  }
  const scorer = createInjectionScorer();
  const tick = progress(io, labelled.length);
  const started = performance.now();
  const scored: Scored[] = labelled.map((r, i) => {
    const s: Scored = {
      positive: r.label === 'injection',
      score: scorer.score(r.text).score,
      source: r.source ?? 'unknown',
      subtype: r.subtype ?? 'unknown',
    };
    tick(i + 1);
    return s;
  });
  const elapsed = performance.now() - started;
  const report = buildInjectionReport(scored, threshold);
  if (argv.includes('--json')) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const o = report.overall;
  const lines = [
    `${file}: ${labelled.length} labelled rows (${read.rows.length - labelled.length} other-labelled ignored, ${read.bad.length} bad lines), threshold ${threshold}`,
    `overall  TPR ${fmt(o.tpr)}  FPR ${fmt(o.fpr)}  precision ${fmt(o.precision)}  F1 ${fmt(o.f1)}`,
    `scored in ${elapsed.toFixed(0)} ms (${((elapsed * 1000) / labelled.length).toFixed(1)} µs per row)`,
    '',
    ...table('by source', report.bySource),
    '',
    ...table('by subtype', report.bySubtype),
    '',
    'threshold sweep',
    '  threshold  tpr     fpr     prec    f1',
  ];
  for (let t = 0.3; t <= 0.951; t += 0.05) {
    const m = metricsAt(scored, Math.round(t * 100) / 100);
    lines.push(
      `  ${m.threshold.toFixed(2).padEnd(9)}  ${fmt(m.tpr)}  ${fmt(m.fpr)}  ${fmt(m.precision)}  ${fmt(m.f1)}`,
    );
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * `llmguard eval`: the injection evaluation, or the PII / secret evaluations when `--pii` or
 * `--secrets` is given (those live in their own modules, loaded only when asked for).
 */
export const run: CliCommand = async (argv, io) => {
  if (argv.includes('--pii')) return (await import('./eval-pii.js')).run(argv, io);
  if (argv.includes('--secrets')) return (await import('./eval-secrets.js')).run(argv, io);
  return runInjectionEval(argv, io);
};
