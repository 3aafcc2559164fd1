import { z } from 'zod';
import { type AuditGuardOptions, createAuditGuard } from './audit/audit-guard.js';
import type { BodyLimits } from './body/parse-json.js';
import { createIdentityGuard, type IdentityGuardOptions } from './identity/identity-guard.js';
import { createInjectionGuard, type InjectionGuardOptions } from './injection/guard/injection-guard.js';
import type { LimitsOptions } from './limits/limits-options.js';
import { presetLimits } from './limits/preset-limits.js';
import { parseOptions } from './options/parse-options.js';
import { createPiiGuard, type PiiGuardOptions } from './pii/pii-guard.js';
import type { Guard } from './pipeline/guard.js';
import { createGuardPipeline, type GuardPipeline } from './pipeline/pipeline.js';
import type { PromptExtractor } from './prompt/types.js';
import { createRequestValidator, type RequestValidatorOptions } from './validation/request-validator.js';

/**
 * Options of the `llmGuard()` preset. Every group can be tuned, or switched off with `false`.
 * Groups that need no configuration are on by default; identity turns on when keys or issuers are set.
 */
export interface LlmGuardOptions {
  /** Body caps. Defaults: `maxBytes` 1 MiB, `maxDepth` 64, `maxKeys` 10,000. */
  readonly body?: Partial<BodyLimits>;
  /** Custom prompt extractor, tried before the built-in dialects. */
  readonly extractor?: PromptExtractor;
  /** Request validation (on by default). */
  readonly validation?: RequestValidatorOptions | false;
  /** API keys, JWT/OIDC, route protection and RBAC: on when `apiKeys` or `jwt` is set; `false` switches it off. */
  readonly identity?: IdentityGuardOptions | false;
  /** Rate limits, concurrency, budgets, loop breaker (on by default, in memory); `false` switches them off. */
  readonly limits?: LimitsOptions | false;
  /** Tamper-evident audit trail (on by default, to stdout; pass `destination` for a file or stream); `false` switches it off. */
  readonly audit?: AuditGuardOptions | false;
  /** PII and secret redaction, both directions (on by default: secrets block, personal data masked); `false` switches it off. */
  readonly pii?: PiiGuardOptions | false;
  /** Prompt-injection and jailbreak scoring (on by default, shipped thresholds); `false` switches it off. */
  readonly injection?: InjectionGuardOptions | false;
  /** Extra guards of your own; they run in the phase they declare. */
  readonly guards?: readonly Guard[];
}

const presetSchema = z.strictObject({
  body: z
    .strictObject({
      maxBytes: z.number().int().positive().optional(),
      maxDepth: z.number().int().positive().max(10_000).optional(),
      maxKeys: z.number().int().positive().optional(),
    })
    .optional(),
  extractor: z.function().optional(),
  validation: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
  identity: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
  limits: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
  audit: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
  pii: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
  injection: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
  guards: z.array(z.custom<Guard>((g) => typeof g === 'object' && g !== null && 'name' in g)).optional(),
});

/**
 * Builds the guard pipeline with safe defaults: the request validator first, then each guard group
 * that is on. Adapters call this; tests and other runtimes can call it directly.
 *
 * @example
 * const pipeline = createLlmGuard({ validation: { maxMessages: 50 } });
 */
export function createLlmGuard(options: LlmGuardOptions = {}): GuardPipeline {
  parseOptions(presetSchema, options, '');
  const guards: Guard[] = [];
  if (options.validation !== false) guards.push(createRequestValidator(options.validation ?? {}));
  // An identity object without apiKeys or jwt is a startup error (from the factory), never silently open.
  if (options.identity !== undefined && options.identity !== false) {
    guards.push(createIdentityGuard(options.identity));
  }
  const limits = presetLimits(options.limits);
  if (limits.guard) guards.push(limits.guard);
  if (options.injection !== false) guards.push(createInjectionGuard(options.injection ?? {}));
  if (options.pii !== false) guards.push(createPiiGuard(options.pii ?? {}));
  guards.push(...(options.guards ?? []));
  // LLMGUARD_AUDIT=off turns off the default (unconfigured) audit group, e.g. in test runs.
  if (options.audit !== false && (options.audit !== undefined || process.env.LLMGUARD_AUDIT !== 'off')) {
    const audit = createAuditGuard(options.audit ?? {});
    guards.push(audit);
    audit.recordConfigLoad(guards);
  }
  return createGuardPipeline({
    guards,
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.extractor === undefined ? {} : { extractor: options.extractor }),
    ...(limits.resolveClientIp === undefined ? {} : { resolveClientIp: limits.resolveClientIp }),
  });
}
