// Audit cost: per request through the pipeline, the chain's HMAC, verification throughput, and
// OpenTelemetry absent vs present. Variants run interleaved in one process; medians of rounds.
// Run: node --conditions=dev-source --import tsx test/bench/audit.bench.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  type AuditGuard,
  canonicalJson,
  createAuditChain,
  createAuditGuard,
  createAuditLog,
  createGuardPipeline,
  deriveAuditKeys,
  type Guard,
  type GuardPipeline,
  type GuardRequest,
  verifyAuditFiles,
} from '@llmguard/core';
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { median, writeBenchSection } from './report.js';

const KEY = 'bench-audit-key-0123456789abcdef0123456789';
const ROUNDS = 9;
const REQUESTS = 2000;
const dir = mkdtempSync(join(tmpdir(), 'llmguard-bench-audit-'));

const nullSink = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

const body = Buffer.from(
  JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Summarize the meeting notes, please.' }],
  }),
);
const request = (i: number): GuardRequest => ({
  method: 'POST',
  url: '/v1/chat/completions',
  header: (n) => (n === 'content-type' ? 'application/json' : n === 'x-user' ? `user-${i % 100}` : undefined),
  clientIp: '198.51.100.7',
  remoteAddress: '198.51.100.7',
  body: { kind: 'bytes', bytes: body },
});
// Stand-ins for the guards in front: a principal and one finding per request, as a real pipeline has.
const identity: Guard = {
  name: 'identity',
  phase: 'identity',
  onHeaders(ctx) {
    ctx.principal = {
      id: ctx.header('x-user') ?? 'anon',
      kind: 'api-key',
      tenant: 't1',
      roles: ['user'],
      scopes: [],
    };
  },
};
const pii: Guard = {
  name: 'pii',
  phase: 'pii',
  onBody(ctx) {
    ctx.findings.push({ guard: 'pii', kind: 'EMAIL', count: 1, action: 'mask', direction: 'request' });
    ctx.usage = { inputTokens: 42, outputTokens: 17 };
  },
};

async function perRequestMicros(pipeline: GuardPipeline): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const result = await pipeline.handle(request(i));
    if (result.ok) result.finish({ status: 200 });
  }
  return ((performance.now() - started) * 1000) / REQUESTS;
}

type Variant = { name: string; pipeline: () => GuardPipeline };
async function compare(variants: readonly Variant[]): Promise<Map<string, number>> {
  const built = variants.map((v) => ({ name: v.name, pipeline: v.pipeline() }));
  const samples = new Map<string, number[]>(built.map((v) => [v.name, []]));
  for (const v of built) await perRequestMicros(v.pipeline); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of built) samples.get(v.name)!.push(await perRequestMicros(v.pipeline));
  }
  return new Map([...samples].map(([name, s]) => [name, median(s)]));
}

const guardWith = (options: Parameters<typeof createAuditGuard>[0]): AuditGuard =>
  createAuditGuard({ key: KEY, flushOnExit: false, ...options });

// 1. Audit cost per request (OTel off), to a stream and to rotating files.
const auditCost = await compare([
  { name: 'no audit', pipeline: () => createGuardPipeline({ guards: [identity, pii] }) },
  {
    name: 'audit → stream',
    pipeline: () =>
      createGuardPipeline({ guards: [identity, pii, guardWith({ destination: nullSink(), otel: false })] }),
  },
  {
    name: 'audit → files',
    pipeline: () =>
      createGuardPipeline({
        guards: [identity, pii, guardWith({ destination: { dir: join(dir, 'files') }, otel: false })],
      }),
  },
]);

// 2. OpenTelemetry: off, API without SDK (no-op), then with the SDK registered.
const otelOff = await compare([
  {
    name: 'otel: false',
    pipeline: () =>
      createGuardPipeline({ guards: [identity, pii, guardWith({ destination: nullSink(), otel: false })] }),
  },
  {
    name: 'otel API, no SDK',
    pipeline: () => createGuardPipeline({ guards: [identity, pii, guardWith({ destination: nullSink() })] }),
  },
]);
await new Promise((resolve) => setTimeout(resolve, 50)); // let the dynamic import settle
const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
metrics.setGlobalMeterProvider(
  new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
        exportIntervalMillis: 3_600_000,
      }),
    ],
  }),
);
const withSdkGuard = guardWith({ destination: nullSink() });
await withSdkGuard.telemetry?.ready;
const otelOn = await compare([
  {
    name: 'otel: false ',
    pipeline: () =>
      createGuardPipeline({ guards: [identity, pii, guardWith({ destination: nullSink(), otel: false })] }),
  },
  {
    name: 'otel SDK (in-memory exporters)',
    pipeline: () => {
      spans.reset();
      return createGuardPipeline({ guards: [identity, pii, withSdkGuard] });
    },
  },
]);

