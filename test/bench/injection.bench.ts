// Injection scorer cost: median per 4 KB English prompt (rules + model + unnatural-text signal),
// and linear time on crafted worst-case shapes at 5 KB, 20 KB and 1 MB.
// Run: node --conditions=dev-source --import tsx test/bench/injection.bench.ts
import { cpus, loadavg } from 'node:os';
import { createInjectionScorer } from '@llmguard/core';
import { writeBenchSection } from './report.js';

const scorer = createInjectionScorer();

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time of single calls, in µs. */
function wallUs(fn: () => void, runs: number): number {
  for (let i = 0; i < Math.min(200, runs); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return median(samples);
}

/**
 * Median CPU time per call in µs (batches of `batch` calls, `process.cpuUsage`). On a shared
 * machine wall time includes waiting for a core; CPU time is what the scorer itself costs.
 */
function cpuUs(fn: () => void, batch: number, batches: number): number {
  for (let i = 0; i < batch; i++) fn();
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = process.cpuUsage();
    for (let i = 0; i < batch; i++) fn();
    const d = process.cpuUsage(start);
    samples.push((d.user + d.system) / batch);
  }
  return median(samples);
}

const sentences = [
  'Could you help me plan a three day trip to Lisbon with a focus on museums and good seafood?',
  'I am writing a cover letter for a junior data analyst role and would like it to sound confident but not arrogant.',
  'Please explain the difference between a mutex and a semaphore, with a short example in Go.',
  'My tomato plants have yellow leaves near the bottom; what could be causing this and how do I fix it?',
  'Summarize the main arguments for and against a four day work week in a balanced way.',
  'Write a friendly reminder email to the team about submitting their expense reports by Friday.',
  'What are some good strategies for learning vocabulary in a new language as an adult?',
  'Our quarterly revenue grew by eight percent while costs stayed flat, so margins improved noticeably.',
  'Can you review this paragraph for clarity and suggest a shorter version that keeps the meaning?',
  'Explain how compound interest works and show the growth of one thousand dollars over ten years.',
];
let english = '';
for (let i = 0; english.length < 4096; i++) english += `${sentences[i % sentences.length]} `;
english = english.slice(0, 4096);

// Reference: a bare loop reading every character of the same 4 KB, to show how fast this machine is.
let sink = 0;
const reference = (): void => {
  let x = 0;
  for (let i = 0; i < english.length; i++) x = (x + english.charCodeAt(i)) | 0;
  sink ^= x;
};

const englishWall = wallUs(() => scorer.score(english), 5000);
// The scorer and the reference loop are measured in alternating batches, so a change in the
// machine's speed during the run (shared cores) reaches both alike; the ratio is taken per pair.
const englishSamples: number[] = [];
const referenceSamples: number[] = [];
const pairRatios: number[] = [];
cpuUs(() => scorer.score(english), 200, 1);
cpuUs(reference, 2000, 1);
for (let b = 0; b < 25; b++) {
  const e = cpuUs(() => scorer.score(english), 200, 1);
  const r = cpuUs(reference, 2000, 1);
  englishSamples.push(e);
  referenceSamples.push(r);
  pairRatios.push(e / r);
}
const englishCpu = median(englishSamples);
const referenceCpu = median(referenceSamples);
const pairedRatio = median(pairRatios);

// Worst-case shapes: each drives one expensive path (rule near-misses, normalization, spaced-letter
// folding, decoding, the unnatural-text signal).
const shapes: Record<string, (n: number) => string> = {
  'override near-miss ("ignore all the previous " × n)': (n) => 'ignore all the previous '.repeat(n / 24),
  'spaced letters ("a b c d " × n)': (n) => 'a b c d '.repeat(n / 8),
  'one base64 run ("QUJD" × n)': (n) => 'QUJD'.repeat(n / 4),
  'zero-width + Cyrillic ("іg\\u200Bn " × n)': (n) => 'іg\u200Bn '.repeat(n / 5),
  'symbol soup ("x]( y**Z " × n)': (n) => 'x]( y**Z '.repeat(n / 9),
  'URL-encoded + hex ("%41%42 \\x43\\x44 " × n)': (n) => '%41%42 \\x43\\x44 '.repeat(n / 16),
};

const rows: string[] = [];
let worstRatio = 0;
let worstMb = 0;
for (const [name, make] of Object.entries(shapes)) {
  const k5 = make(5 * 1024);
  const k20 = make(20 * 1024);
  const mb = make(1024 * 1024);
  // 5 KB and 20 KB batches alternate, and the ratio is the median of the per-pair ratios: a change
  // in the machine's speed during the run reaches both sizes alike.
  cpuUs(() => scorer.score(k5), 40, 1);
  cpuUs(() => scorer.score(k20), 10, 1);
  const s5: number[] = [];
  const s20: number[] = [];
  const pairs: number[] = [];
  for (let b = 0; b < 21; b++) {
    const a = cpuUs(() => scorer.score(k5), 40, 1);
    const c = cpuUs(() => scorer.score(k20), 10, 1);
    s5.push(a);
    s20.push(c);
    pairs.push(c / a);
  }
  const t5 = median(s5);
  const t20 = median(s20);
  const tMb = cpuUs(() => scorer.score(mb), 1, 7) / 1000;
  const ratio = median(pairs);
  worstRatio = Math.max(worstRatio, ratio);
  worstMb = Math.max(worstMb, tMb);
  rows.push(`| ${name} | ${t5.toFixed(0)} | ${t20.toFixed(0)} | ${ratio.toFixed(2)} | ${tMb.toFixed(1)} |`);
}

const load = loadavg()
  .map((x) => x.toFixed(1))
  .join(' / ');
const markdown = `
Whole scorer (\`createInjectionScorer().score\`: normalization, one RE2 set pass, model, unnatural-text
signal, decoding when a marker fires) on a 4 KB English prompt:

| measure | µs per call |
|---|---|
| median wall time | ${englishWall.toFixed(1)} |
| median CPU time | ${englishCpu.toFixed(1)} |
| reference: bare loop over the same 4 KB (CPU) | ${referenceCpu.toFixed(1)} |
| scorer / reference loop (median of the per-pair ratios) | ${pairedRatio.toFixed(1)} × |

Load average during the run: ${load} (1 / 5 / 15 min, ${cpus().length} cores). Wall time includes waiting
for a core on a shared machine; the reference loop shows how fast this machine runs plain JavaScript,
so the ratio is the figure to compare across machines. The scorer and the reference run in 25
alternating batches, so a change in the machine's speed during the run reaches both.

Linear time on crafted inputs (median CPU time; the 1 MB column is milliseconds; the ratio is the
median of 21 paired 5 KB / 20 KB batches):

| shape | 5 KB (µs) | 20 KB (µs) | 20 KB / 5 KB | 1 MB (ms) |
|---|---|---|---|---|
${rows.join('\n')}

Worst 20 KB / 5 KB ratio: ${worstRatio.toFixed(2)} (linear is 4; the bound is 4.5). Worst 1 MB: ${worstMb.toFixed(1)} ms (bound 100 ms).
`;

console.log(markdown);
writeBenchSection(
  'injection',
  'Injection scorer',
  'node --conditions=dev-source --import tsx test/bench/injection.bench.ts',
  markdown,
);
if (sink === 42) console.log('');
