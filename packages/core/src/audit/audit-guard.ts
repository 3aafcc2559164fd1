import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { GuardContext } from '../context/guard-context.js';
import type { LlmGuardErrorCode } from '../errors/codes.js';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import { costMicros, type PriceTable, priceFor } from '../limits/usage-cost.js';
import { parseOptions } from '../options/parse-options.js';
import type { Guard, RequestOutcome } from '../pipeline/guard.js';
import type { AlertRule } from './alerts/alert-rules.js';
import { createAlertEvaluator } from './alerts/alert-rules.js';
import { createWebhookSender, type WebhookOptions, type WebhookSender } from './alerts/webhook-sender.js';
import type { AuditFields, AuditValue } from './audit-chain.js';
import { takeAuditEvents } from './audit-events.js';
import { type AuditLog, type AuditLogOptions, createAuditLog } from './audit-log.js';
import { type AuditTelemetry, createAuditTelemetry, isOpenTelemetryInstalled } from './audit-telemetry.js';
import { roundMs, routeShape, safeToken } from './safe-values.js';

export interface AuditAlertsOptions {
  readonly rules: readonly AlertRule[];
  readonly webhooks: readonly WebhookOptions[];
}

export interface AuditGuardOptions extends AuditLogOptions {
  /** Share an existing log instead of creating one (then leave the log options out). */
  readonly log?: AuditLog;
  /** How the principal appears: keyed pseudonym (default), `raw` id, or `omit`. */
  readonly principal?: 'pseudonymize' | 'raw' | 'omit';
  /** How the client address appears: keyed pseudonym (default), `raw`, or `omit`. */
  readonly clientIp?: 'pseudonymize' | 'raw' | 'omit';
  /**
   * Prompt text in the record. Default `omit`. `hash`: a keyed hash of the whole prompt (equal
   * prompts, equal hashes). `redacted`: the prompt text as it left the guards (after PII
   * redaction), at most 4,000 characters — only as safe as the redaction rules in front of it.
   */
  readonly prompt?: 'omit' | 'hash' | 'redacted';
  /**
   * USD per million tokens by model name (`prefix*` globs and `*` as fallback, as in `limits`).
   * Adds `usage.costUsd` to records. Default: no cost.
   */
  readonly pricing?: PriceTable;
  /** Spans and metrics through `@opentelemetry/api` when it is installed. Default `true`. */
  readonly otel?: boolean;
  /** Webhook alerts for chosen events. Default: none. */
  readonly alerts?: AuditAlertsOptions;
}

/** The audit guard, with its log and hooks for the preset. */
export interface AuditGuard extends Guard {
  readonly log: AuditLog;
  readonly telemetry: AuditTelemetry | undefined;
  /** Writes a `config.load` event naming the guards that are on (names and phases only). */
  recordConfigLoad(guards: readonly Guard[]): void;
  /** Resolves when every alert delivery started so far has finished. */
  settleAlerts(): Promise<void>;
}

const secret = z.union([z.string(), z.instanceof(Uint8Array)]);
const price = z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative() });
const ruleSchema = z.strictObject({
  id: z.string().min(1).max(64),
  match: z.strictObject({
    type: z.string().max(64).optional(),
    code: z.string().max(64).optional(),
    findingKind: z.string().max(64).optional(),
    outcome: z.enum(['allowed', 'refused', 'aborted']).optional(),
  }),
  threshold: z.number().int().positive().optional(),
  windowMs: z.number().int().positive().optional(),
  per: z.enum(['principal', 'client', 'global']).optional(),
});
const webhookSchema = z.strictObject({
  url: z.string(),
  secret: z.string(),
  timeoutMs: z.number().int().positive().max(60_000).optional(),
  retries: z.number().int().min(0).max(10).optional(),
  backoffMs: z.number().int().min(0).optional(),
  allow: z
    .strictObject({
      loopback: z.boolean().optional(),
      private: z.boolean().optional(),
      linkLocal: z.boolean().optional(),
      ipv4Mapped: z.boolean().optional(),
    })
    .optional(),
  resolver: z.function().optional(),
});

