/**
 * Trains the injection model and reports how well it generalises.
 *
 *   node --conditions=dev-source --import tsx scripts/train-injection-model.ts [--corpus FILE]
 *        [--out FILE] [--seed N] [--epochs N] [--no-loso] [--dry-run]
 *
 * Reads `<repo>/../shared/corpora/prompt_dev.jsonl` by default, trains a hashed word + character
 * n-gram logistic regression with a fixed seed (same input → same weights file), writes `packages/core/src/injection/model/injection-model.weights.json`,
 * and prints: dev metrics (rules only / model only / combined) at the shipped threshold,
 * leave-one-source-out metrics (each source held out in turn, trained on the rest), and the
 * hand-written hard cases in `test/fixtures/injection/hard-cases.jsonl`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INJECTION_DEFAULTS } from '../packages/core/src/injection/defaults.js';
import {
  createFeatureScan,
  FEATURE_BITS,
  scanFeatures,
} from '../packages/core/src/injection/model/features.js';
import {
  decodeInjectionModel,
  type InjectionModel,
  type InjectionModelFile,
} from '../packages/core/src/injection/model/injection-model.js';
import { tokenSoupRatio } from '../packages/core/src/injection/model/unnatural-text.js';
import { BUILTIN_RULES } from '../packages/core/src/injection/rules/builtin-rules.js';
import { compileRules } from '../packages/core/src/injection/rules/rule-engine.js';
import {
  buildInjectionScorer,
  type InjectionScorer,
} from '../packages/core/src/injection/scorer/build-scorer.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Row {
  readonly text: string;
  readonly label: 'injection' | 'benign';
  readonly source: string;
  readonly subtype: string;
}

/** Augmentation files trained on by default, relative to the repository root. */
const DEFAULT_AUGMENT = [
  'scripts/data/injection-augment.jsonl',
  'test/fixtures/injection/hard-cases-holdout-4.jsonl',
  'test/fixtures/injection/hard-cases-holdout-5.jsonl',
  'test/fixtures/injection/hard-cases-holdout-6.jsonl',
  'test/fixtures/injection/hard-cases-holdout-9.jsonl',
  'test/fixtures/injection/hard-cases-holdout-10.jsonl',
  'test/fixtures/injection/hard-cases-holdout-11.jsonl',
  'test/fixtures/injection/hard-cases-holdout-13.jsonl',
  'test/fixtures/injection/hard-cases-holdout-14.jsonl',
  'test/fixtures/injection/hard-cases-holdout-15.jsonl',
  'test/fixtures/injection/persuasion-train-a.jsonl',
  'test/fixtures/injection/persuasion-train-b.jsonl',
  'test/fixtures/injection/hard-cases-train-17.jsonl',
  'test/fixtures/injection/hard-cases-train-18.jsonl',
  'test/fixtures/injection/hard-cases-train-19.jsonl',
  'test/fixtures/injection/hard-cases-train-20.jsonl',
  'test/fixtures/injection/hard-cases-train-21.jsonl',
  'test/fixtures/injection/hard-cases-train-22.jsonl',
  'test/fixtures/injection/hard-cases-train-23.jsonl',
  'test/fixtures/injection/password-talk-train.jsonl',
  'test/fixtures/injection/password-talk-train-b.jsonl',
  'test/fixtures/injection/multilingual-train.jsonl',
  'test/fixtures/injection/multilingual-train-b.jsonl',
];
/**
 * Weight of benign rows against attack rows after class balancing. With the independent sets in the
 * augmentation (dense in both attacks and trigger-word benign text), 6 kept the leave-one-source-out
 * false-alarm rate on InjecGuard at 0.036 with six of them (5 gave 0.040, 7 gave 0.031 for 1.2
 * points less recall on the never-trained sets); with nine it is 0.032.
 */
const DEFAULT_BENIGN_WEIGHT = 6;

/** Every value given for a repeatable option. */
function args(name: string): string[] {
  const values: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === name && i + 1 < process.argv.length) values.push(process.argv[i + 1]!);
  });
  return values;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

