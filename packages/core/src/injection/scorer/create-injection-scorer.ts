import { z } from 'zod';
import { LlmGuardError } from '../../errors/llm-guard-error.js';
import { parseOptions } from '../../options/parse-options.js';
import { INJECTION_DEFAULTS } from '../defaults.js';
import { defaultInjectionModel } from '../model/default-model.js';
import { BUILTIN_RULES } from '../rules/builtin-rules.js';
import { compileRules } from '../rules/rule-engine.js';
import type { InjectionRule } from '../rules/types.js';
import { buildInjectionScorer, type InjectionScorer } from './build-scorer.js';

/** Options of {@link createInjectionScorer}. */
export interface InjectionScorerOptions {
  /** Extra rules, compiled with the built-in pack. Default none. */
  readonly rules?: readonly InjectionRule[];
  /** Ids of built-in (or extra) rules to switch off. Default none. */
  readonly disableRules?: readonly string[];
  /** New weights by rule id, each in (0, 1]. Default none. */
  readonly ruleWeights?: Readonly<Record<string, number>>;
  /** Use the trained model. Default `true`; `false` leaves rules and the unnatural-text signal. */
  readonly model?: boolean;
  /** Weight of the unnatural-text (optimizer suffix) signal at saturation. Default 0.4; 0 turns it off. */
  readonly unnaturalWeight?: number;
  /** How many encodings deep to decode (base64 inside URL-encoding counts 2). Default 2, max 4. */
  readonly maxDecodeDepth?: number;
  /** Decoded characters allowed per scanned text across all layers. Default 65,536. */
  readonly maxDecodedChars?: number;
}

const ruleSchema = z.custom<InjectionRule>(
  (r) => typeof r === 'object' && r !== null,
  'must be a rule object',
);

/** Zod schema of the scorer options (shared with the guard). */
export const injectionScorerShape = {
  rules: z.array(ruleSchema).max(1000).optional(),
  disableRules: z.array(z.string().min(1)).optional(),
  ruleWeights: z.record(z.string(), z.number().gt(0).lte(1)).optional(),
  model: z.boolean().optional(),
  unnaturalWeight: z.number().min(0).max(1).optional(),
  maxDecodeDepth: z.number().int().min(0).max(4).optional(),
  maxDecodedChars: z
    .number()
    .int()
    .min(0)
    .max(16 * 1024 * 1024)
    .optional(),
};
const scorerSchema = z.strictObject(injectionScorerShape);

/**
 * Resolves the rule list: built-ins plus extras, minus disabled ones, with weights overridden.
 * Unknown ids in `disableRules` / `ruleWeights` are an error, so a typo never silently keeps a rule on.
 *
 * @example
 * resolveInjectionRules({ disableRules: ['persona.stay-in-character'] }, 'injection').length;
 */
export function resolveInjectionRules(options: InjectionScorerOptions, scope: string): InjectionRule[] {
  const all = [...BUILTIN_RULES, ...(options.rules ?? [])];
  const ids = new Set(all.map((r) => r.id));
  const unknown = [...(options.disableRules ?? []), ...Object.keys(options.ruleWeights ?? {})].filter(
    (id) => !ids.has(id),
  );
  if (unknown.length > 0) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
      detail: `Invalid option "${scope}": unknown rule id "${unknown[0]}".`,
      errors: unknown.map((id) => ({
        path: scope,
        code: 'unknown_rule',
        message: `unknown rule id "${id}"`,
      })),
    });
  }
  const off = new Set(options.disableRules ?? []);
  const weights = options.ruleWeights ?? {};
  return all
    .filter((r) => !off.has(r.id))
    .map((r) => (weights[r.id] === undefined ? r : { ...r, weight: weights[r.id]! }));
}

/**
 * Creates a scorer usable without HTTP (CLI, tests, batch jobs). Rules are compiled into RE2 sets
 * and the model decoded here, once; `score(text)` then costs a few microseconds per kilobyte.
 * An invalid rule throws `ERR_LLMGUARD_INVALID_RULE`; invalid options `ERR_LLMGUARD_INVALID_OPTIONS`.
 *
 * @example
 * const scorer = createInjectionScorer({ disableRules: ['persona.stay-in-character'] });
 * scorer.score('Ignore all previous instructions').score; // ≈ 0.99
 */
export function createInjectionScorer(options: InjectionScorerOptions = {}): InjectionScorer {
  const opts = parseOptions(scorerSchema, options, 'injection');
  return scorerFromOptions(opts, 'injection');
}

/** Builds the scorer from already-validated options. */
export function scorerFromOptions(opts: InjectionScorerOptions, scope: string): InjectionScorer {
  const engine = compileRules(resolveInjectionRules(opts, scope));
  const disable = new Set<'rules' | 'model' | 'unnatural'>();
  if (opts.model === false) disable.add('model');
  return buildInjectionScorer(engine, defaultInjectionModel(), {
    maxDecodeDepth: opts.maxDecodeDepth ?? INJECTION_DEFAULTS.maxDecodeDepth,
    maxDecodedChars: opts.maxDecodedChars ?? INJECTION_DEFAULTS.maxDecodedChars,
    unnaturalWeight: opts.unnaturalWeight ?? INJECTION_DEFAULTS.unnaturalWeight,
    disable,
  });
}