/** zod schema of `AuditGuardOptions` (the preset embeds it). */
export const auditOptionsSchema = z.strictObject({
  key: secret.optional(),
  keyId: z.string().min(1).max(64).optional(),
  pseudonymKey: secret.optional(),
  logger: z.custom((v) => typeof v === 'object' && v !== null && 'info' in v).optional(),
  destination: z
    .union([
      z.enum(['stdout', 'stderr']),
      z.strictObject({
        dir: z.string().min(1),
        prefix: z.string().min(1).max(64).optional(),
        maxFileBytes: z.number().int().positive().optional(),
        rotateEveryMs: z.number().int().positive().optional(),
      }),
      z.custom((v) => typeof v === 'object' && v !== null && 'write' in v),
    ])
    .optional(),
  overflow: z.enum(['block', 'drop']).optional(),
  maxBufferBytes: z.number().int().positive().optional(),
  flushOnExit: z.boolean().optional(),
  log: z.custom((v) => typeof v === 'object' && v !== null && 'emit' in v).optional(),
  principal: z.enum(['pseudonymize', 'raw', 'omit']).optional(),
  clientIp: z.enum(['pseudonymize', 'raw', 'omit']).optional(),
  prompt: z.enum(['omit', 'hash', 'redacted']).optional(),
  pricing: z.record(z.string(), price).optional(),
  otel: z.boolean().optional(),
  alerts: z.strictObject({ rules: z.array(ruleSchema), webhooks: z.array(webhookSchema) }).optional(),
});

const AUTH_CODES: ReadonlySet<LlmGuardErrorCode> = new Set([
  'ERR_LLMGUARD_UNAUTHENTICATED',
  'ERR_LLMGUARD_INVALID_CREDENTIALS',
  'ERR_LLMGUARD_FORBIDDEN',
  'ERR_LLMGUARD_POLICY_VIOLATION',
]);
const LIMIT_CODES: ReadonlySet<LlmGuardErrorCode> = new Set([
  'ERR_LLMGUARD_QUOTA_EXCEEDED',
  'ERR_LLMGUARD_BUDGET_EXCEEDED',
  'ERR_LLMGUARD_LOOP_DETECTED',
]);

const GUARD_NAME = 'audit';
const PROMPT_CHARS = 4000;

/**
 * The audit guard: one tamper-evident record per request from `onFinish` (request id, time,
 * pseudonymous principal, route shape, model, each guard's decision, code and latency, finding
 * kinds, rule ids and counts, token usage and cost), plus `auth.failure`, `limit.violation`,
 * `policy.fail-open` / `policy.fail-closed` and custom events. Never prompt or answer text, matched
 * values, keys or tokens.
 *
 * @example
 * const audit = createAuditGuard({ key: process.env.LLMGUARD_AUDIT_KEY, destination: { dir: './audit' } });
 * const pipeline = createGuardPipeline({ guards: [validator, audit] });
 */