function readRows(path: string): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as Partial<Row>;
    if (typeof r.text !== 'string' || (r.label !== 'injection' && r.label !== 'benign')) continue;
    rows.push({
      text: r.text,
      label: r.label,
      source: r.source ?? 'unknown',
      subtype: r.subtype ?? 'unknown',
    });
  }
  return rows;
}

/** Mulberry32: a small seeded generator so shuffles are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIZE = 1 << FEATURE_BITS;

/**
 * How the logistic regression is shaped. With `fixedBias` the intercept is not learnt but pinned
 * at the logit of a low prior: a text starts there and only its features can raise the score, so
 * a greeting with two features cannot land near 0.5. `minNorm` is the evidence floor: counts are
 * scaled by `1 / √max(n, minNorm)`, so fewer than `minNorm` features move the logit only part of
 * the way (shrinkage toward the prior for short texts).
 */
interface TrainShape {
  readonly fixedBias: number | undefined;
  readonly minNorm: number;
}

interface Doc {
  readonly buckets: Int32Array;
  readonly y: number;
}

function featurize(views: readonly string[], labels: readonly number[]): Doc[] {
  const out = createFeatureScan();
  return views.map((v, i) => {
    const buckets: number[] = [];
    scanFeatures(v, undefined, out, (b) => buckets.push(b));
    return { buckets: Int32Array.from(buckets), y: labels[i]! };
  });
}

/** Logistic regression with AdaGrad and lazy L2; features are counts scaled by 1/√n. */
function train(
  docs: readonly Doc[],
  seed: number,
  epochs: number,
  shape: TrainShape,
): { bias: number; w: Float64Array } {
  const w = new Float64Array(SIZE);
  const g2 = new Float64Array(SIZE).fill(1e-8);
  let bias = shape.fixedBias ?? 0;
  let bg2 = 1e-8;
  const lr = Number(arg('--lr') ?? 0.2);
  const l2 = Number(arg('--l2') ?? 2e-6);
  const pos = docs.filter((d) => d.y === 1).length;
  const neg = docs.length - pos;
  // Benign rows weigh more than attacks: a text with little evidence should sit well below 0.5.
  const benignWeight = Number(arg('--benign-weight') ?? DEFAULT_BENIGN_WEIGHT);
  const cw = [benignWeight * (docs.length / (2 * Math.max(1, neg))), docs.length / (2 * Math.max(1, pos))];
  const order = docs.map((_, i) => i);
  const random = rng(seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const d = docs[k]!;
      if (d.buckets.length === 0) continue;
      const v = 1 / Math.sqrt(Math.max(d.buckets.length, shape.minNorm));
      let z = bias;
      for (const f of d.buckets) z += w[f]! * v;
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - d.y) * cw[d.y]!;
      if (shape.fixedBias === undefined) {
        bg2 += g * g;
        bias -= (lr * g) / Math.sqrt(bg2);
      }
      for (const f of d.buckets) {
        const grad = g * v + l2 * w[f]!;
        g2[f]! += grad * grad;
        w[f]! -= (lr * grad) / Math.sqrt(g2[f]!);
      }
    }
  }
  return { bias, w };
}

function quantize(
  bias: number,
  w: Float64Array,
  unnatural: { start: number; full: number },
  minNorm: number,
): InjectionModelFile {
  let max = 0;
  for (const x of w) max = Math.max(max, Math.abs(x));
  const scale = max / 127 || 1;
  const q = new Int8Array(SIZE);
  for (let i = 0; i < SIZE; i++) q[i] = Math.max(-127, Math.min(127, Math.round(w[i]! / scale)));
  return {
    format: 'llmguard-injection-model',
    version: 1,
    bits: FEATURE_BITS,
    bias: Number(bias.toFixed(6)),
    scale: Number(scale.toPrecision(8)),
    weights: Buffer.from(q.buffer).toString('base64'),
    unnatural,
    minNorm,
  };
}