// 3. The chain: canonical JSON, seal (canonical + HMAC-SHA256), and a full emit through pino.
const keys = deriveAuditKeys(KEY);
const sample = {
  requestId: 'r-0001',
  method: 'POST',
  route: '/v1/chat/completions',
  model: 'gpt-4o-mini',
  status: 200,
  outcome: 'allowed',
  guards: [
    { guard: 'identity', step: 'headers', outcome: 'pass', ms: 0.021 },
    { guard: 'pii', step: 'body', outcome: 'modify', ms: 0.3 },
  ],
  counts: { EMAIL: 1 },
};
function microsPer(n: number, fn: (i: number) => void): number {
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    samples.push(((performance.now() - started) * 1000) / n);
  }
  return median(samples);
}
const chain = createAuditChain(keys.chainKey, keys.keyId);
const canonicalUs = microsPer(20_000, () => canonicalJson(sample));
const sealUs = microsPer(20_000, () => chain.seal('request', sample));
const log = createAuditLog({ key: KEY, destination: nullSink(), flushOnExit: false });
const emitUs = microsPer(20_000, () => log.emit('request', sample));

// 4. Verification throughput on a 100,000-record file.
const big = join(dir, 'verify.jsonl');
const vchain = createAuditChain(keys.chainKey, keys.keyId);
const lines = [JSON.stringify({ audit: vchain.seal('audit.open', {}) })];
for (let i = 0; i < 100_000; i++)
  lines.push(JSON.stringify({ level: 30, audit: vchain.seal('request', sample) }));
lines.push(JSON.stringify({ audit: vchain.seal('audit.close', {}) }));
writeFileSync(big, lines.join('\n') + '\n');
const verifyStarted = performance.now();
const verified = await verifyAuditFiles([big], { keys: [KEY] });
const verifyMs = performance.now() - verifyStarted;
if (!verified.ok) throw new Error('bench log did not verify');

rmSync(dir, { recursive: true, force: true });

const fmt = (n: number): string => n.toFixed(1);
const base = auditCost.get('no audit')!;
const off = otelOff.get('otel: false')!;
const noSdk = otelOff.get('otel API, no SDK')!;
const off2 = otelOn.get('otel: false ')!;
const sdk = otelOn.get('otel SDK (in-memory exporters)')!;
const markdown = `
Pipeline with two stand-in guards (a principal, one finding, usage), ${REQUESTS} sequential requests per
round, median of ${ROUNDS} rounds, variants interleaved.

| variant | µs / request | audit cost µs | ratio to no audit |
|---|---:|---:|---:|
| no audit | ${fmt(base)} | — | 1.00 |
| audit → stream (OTel off) | ${fmt(auditCost.get('audit → stream')!)} | ${fmt(auditCost.get('audit → stream')! - base)} | ${(auditCost.get('audit → stream')! / base).toFixed(2)} |
| audit → rotating files (OTel off) | ${fmt(auditCost.get('audit → files')!)} | ${fmt(auditCost.get('audit → files')! - base)} | ${(auditCost.get('audit → files')! / base).toFixed(2)} |

OpenTelemetry (audit → stream):

| variant | µs / request | ratio |
|---|---:|---:|
| \`otel: false\` | ${fmt(off)} | 1.00 |
| API installed, no SDK registered (no-op tracer/meter) | ${fmt(noSdk)} | ${(noSdk / off).toFixed(2)} |
| \`otel: false\` (second run, after SDK registration) | ${fmt(off2)} | 1.00 |
| SDK registered, in-memory span and metric exporters | ${fmt(sdk)} | ${(sdk / off2).toFixed(2)} |

When \`@opentelemetry/api\` is not installed the guard takes the \`otel: false\` path (nothing is
imported, nothing runs per request), so "absent" costs exactly the \`otel: false\` row. With the API
but no SDK, metrics are skipped and one non-recording span is created per request: the ratio is
within run-to-run noise.

Chain primitives (one request record, ~300 bytes canonical):

| operation | µs |
|---|---:|
| canonical JSON | ${fmt(canonicalUs)} |
| seal (canonical JSON + HMAC-SHA256) | ${fmt(sealUs)} |
| full emit (seal + pino + destination) | ${fmt(emitUs)} |

\`audit verify\`: 100,002 records in ${(verifyMs / 1000).toFixed(2)} s (${Math.round(100_002 / (verifyMs / 1000)).toLocaleString('en-US')} records/s).
`;
console.log(markdown);
writeBenchSection(
  'audit',
  'Audit trail',
  'node --conditions=dev-source --import tsx test/bench/audit.bench.ts',
  markdown,
);
await log.close();
process.exit(0);
