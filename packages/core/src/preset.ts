import { z } from 'zod';
import type { BodyLimits } from './body/parse-json.js';
import { parseOptions } from './options/parse-options.js';
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
  guards.push(...(options.guards ?? []));
  return createGuardPipeline({
    guards,
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.extractor === undefined ? {} : { extractor: options.extractor }),
  });
}