interface Metrics {
  n: number;
  tp: number;
  fp: number;
  pos: number;
  neg: number;
}

function measure(scores: readonly number[], rows: readonly Row[], threshold: number): Metrics {
  const m: Metrics = { n: rows.length, tp: 0, fp: 0, pos: 0, neg: 0 };
  rows.forEach((r, i) => {
    const hit = scores[i]! >= threshold;
    if (r.label === 'injection') {
      m.pos++;
      if (hit) m.tp++;
    } else {
      m.neg++;
      if (hit) m.fp++;
    }
  });
  return m;
}

const pct = (x: number, d: number): string => (d === 0 ? '—' : (x / d).toFixed(3));
function line(name: string, m: Metrics): string {
  return `| ${name} | ${m.n} | ${pct(m.tp, m.pos)} | ${pct(m.fp, m.neg)} |`;
}

function scorerFor(model: InjectionModel, disable?: 'rules' | 'model'): InjectionScorer {
  const parts = new Set<'rules' | 'model' | 'unnatural'>();
  if (disable === 'rules') parts.add('rules');
  if (disable === 'model') {
    parts.add('model');
    parts.add('unnatural');
  }
  return buildInjectionScorer(compileRules(BUILTIN_RULES), model, {
    maxDecodeDepth: INJECTION_DEFAULTS.maxDecodeDepth,
    maxDecodedChars: INJECTION_DEFAULTS.maxDecodedChars,
    unnaturalWeight: INJECTION_DEFAULTS.unnaturalWeight,
    disable: parts,
  });
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}

/** Short benign texts whose scores the report prints (what a user sends first). */
const CALIBRATION_PROBES = [
  'hello',
  'hi there',
  'thanks!',
  'ok',
  'Summarize this email for me',
  'Can you help me with my homework?',
  'As an AI language model, what are your limitations?',
  'What is 2+2?',
];

