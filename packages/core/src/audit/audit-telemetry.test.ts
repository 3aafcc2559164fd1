import { Writable } from 'node:stream';
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuardContext } from '../context/guard-context.js';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import type { Guard, StepResult } from '../pipeline/guard.js';
import { createGuardPipeline } from '../pipeline/pipeline.js';
import type { GuardRequest } from '../pipeline/request.js';
import { createAuditGuard } from './audit-guard.js';
import { OTEL_NAMES } from './audit-telemetry.js';

const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const meterProvider = new MeterProvider({ readers: [reader] });

beforeAll(() => {
  // The SDK is registered before the guard is built: metrics have no late-binding proxy.
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
});
afterAll(async () => {
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
  trace.disable();
  metrics.disable();
});

const nullSink = new Writable({ write: (_c, _e, cb) => cb() });

const identity: Guard = {
  name: 'identity',
  phase: 'identity',
  onHeaders(ctx: GuardContext) {
    ctx.principal = { id: 'u1', kind: 'api-key', tenant: undefined, roles: [], scopes: [] };
  },
};
const pii: Guard = {
  name: 'pii',
  phase: 'pii',
  async onBody(ctx: GuardContext): Promise<StepResult> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const text = ctx.prompt?.segments[0]?.text ?? '';
    if (text === 'block') throw new LlmGuardError('ERR_LLMGUARD_SENSITIVE_DATA');
    ctx.findings.push({ guard: 'pii', kind: 'EMAIL', count: 2, action: 'mask', direction: 'request' });
    ctx.usage = { inputTokens: 100, outputTokens: 40 };
    return 'modify';
  },
};

const request = (text: string): GuardRequest => ({
  method: 'POST',
  url: '/v1/chat/completions',
  header: (n) => (n === 'content-type' ? 'application/json' : undefined),
  clientIp: '127.0.0.1',
  remoteAddress: '127.0.0.1',
  body: {
    kind: 'bytes',
    bytes: Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] })),
  },
});

describe('OpenTelemetry', () => {
  it('records a request span with a child span per guard step, with real durations', async () => {
    const audit = createAuditGuard({ destination: nullSink, flushOnExit: false });
    expect(await audit.telemetry?.ready).toBe(true);
    const pipeline = createGuardPipeline({ guards: [identity, pii, audit] });
    const pass = await pipeline.handle(request('hello'));
    if (pass.ok) pass.finish({ status: 200 });
    await pipeline.handle(request('block'));

    const finished = spans.getFinishedSpans();
    const roots = finished.filter((s) => s.name === OTEL_NAMES.requestSpan);
    expect(roots).toHaveLength(2);
    expect(roots[0]!.attributes).toMatchObject({
      'llmguard.outcome': 'allowed',
      'http.route': '/v1/chat/completions',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 100,
    });
    expect(roots[1]!.attributes).toMatchObject({
      'llmguard.outcome': 'refused',
      'llmguard.code': 'ERR_LLMGUARD_SENSITIVE_DATA',
    });
    const children = finished.filter((s) => s.parentSpanContext?.spanId === roots[0]!.spanContext().spanId);
    expect(children.map((s) => s.name).sort()).toEqual(['llmguard.guard identity', 'llmguard.guard pii']);
    const piiSpan = children.find((s) => s.name === 'llmguard.guard pii')!;
    const ms = piiSpan.duration[0] * 1000 + piiSpan.duration[1] / 1e6;
    expect(ms).toBeGreaterThanOrEqual(4);
    expect(piiSpan.attributes).toMatchObject({
      'llmguard.guard': 'pii',
      'llmguard.step': 'body',
      'llmguard.outcome': 'modify',
    });
    // No principal or prompt text on spans.
    expect(JSON.stringify(finished.map((s) => s.attributes))).not.toContain('u1');
  });

  it('exports the documented metrics', async () => {
    await reader.forceFlush();
    const exported = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const byName = new Map(exported.map((m) => [m.descriptor.name, m]));
    for (const name of [
      OTEL_NAMES.requests,
      OTEL_NAMES.decisions,
      OTEL_NAMES.requestDuration,
      OTEL_NAMES.guardDuration,
      OTEL_NAMES.tokens,
      OTEL_NAMES.redactions,
    ]) {
      expect(byName.has(name), name).toBe(true);
    }
    const requests = byName.get('llmguard.requests')!.dataPoints;
    expect(requests.map((p) => [p.attributes['llmguard.outcome'], p.value]).sort()).toEqual([
      ['allowed', 1],
      ['refused', 1],
    ]);
    const tokens = byName
      .get('llmguard.tokens')!
      .dataPoints.map((p) => [p.attributes['llmguard.token.type'], p.value]);
    expect(tokens.sort()).toEqual([
      ['input', 100],
      ['output', 40],
    ]);
    expect(byName.get('llmguard.redactions')!.dataPoints[0]).toMatchObject({
      value: 2,
      attributes: { 'llmguard.finding.kind': 'EMAIL', 'llmguard.action': 'mask' },
    });
    expect(byName.get('llmguard.guard.duration')!.descriptor.unit).toBe('ms');
  });

  it('otel: false records nothing', async () => {
    spans.reset();
    const audit = createAuditGuard({ destination: nullSink, flushOnExit: false, otel: false });
    expect(audit.telemetry).toBeUndefined();
    const pipeline = createGuardPipeline({ guards: [identity, audit] });
    const pass = await pipeline.handle(request('hello'));
    if (pass.ok) pass.finish({ status: 200 });
    expect(spans.getFinishedSpans()).toHaveLength(0);
  });
});