export function createAuditGuard(options: AuditGuardOptions = {}): AuditGuard {
  parseOptions(auditOptionsSchema, options, 'audit');
  const exclusive = (a: string, b: string): never => {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
      detail: `Invalid option "audit.${a}": it cannot be combined with "audit.${b}".`,
    });
  };
  if (options.logger !== undefined && options.destination !== undefined) exclusive('logger', 'destination');
  if (options.log !== undefined) {
    for (const name of [
      'key',
      'keyId',
      'pseudonymKey',
      'logger',
      'destination',
      'overflow',
      'maxBufferBytes',
    ] as const) {
      if (options[name] !== undefined) exclusive('log', name);
    }
  }
  const { log: shared, principal = 'pseudonymize', clientIp = 'pseudonymize', prompt = 'omit' } = options;
  const log = shared ?? createAuditLog(options);
  const pricing = options.pricing;
  const telemetry = options.otel !== false && isOpenTelemetryInstalled() ? createAuditTelemetry() : undefined;
  const evaluator = options.alerts === undefined ? undefined : createAlertEvaluator(options.alerts.rules);
  const webhooks: WebhookSender[] = (options.alerts?.webhooks ?? []).map((w) => createWebhookSender(w));
  const deliveries = new Set<Promise<void>>();
  const routes = new LRUCache<string, string>({ max: 1000 });
  // Principals and clients repeat: one HMAC per distinct subject, not per request.
  const pseudonyms = new LRUCache<string, string>({ max: 10_000 });
  const pseudonymOf = (id: string, tenant: string | undefined): string => {
    const cacheKey = `${tenant ?? ''}\0${id}`;
    let value = pseudonyms.get(cacheKey);
    if (value === undefined) {
      value = log.pseudonymize(id, tenant);
      pseudonyms.set(cacheKey, value);
    }
    return value;
  };

  const principalField = (ctx: GuardContext): AuditFields | undefined => {
    const p = ctx.principal;
    if (p === undefined || principal === 'omit') return undefined;
    return {
      id: principal === 'raw' ? p.id : pseudonymOf(p.id, p.tenant),
      kind: p.kind,
      tenant: safeToken(p.tenant, 64),
      roles: p.roles.map((r) => safeToken(r, 64) ?? '*').slice(0, 16),
    };
  };
  const clientField = (ctx: GuardContext): string | undefined => {
    if (ctx.clientIp === undefined || clientIp === 'omit') return undefined;
    return clientIp === 'raw' ? ctx.clientIp : pseudonymOf(ctx.clientIp, '\0ip');
  };

  const deliver = (alert: AuditFields): void => {
    for (const hook of webhooks) {
      const pending = hook.send(alert).then((delivery) => {
        log.emit(delivery.ok ? 'alert.sent' : 'alert.failed', {
          alertId: alert.id as string,
          rule: alert.rule as string,
          webhook: hook.origin,
          attempts: delivery.attempts,
          status: delivery.status,
          error: delivery.error,
        });
      });
      deliveries.add(pending);
      void pending.finally(() => deliveries.delete(pending));
    }
  };

  const emit = (
    type: string,
    fields: AuditFields,
    ctx: GuardContext,
    outcome: RequestOutcome,
    subject: { principal: string | undefined; client: string | undefined },
  ): void => {
    log.emit(type, fields);
    if (evaluator === undefined) return;
    const fired = evaluator.observe({
      type,
      requestId: ctx.requestId,
      code: outcome.error?.code,
      outcome: fields.outcome as string | undefined,
      findingKinds: ctx.findings.map((f) => f.kind),
      principal: subject.principal,
      client: subject.client,
    });
    for (const alert of fired) {
      const payload: AuditFields = {
        type: 'llmguard.alert',
        id: randomUUID(),
        ts: new Date().toISOString(),
        rule: alert.rule,
        subject: alert.subject,
        count: alert.count,
        windowMs: alert.windowMs,
        requestIds: alert.requestIds,
      };
      log.emit('alert.fired', payload);
      deliver(payload);
    }
  };

  function finishAudit(ctx: GuardContext, outcome: RequestOutcome): void {
    const ended = performance.now();
    const decisions = ctx.decisions.filter((d) => d.guard !== GUARD_NAME);
    const model = safeToken(ctx.model, 100);
    let route = routes.get(ctx.path);
    if (route === undefined) {
      route = routeShape(ctx.path);
      routes.set(ctx.path, route);
    }
    const who = principalField(ctx);
    const client = clientField(ctx);
    const status: 'allowed' | 'refused' | 'aborted' =
      outcome.error !== undefined ? 'refused' : outcome.aborted ? 'aborted' : 'allowed';
    const code = outcome.error?.code;

    const counts: Record<string, number> = {};
    const findings: AuditValue[] = [];
    for (const f of ctx.findings.slice(0, 64)) {
      const kind = safeToken(f.kind, 64) ?? 'invalid';
      counts[kind] = (counts[kind] ?? 0) + (f.count ?? 1);
      findings.push({
        guard: safeToken(f.guard, 64) ?? 'invalid',
        kind,
        count: f.count,
        action: f.action,
        direction: f.direction,
        role: safeToken(f.role, 32),
        score: f.score === undefined ? undefined : Math.round(f.score * 1000) / 1000,
        ruleIds: f.ruleIds?.slice(0, 16).map((r) => safeToken(r, 64) ?? 'invalid'),
      });
    }

    let usage: AuditFields | undefined;
    let costUsd: number | undefined;
    if (ctx.usage !== undefined) {
      const p = pricing === undefined ? undefined : priceFor(pricing, model);
      if (p !== undefined) costUsd = costMicros(ctx.usage, p) / 1e6;
      usage = { inputTokens: ctx.usage.inputTokens, outputTokens: ctx.usage.outputTokens, costUsd };
    }

    let promptField: string | undefined;
    if (prompt !== 'omit' && ctx.prompt !== undefined && ctx.prompt.segments.length > 0) {
      const text = ctx.prompt.segments.map((s) => `${s.role}: ${s.text}`).join('\n');
      promptField = prompt === 'hash' ? log.hashText(text) : text.slice(0, PROMPT_CHARS);
    }

    const subject = { principal: who?.id as string | undefined, client };
    emit(
      'request',
      {
        requestId: ctx.requestId,
        method: ctx.method,
        route,
        model,
        principal: who,
        client,
        status: outcome.status,
        outcome: status,
        code,
        durationMs: roundMs(outcome.durationMs),
        guards: decisions.map((d) => ({
          guard: d.guard,
          step: d.step,
          outcome: d.outcome,
          code: d.code,
          ms: roundMs(d.durationMs),
        })),
        findings,
        counts,
        usage,
        prompt: promptField,
      },
      ctx,
      outcome,
      subject,
    );
    const base = { requestId: ctx.requestId, route, principal: who?.id as string | undefined, client };
    if (code !== undefined && AUTH_CODES.has(code))
      emit('auth.failure', { ...base, code }, ctx, outcome, subject);
    if (code !== undefined && LIMIT_CODES.has(code))
      emit('limit.violation', { ...base, code }, ctx, outcome, subject);
    for (const d of decisions) {
      if (d.outcome === 'fail-open' || d.outcome === 'fail-closed') {
        emit(
          `policy.${d.outcome}`,
          { ...base, guard: d.guard, step: d.step, code: d.code },
          ctx,
          outcome,
          subject,
        );
      }
    }
    for (const event of takeAuditEvents(ctx)) {
      emit(event.type, { ...event.fields, ...base }, ctx, outcome, subject);
    }

    if (telemetry?.active) {
      telemetry.record({
        requestId: ctx.requestId,
        method: ctx.method,
        route,
        model,
        status: outcome.status,
        outcome: status,
        code,
        startedAt: ctx.startedAt,
        endedAt: ended,
        decisions,
        findings: ctx.findings,
        usage: ctx.usage,
        costUsd,
      });
    }
  }

  const guard: AuditGuard = {
    name: GUARD_NAME,
    phase: 'audit',
    log,
    telemetry,
    onFinish: function auditFinish(ctx: GuardContext, outcome: RequestOutcome): void {
      try {
        finishAudit(ctx, outcome);
      } catch {
        // onFinish must not throw; an `audit.error` record keeps the request visible in the log.
        log.emit('audit.error', { requestId: ctx.requestId });
      }
    },
    recordConfigLoad(guards: readonly Guard[]): void {
      log.emit('config.load', {
        guards: guards.map((g) => ({ name: safeToken(g.name, 64) ?? 'custom', phase: g.phase })),
        principal,
        clientIp,
        prompt,
        otel: telemetry !== undefined,
        alertRules: options.alerts?.rules.length ?? 0,
      });
    },
    async settleAlerts(): Promise<void> {
      while (deliveries.size > 0) await Promise.all([...deliveries]);
    },
  };
  return guard;
}