function main(): void {
  const corpus = resolve(arg('--corpus') ?? resolve(ROOT, '..', 'shared', 'corpora', 'prompt_dev.jsonl'));
  const outPath = resolve(
    arg('--out') ?? resolve(ROOT, 'packages/core/src/injection/model/injection-model.weights.json'),
  );
  const seed = Number(arg('--seed') ?? 1337);
  const epochs = Number(arg('--epochs') ?? 6);
  const threshold = Number(arg('--threshold') ?? INJECTION_DEFAULTS.block);
  const rows = readRows(corpus);
  // Hand-written training augmentation: short benign chatter, benign prompts dense with trigger
  // words, and attack families the corpus lacks; plus nine independently written sets (hold-outs 4
  // to 6, whose misses drove the fourth round of rules, 9 to 11 and 13 to 15), two sets of
  // persuasive jailbreaks with benign look-alikes, four more independent sets (17 to 20, measured
  // before they were trained on) and everyday and attack prompts in sixteen languages. Always
  // trained on. Hold-outs 7, 8, 12 and 16 are never trained on. `--augment FILE` (repeatable)
  // replaces the list.
  const augmentPaths = args('--augment');
  const augmentFiles = (augmentPaths.length > 0 ? augmentPaths : DEFAULT_AUGMENT).map((p) =>
    resolve(ROOT, p),
  );
  const augment = process.argv.includes('--no-augment') ? [] : augmentFiles.flatMap((p) => readRows(p));
  const prior = Number(arg('--prior') ?? 0.2);
  const shape: TrainShape = {
    fixedBias: process.argv.includes('--learn-bias') ? undefined : Math.log(prior / (1 - prior)),
    minNorm: Number(arg('--min-norm') ?? 12),
  };
  console.log(
    `corpus ${corpus}: ${rows.length} rows (+${augment.length} augmentation rows), seed ${seed}, epochs ${epochs}, prior ${shape.fixedBias === undefined ? 'learnt' : prior}, minNorm ${shape.minNorm}`,
  );

  // The view the scorer's model reads: same normalization as at run time.
  const viewer = buildInjectionScorer(
    compileRules(BUILTIN_RULES),
    { bias: 0, scale: 1, weights: new Int8Array(SIZE), unnaturalStart: 0, unnaturalFull: 1 },
    { maxDecodeDepth: 0, maxDecodedChars: 0, unnaturalWeight: 0 },
  );
  const views = rows.map((r) => viewer.view(r.text));
  const labels = rows.map((r) => (r.label === 'injection' ? 1 : 0));

  // Unnatural-text signal: math and code rows of the corpus reach token-soup ratios of 0.6–0.9,
  // so it starts at 0.45 and only saturates at 0.95; with its weight it never blocks on its own.
  const benignSoup = rows.filter((r) => r.label === 'benign').map((r) => tokenSoupRatio(r.text));
  const unnatural = { start: 0.45, full: 0.95 };
  console.log(
    `token soup on benign rows: p99 ${quantile(benignSoup, 0.99).toFixed(2)}, max ${quantile(benignSoup, 1).toFixed(2)}`,
  );

  const docs = featurize(views, labels);
  const augmentDocs = featurize(
    augment.map((r) => viewer.view(r.text)),
    augment.map((r) => (r.label === 'injection' ? 1 : 0)),
  );
  const trainFold = (keep: (i: number) => boolean): InjectionModel => {
    const t = train([...docs.filter((_, i) => keep(i)), ...augmentDocs], seed, epochs, shape);
    return decodeInjectionModel(quantize(t.bias, t.w, unnatural, shape.minNorm));
  };

  const full = train([...docs, ...augmentDocs], seed, epochs, shape);
  const file = quantize(full.bias, full.w, unnatural, shape.minNorm);
  const model = decodeInjectionModel(file);
  const sources = [...new Set(rows.map((r) => r.source))].sort();

  const report: string[] = [];
  report.push(`### Dev set, trained on all of it (in-sample), threshold ${threshold}`, '');
  report.push('| scorer | n | TPR | FPR |', '|---|---|---|---|');
  const variants: Array<['rules' | 'model' | undefined, string]> = [
    ['model', 'rules only'],
    ['rules', 'model only'],
    [undefined, 'combined'],
  ];
  for (const [disable, name] of variants) {
    const s = scorerFor(model, disable);
    report.push(
      line(
        name,
        measure(
          rows.map((r) => s.score(r.text).score),
          rows,
          threshold,
        ),
      ),
    );
  }

  // Calibration of texts with little evidence: what a greeting or a one-line request scores.
  {
    const s = scorerFor(model);
    report.push('', '### Short texts (combined score; model part in brackets)', '');
    report.push('| text | score |', '|---|---|');
    for (const text of CALIBRATION_PROBES) {
      const r = s.score(text);
      report.push(`| ${text} | ${r.score.toFixed(3)} (${r.model.toFixed(3)}) |`);
    }
    const benign = rows.filter((r) => r.label === 'benign');
    const short = benign.filter((r) => r.text.trim().split(/\s+/).length <= 8);
    const over = (xs: Row[], t: number) => xs.filter((r) => s.score(r.text).score >= t).length / xs.length;
    report.push(
      '',
      `Dev benign rows scoring ≥ 0.55 / ≥ 0.6: all ${benign.length}: ${over(benign, 0.55).toFixed(3)} / ${over(benign, 0.6).toFixed(3)}; ≤ 8 words (${short.length}): ${over(short, 0.55).toFixed(3)} / ${over(short, 0.6).toFixed(3)}`,
    );
  }

  const hardSets: Array<[string, string]> = [
    ['hard-cases.jsonl', 'never trained on; looked at while writing rules'],
    ['hard-cases-holdout.jsonl', 'written after the rules were tuned; never used to tune anything'],
    [
      'hard-cases-holdout-2.jsonl',
      'written before the second round of tuning (augmentation, priors, new rules); never used to tune',
    ],
    [
      'hard-cases-holdout-3.jsonl',
      'written before the third round (intent-based rules, prose-then-soup signal, augmentation); never used to tune',
    ],
    [
      'hard-cases-holdout-4.jsonl',
      'written independently; its misses drove the fourth round of rules; trained on since',
    ],
    [
      'hard-cases-holdout-5.jsonl',
      'written independently; its misses drove the fourth round of rules; trained on since',
    ],
    [
      'hard-cases-holdout-6.jsonl',
      'written independently; its misses drove the fourth round of rules; trained on since',
    ],
    [
      'hard-cases-holdout-7.jsonl',
      'written independently after the fourth round; never used to write rules or train',
    ],
    [
      'hard-cases-holdout-8.jsonl',
      'written independently after the fourth round; never used to write rules or train',
    ],
    ['hard-cases-holdout-9.jsonl', 'written independently; trained on'],
    ['hard-cases-holdout-10.jsonl', 'written independently; trained on'],
    ['hard-cases-holdout-11.jsonl', 'written independently; trained on'],
    [
      'hard-cases-holdout-12.jsonl',
      'written independently after the fourth round; never used to write rules or train',
    ],
    ['hard-cases-holdout-13.jsonl', 'written independently; trained on'],
    ['hard-cases-holdout-14.jsonl', 'written independently; trained on'],
    ['hard-cases-holdout-15.jsonl', 'written independently; trained on'],
    [
      'hard-cases-holdout-16.jsonl',
      'written independently after the fourth round; never used to write rules or train',
    ],
    ['hard-cases-train-17.jsonl', 'written independently; measured untrained, then trained on'],
    ['hard-cases-train-18.jsonl', 'written independently; measured untrained, then trained on'],
    ['hard-cases-train-19.jsonl', 'written independently; measured untrained, then trained on'],
    ['hard-cases-train-20.jsonl', 'written independently; measured untrained, then trained on'],
  ];
  for (const [file, note] of hardSets) {
    const hardPath = resolve(ROOT, 'test/fixtures/injection', file);
    const hard = existsSync(hardPath) ? readRows(hardPath) : [];
    if (hard.length === 0) continue;
    report.push('', `### ${file} (${hard.length} rows, ${note}), threshold ${threshold}`, '');
    report.push('| scorer | subset | n | TPR | FPR |', '|---|---|---|---|---|');
    for (const [disable, name] of variants) {
      const s = scorerFor(model, disable);
      const scores = hard.map((r) => s.score(r.text).score);
      report.push(line(`${name} | all`, measure(scores, hard, threshold)));
      if (process.argv.includes('--show-errors') && name === 'combined') {
        hard.forEach((r, i) => {
          const sc = s.score(r.text);
          if (scores[i]! >= threshold !== (r.label === 'injection'))
            console.error(
              `HARD ${r.label} ${sc.score.toFixed(2)} m=${sc.model.toFixed(2)} u=${sc.unnatural.toFixed(2)} [${sc.ruleIds.join(',')}] ${r.text.slice(0, 120).replaceAll('\n', ' ')}`,
            );
        });
      }
      for (const sub of [...new Set(hard.map((r) => r.subtype))].sort()) {
        const idx = hard.map((r, i) => (r.subtype === sub ? i : -1)).filter((i) => i >= 0);
        report.push(
          line(
            `${name} | ${sub}`,
            measure(
              idx.map((i) => scores[i]!),
              idx.map((i) => hard[i]!),
              threshold,
            ),
          ),
        );
      }
    }
  }

  if (!process.argv.includes('--no-loso')) {
    report.push(
      '',
      `### Leave one source out (model retrained without the source), threshold ${threshold}`,
      '',
    );
    report.push(
      '| held-out source | n | TPR rules | TPR model | TPR combined | FPR rules | FPR model | FPR combined |',
    );
    report.push('|---|---|---|---|---|---|---|---|');
    const pooled = { rules: [] as number[], model: [] as number[], combined: [] as number[] };
    const pooledRows: Row[] = [];
    for (const source of sources) {
      const held = rows.map((r, i) => (r.source === source ? i : -1)).filter((i) => i >= 0);
      const foldModel = trainFold((i) => rows[i]!.source !== source);
      const heldRows = held.map((i) => rows[i]!);
      const result: Record<string, Metrics> = {};
      for (const [disable, name] of variants) {
        const s = scorerFor(foldModel, disable);
        const scores = heldRows.map((r) => s.score(r.text).score);
        const key = name === 'rules only' ? 'rules' : name === 'model only' ? 'model' : 'combined';
        pooled[key].push(...scores);
        result[key] = measure(scores, heldRows, threshold);
      }
      pooledRows.push(...heldRows);
      if (process.argv.includes('--show-errors')) {
        const s = scorerFor(foldModel);
        for (const r of heldRows) {
          const sc = s.score(r.text);
          if (sc.score >= threshold !== (r.label === 'injection'))
            console.error(
              `${r.label} ${sc.score.toFixed(2)} m=${sc.model.toFixed(2)} [${sc.ruleIds.join(',')}] ${r.text.slice(0, 160).replaceAll('\n', ' ')}`,
            );
        }
      }
      const r = result as Record<'rules' | 'model' | 'combined', Metrics>;
      report.push(
        `| ${source} | ${held.length} | ${pct(r.rules.tp, r.rules.pos)} | ${pct(r.model.tp, r.model.pos)} | ${pct(r.combined.tp, r.combined.pos)} | ${pct(r.rules.fp, r.rules.neg)} | ${pct(r.model.fp, r.model.neg)} | ${pct(r.combined.fp, r.combined.neg)} |`,
      );
    }
    const all = {
      rules: measure(pooled.rules, pooledRows, threshold),
      model: measure(pooled.model, pooledRows, threshold),
      combined: measure(pooled.combined, pooledRows, threshold),
    };
    // PurpleLlama is half the corpus and mostly multilingual, system-prompt-relative attacks; show
    // the pool without it too, so it does not hide how the other sources generalise.
    const keep = pooledRows.map((r) => r.source !== 'meta-llama/PurpleLlama');
    const without = (xs: number[]) => xs.filter((_, i) => keep[i]);
    const rest = pooledRows.filter((_, i) => keep[i]);
    const part = {
      rules: measure(without(pooled.rules), rest, threshold),
      model: measure(without(pooled.model), rest, threshold),
      combined: measure(without(pooled.combined), rest, threshold),
    };
    report.push(
      `| pooled without PurpleLlama | ${rest.length} | ${pct(part.rules.tp, part.rules.pos)} | ${pct(part.model.tp, part.model.pos)} | ${pct(part.combined.tp, part.combined.pos)} | ${pct(part.rules.fp, part.rules.neg)} | ${pct(part.model.fp, part.model.neg)} | ${pct(part.combined.fp, part.combined.neg)} |`,
    );
    report.push(
      `| **pooled** | ${pooledRows.length} | ${pct(all.rules.tp, all.rules.pos)} | ${pct(all.model.tp, all.model.pos)} | ${pct(all.combined.tp, all.combined.pos)} | ${pct(all.rules.fp, all.rules.neg)} | ${pct(all.model.fp, all.model.neg)} | ${pct(all.combined.fp, all.combined.neg)} |`,
    );
  }
  console.log(report.join('\n'));

  if (!process.argv.includes('--dry-run')) {
    const out: InjectionModelFile = {
      ...file,
      trainedOn: {
        corpus: 'prompt_dev.jsonl',
        rows: rows.length,
        augmentRows: augment.length,
        prior: shape.fixedBias === undefined ? 'learnt' : prior,
        seed,
        epochs,
        bits: FEATURE_BITS,
      },
    };
    writeFileSync(outPath, JSON.stringify(out) + '\n');
    console.log(`wrote ${outPath} (${Math.round(JSON.stringify(out).length / 1024)} KB)`);
  }
}

main();
