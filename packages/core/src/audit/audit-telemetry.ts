import { createRequire } from 'node:module';
import type { Attributes, Context, Counter, Histogram, Meter, Tracer } from '@opentelemetry/api';
import type { Finding, GuardDecision, TokenUsage } from '../context/findings.js';

type OtelApi = typeof import('@opentelemetry/api');

/**
 * Metric and span names, documented in docs/audit.md. Attributes never carry principals, prompt
 * text or request ids on metrics (cardinality and privacy); spans carry the request id.
 */
export const OTEL_NAMES = {
  tracer: 'llmguard',
  meter: 'llmguard',
  requestSpan: 'llmguard.request',
  /** Span per guard step: `llmguard.guard <guard name>`. */
  guardSpanPrefix: 'llmguard.guard ',
  requests: 'llmguard.requests',
  decisions: 'llmguard.decisions',
  requestDuration: 'llmguard.request.duration',
  guardDuration: 'llmguard.guard.duration',
  tokens: 'llmguard.tokens',
  cost: 'llmguard.cost',
  redactions: 'llmguard.redactions',
} as const;

/** Whether `@opentelemetry/api` can be loaded at all; checked once, synchronously, without loading it. */
export function isOpenTelemetryInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@opentelemetry/api');
    return true;
  } catch {
    return false;
  }
}

interface Instruments {
  readonly api: OtelApi;
  /** False when no meter provider was registered: the instruments are no-ops, skip the work. */
  readonly metricsActive: boolean;
  readonly tracer: Tracer;
  readonly requests: Counter;
  readonly decisions: Counter;
  readonly requestDuration: Histogram;
  readonly guardDuration: Histogram;
  readonly tokens: Counter;
  readonly cost: Counter;
  readonly redactions: Counter;
}

function createInstruments(api: OtelApi): Instruments {
  const meter: Meter = api.metrics.getMeter(OTEL_NAMES.meter);
  const requests = meter.createCounter(OTEL_NAMES.requests, {
    description: 'Requests seen by llmguard, by outcome (allowed, refused, aborted) and code',
    unit: '{request}',
  });
  // The metrics API has no late-binding proxy: a meter taken before any provider is registered
  // stays a no-op for good, so comparing with the no-op counter's class is a stable test.
  const noopCounter = api.createNoopMeter().createCounter('noop');
  return {
    api,
    metricsActive: requests.constructor !== noopCounter.constructor,
    tracer: api.trace.getTracer(OTEL_NAMES.tracer),
    requests,
    decisions: meter.createCounter(OTEL_NAMES.decisions, {
      description: 'Guard step decisions, by guard, step and outcome',
      unit: '{decision}',
    }),
    requestDuration: meter.createHistogram(OTEL_NAMES.requestDuration, {
      description: 'Time from request start to the end of the answer',
      unit: 'ms',
    }),
    guardDuration: meter.createHistogram(OTEL_NAMES.guardDuration, {
      description: 'Time spent in one guard step',
      unit: 'ms',
    }),
    tokens: meter.createCounter(OTEL_NAMES.tokens, {
      description: 'Tokens reported by the answers, by type (input, output) and model',
      unit: '{token}',
    }),
    cost: meter.createCounter(OTEL_NAMES.cost, { description: 'Estimated cost of the answers', unit: 'USD' }),
    redactions: meter.createCounter(OTEL_NAMES.redactions, {
      description: 'Sensitive values redacted, by type, action and direction',
      unit: '{value}',
    }),
  };
}

/** What the telemetry needs about one finished request. */
export interface TelemetryRequest {
  readonly requestId: string;
  readonly method: string;
  readonly route: string;
  readonly model: string | undefined;
  readonly status: number;
  readonly outcome: 'allowed' | 'refused' | 'aborted';
  readonly code: string | undefined;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly decisions: readonly GuardDecision[];
  readonly findings: readonly Finding[];
  readonly usage: TokenUsage | undefined;
  readonly costUsd: number | undefined;
}

/** OpenTelemetry bridge; inert until the API module is loaded, and never loaded when absent. */
export interface AuditTelemetry {
  /** Resolves once the API is loaded (or known to be absent). */
  readonly ready: Promise<boolean>;
  readonly active: boolean;
  record(request: TelemetryRequest): void;
}

const epoch = (perf: number): number => performance.timeOrigin + perf;

