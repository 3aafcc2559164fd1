// PII and secret redaction cost: prompt scan, streaming transformer throughput, per-event cost,
// and linear time on crafted inputs. Run: node --conditions=dev-source --import tsx test/bench/pii.bench.ts
import {
  createPiiScanner,
  createResponseBodyTransformer,
  createStreamRedactor,
  DEFAULT_DETECTORS,
  type GuardContext,
} from '@llmguard/core';
import { writeBenchSection } from './report.js';

const scanner = createPiiScanner(DEFAULT_DETECTORS);
const mask = (m: { type: string }): string => `[${m.type}]`;

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeUs(fn: () => void, runs: number): number {
  for (let i = 0; i < 50; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return median(samples);
}

const sentence =
  'Please summarise the quarterly report for the sales team and keep the tone friendly. Contact jane.doe@example.com for the figures. ';
let prompt = '';
while (prompt.length < 4096) prompt += sentence;
prompt = prompt.slice(0, 4096);
const plain = prompt.replaceAll('jane.doe@example.com', 'the finance department');
const oneEmail = plain.replace('the finance department', 'jane.doe@example.com');

const scanWithPii = timeUs(() => scanner.scan(prompt), 2000);
const scanPlain = timeUs(() => scanner.scan(plain), 2000);
const scanOne = timeUs(() => scanner.scan(oneEmail), 2000);

// Streaming: OpenAI chat SSE bodies through the byte transformer. Throughput with 256-character
// deltas (bulk text); per-event cost with 5-character deltas (token-sized, the usual case).
function sseBody(piece: number, answer = oneEmail.repeat(512)): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < answer.length; i += piece) {
    const chunk = {
      id: 'c',
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { content: answer.slice(i, i + piece) }, finish_reason: null }],
    };
    out.push(Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`));
  }
  return out;
}
const bulk = sseBody(256);
const tokens = sseBody(5, oneEmail.repeat(64));
const dense = sseBody(256, prompt.repeat(512));
const denseBytes = dense.reduce((n, b) => n + b.byteLength, 0);
const bulkBytes = bulk.reduce((n, b) => n + b.byteLength, 0);
const ctx = { requestId: 'b', path: '/v1/chat/completions' } as unknown as GuardContext;
const start = {
  status: 200,
  header: (n: string) => (n === 'content-type' ? 'text/event-stream' : undefined),
};
function runStream(hooks: Parameters<typeof createResponseBodyTransformer>[1], body: Buffer[]): number {
  const t = createResponseBodyTransformer(ctx, hooks, start)!;
  const began = process.hrtime.bigint();
  for (const b of body) t.write(b);
  t.end();
  return Number(process.hrtime.bigint() - began) / 1e6;
}
// The guard's answer scanner leaves out `allow` types (URL by default), as measured here.
const answerScanner = createPiiScanner(DEFAULT_DETECTORS.filter((d) => d.type !== 'URL'));
const redactHooks = [{ textTransform: () => createStreamRedactor(answerScanner, mask) }];
const usageHooks = [{ onUsage: () => {} }];
for (const body of [tokens, bulk, dense, bulk]) runStream(redactHooks, body);
const bulkMs = median([0, 1, 2, 3, 4, 5, 6].map(() => runStream(redactHooks, bulk)));
const tokenMs = median([0, 1, 2, 3, 4].map(() => runStream(redactHooks, tokens)));
const usageMs = median([0, 1, 2, 3, 4].map(() => runStream(usageHooks, tokens)));
const denseMs = median([0, 1, 2].map(() => runStream(redactHooks, dense)));
const mbps = bulkBytes / 1e6 / (bulkMs / 1000);
const denseMbps = denseBytes / 1e6 / (denseMs / 1000);
const usPerEvent = (tokenMs * 1000) / tokens.length;
const usPerEventUsage = (usageMs * 1000) / tokens.length;

// Linear time: crafted near-misses (digit runs, long local parts, dotted runs, unterminated PEM).
const crafted = (n: number): Record<string, string> => ({
  digits: '4'.repeat(n),
  'at-signs': 'a@'.repeat(n / 2),
  dots: '1.'.repeat(n / 2),
  'key=': 'api_key='.repeat(n / 8),
  pem: `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(n)}`,
});
const linear: string[] = [];
for (const size of [5 * 1024, 20 * 1024, 1024 * 1024]) {
  for (const [name, text] of Object.entries(crafted(size))) {
    const us = timeUs(() => scanner.scan(text), size > 100_000 ? 5 : 50);
    linear.push(
      `| ${name} | ${size / 1024} KB | ${(us / 1000).toFixed(2)} ms | ${((us * 1000) / size).toFixed(1)} ns/char |`,
    );
  }
}

const md = [
  `Node ${process.version}, ${DEFAULT_DETECTORS.length} detectors in one RE2 set.`,
  '',
  '| measure | result | target |',
  '|---|---|---|',
  `| scan 4 KB prompt with one email (median) | ${scanOne.toFixed(1)} µs | ≤ 30 µs |`,
  `| scan 4 KB prompt with an email in every sentence, 30 in all (median) | ${scanWithPii.toFixed(1)} µs | — |`,
  `| scan 4 KB prompt without PII (median) | ${scanPlain.toFixed(1)} µs | ≤ 30 µs |`,
  `| streaming redaction, OpenAI chat SSE, 256-char deltas (${(bulkBytes / 1e6).toFixed(1)} MB) | ${mbps.toFixed(1)} MB/s | ≥ 50 MB/s |`,
  `| streaming redaction, same, an email in every sentence (PII-dense) | ${denseMbps.toFixed(1)} MB/s | — |`,
  `| added per SSE event, 5-char deltas (redacting, ${tokens.length} events) | ${usPerEvent.toFixed(2)} µs | ≤ 20 µs |`,
  `| added per SSE event (usage only, pass-through) | ${usPerEventUsage.toFixed(2)} µs | — |`,
  '',
  'Linear time on crafted inputs (scan time per character stays flat as size grows):',
  '',
  '| input | size | scan | per char |',
  '|---|---|---|---|',
  ...linear,
].join('\n');
console.log(md);
writeBenchSection(
  'pii',
  'PII and secret redaction',
  'node --conditions=dev-source --import tsx test/bench/pii.bench.ts',
  md,
);
