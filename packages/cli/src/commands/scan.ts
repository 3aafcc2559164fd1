import { createInjectionScorer, INJECTION_DEFAULTS, type InjectionExplanation } from '@llmguard/core';
import type { CliCommand } from '../io.js';
import { flagValue, positionals, readTextRows } from './injection-input.js';

const HELP = `Usage: llmguard scan [TEXT ...] [--file FILE.jsonl] [--json] [--threshold X]

Scores text for prompt injection and jailbreaks, offline.
  TEXT ...          texts to score (each argument is one text)
  --file FILE       JSONL with a "text" field per line ("-" reads stdin)
  (no TEXT, no --file) reads JSONL from stdin
  --threshold X     block threshold (default ${INJECTION_DEFAULTS.block})
  --json            one JSON object per input line: {verdict, score, rules, model, unnatural, ruleIds, layers, hits}

Exit code: 0 nothing blocked, 1 at least one text at or above the threshold, 2 usage error.
Output names rules and positions; it never echoes the text.`;

function verdict(score: number, block: number): 'block' | 'flag' | 'pass' {
  if (score >= block) return 'block';
  if (score >= INJECTION_DEFAULTS.flag) return 'flag';
  return 'pass';
}

function describe(label: string, r: InjectionExplanation, block: number): string {
  const ids = r.ruleIds.length > 0 ? r.ruleIds.join(',') : '-';
  const layers = r.layers.length > 0 ? ` layers=${[...new Set(r.layers)].join(',')}` : '';
  return `${verdict(r.score, block).padEnd(5)} ${r.score.toFixed(3)}  ${label}  rules=${ids}${layers} (rules ${r.rules.toFixed(2)}, model ${r.model.toFixed(2)}, unnatural ${r.unnatural.toFixed(2)})`;
}

/** `llmguard scan`: verdict, score and rule ids for each text. */
export const run: CliCommand = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const thresholdArg = flagValue(argv, '--threshold');
  const block = thresholdArg === undefined ? INJECTION_DEFAULTS.block : Number(thresholdArg);
  if (!(block > 0 && block <= 1)) {
    io.stderr.write(`llmguard scan: --threshold must be a number in (0, 1]\n`);
    return 2;
  }
  const json = argv.includes('--json');
  const texts = positionals(argv, ['--file', '--threshold']);
  const file = flagValue(argv, '--file');
  const scorer = createInjectionScorer();

  const inputs: Array<{ label: string; text: string }> = texts.map((text, i) => ({
    label: `arg ${i + 1}`,
    text,
  }));
  if (file !== undefined || texts.length === 0) {
    let read: Awaited<ReturnType<typeof readTextRows>>;
    try {
      read = await readTextRows(file === undefined || file === '-' ? io.stdin : file);
    } catch (error) {
      io.stderr.write(
        `llmguard scan: cannot read ${file ?? 'stdin'}: ${(error as NodeJS.ErrnoException).code ?? 'error'}\n`,
      );
      return 2;
    }
    for (const b of read.bad) io.stderr.write(`llmguard scan: line ${b.line} skipped (${b.reason})\n`);
    for (const row of read.rows) inputs.push({ label: `line ${row.line}`, text: row.text });
  }

  let blocked = 0;
  for (const input of inputs) {
    const r = scorer.explain(input.text);
    if (r.score >= block) blocked++;
    if (json) {
      io.stdout.write(
        `${JSON.stringify({
          input: input.label,
          verdict: verdict(r.score, block),
          score: round(r.score),
          rules: round(r.rules),
          model: round(r.model),
          unnatural: round(r.unnatural),
          ruleIds: r.ruleIds,
          layers: [...new Set(r.layers)],
          hits: r.hits.map((h) => ({ id: h.id, category: h.category, start: h.start, end: h.end })),
        })}\n`,
      );
    } else io.stdout.write(`${describe(input.label, r, block)}\n`);
  }
  return blocked > 0 ? 1 : 0;
};

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