/**
 * Loads `@opentelemetry/api` with a dynamic import (an optional peer dependency) and records spans
 * and metrics per request. Without the package nothing is imported and nothing runs.
 *
 * @example
 * const telemetry = createAuditTelemetry();
 * await telemetry.ready;
 */
export function createAuditTelemetry(): AuditTelemetry {
  let instruments: Instruments | undefined;
  const ready = import('@opentelemetry/api').then(
    (api) => {
      instruments = createInstruments(api);
      return true;
    },
    () => false,
  );
  return {
    ready,
    get active() {
      return instruments !== undefined;
    },
    record(request: TelemetryRequest): void {
      const o = instruments;
      if (o === undefined) return;
      if (o.metricsActive) recordMetrics(o, request);
      recordSpans(o, request);
    },
  };
}

function recordMetrics(o: Instruments, request: TelemetryRequest): void {
  const attrs: Attributes = { 'llmguard.outcome': request.outcome };
  if (request.code !== undefined) attrs['llmguard.code'] = request.code;
  o.requests.add(1, attrs);
  o.requestDuration.record(request.endedAt - request.startedAt, { 'llmguard.outcome': request.outcome });
  for (const d of request.decisions) {
    o.decisions.add(1, {
      'llmguard.guard': d.guard,
      'llmguard.step': d.step,
      'llmguard.outcome': d.outcome,
    });
    o.guardDuration.record(d.durationMs, { 'llmguard.guard': d.guard, 'llmguard.step': d.step });
  }
  if (request.usage !== undefined) {
    const model = request.model ?? 'unknown';
    o.tokens.add(request.usage.inputTokens, { 'llmguard.token.type': 'input', 'llmguard.model': model });
    o.tokens.add(request.usage.outputTokens, {
      'llmguard.token.type': 'output',
      'llmguard.model': model,
    });
  }
  if (request.costUsd !== undefined && request.costUsd > 0) {
    o.cost.add(request.costUsd, { 'llmguard.model': request.model ?? 'unknown' });
  }
  for (const f of request.findings) {
    if (f.action === 'mask' || f.action === 'hash' || f.action === 'pseudonymize') {
      o.redactions.add(f.count ?? 1, {
        'llmguard.finding.kind': f.kind,
        'llmguard.action': f.action,
        'llmguard.direction': f.direction ?? 'request',
      });
    }
  }
}

function recordSpans(o: Instruments, request: TelemetryRequest): void {
  const { api, tracer } = o;
  // The context active when the request finishes is the host's request context (its HTTP span).
  const parent: Context = api.context.active();
  const span = tracer.startSpan(
    OTEL_NAMES.requestSpan,
    {
      kind: api.SpanKind.INTERNAL,
      startTime: epoch(request.startedAt),
      attributes: {
        'llmguard.request_id': request.requestId,
        'http.request.method': request.method,
        'http.route': request.route,
        'http.response.status_code': request.status,
        'llmguard.outcome': request.outcome,
        ...(request.code === undefined ? {} : { 'llmguard.code': request.code }),
        ...(request.model === undefined ? {} : { 'gen_ai.request.model': request.model }),
        ...(request.usage === undefined
          ? {}
          : {
              'gen_ai.usage.input_tokens': request.usage.inputTokens,
              'gen_ai.usage.output_tokens': request.usage.outputTokens,
            }),
      },
    },
    parent,
  );
  // No SDK registered: the tracer hands out non-recording spans; skip the children entirely.
  if (!span.isRecording()) return;
  const child = api.trace.setSpan(parent, span);
  let cursor = request.startedAt;
  for (const d of request.decisions) {
    // The pipeline stamps each step's start; without it, steps are laid end to end.
    const start = d.startedAt ?? cursor;
    cursor = start + d.durationMs;
    const guardSpan = tracer.startSpan(
      OTEL_NAMES.guardSpanPrefix + d.guard,
      {
        startTime: epoch(start),
        attributes: {
          'llmguard.guard': d.guard,
          'llmguard.step': d.step,
          'llmguard.outcome': d.outcome,
          ...(d.code === undefined ? {} : { 'llmguard.code': d.code }),
        },
      },
      child,
    );
    if (d.outcome === 'fail-closed') {
      guardSpan.setStatus({ code: api.SpanStatusCode.ERROR, message: d.code ?? 'fail-closed' });
    }
    guardSpan.end(epoch(cursor));
  }
  if (request.status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
  span.end(epoch(request.endedAt));
}
