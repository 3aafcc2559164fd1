import { z } from 'zod';
import type { GuardContext } from '../context/guard-context.js';
import type { RolePolicy } from '../context/principal.js';
import { LlmGuardError, type ProblemFieldError } from '../errors/llm-guard-error.js';
import { parseOptions } from '../options/parse-options.js';
import type { Guard, StepResult } from '../pipeline/guard.js';
import type { BodyPath, PromptView } from '../prompt/types.js';
import { buildFastChecks, type FastCheck } from './fast-check.js';
import { fieldMessage, issuesToFieldErrors, toJsonPointer } from './field-errors.js';
import { compileModelGlobs, type ModelMatcher } from './model-glob.js';
import { stripControlChars } from './prompt-text.js';
import { buildRequestSchemas, type SchemaBounds, type SchemaKey } from './request-schemas.js';

/** A closed numeric range; either end may be omitted to keep its default. */
export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
}

/**
 * Options of the request validator (`validation` in the `llmGuard()` preset). Every bound has a
 * default sized for ordinary chat traffic; tighten them for your models and budgets.
 */
export interface RequestValidatorOptions {
  /** Most messages (Chat / Anthropic `messages`, Responses `input` items, generic prompt array). Default `256`. */
  readonly maxMessages?: number;
  /** Most characters (UTF-16 code units) in one message, all its text parts together. Default `100_000`. */
  readonly maxCharsPerMessage?: number;
  /** Most characters of prompt text in the whole request. Default `400_000`. */
  readonly maxTotalChars?: number;
  /** Allowed `max_tokens` / `max_completion_tokens` / `max_output_tokens`. Default `{ min: 1, max: 200_000 }`. */
  readonly maxTokensRange?: NumberRange;
  /** Allowed `temperature`. Default `{ min: 0, max: 2 }`. */
  readonly temperatureRange?: NumberRange;
  /** Allowed `top_p`. Default `{ min: 0, max: 1 }`. */
  readonly topPRange?: NumberRange;
  /**
   * Model allowlist; `*` matches any run of characters and `?` one character, case-sensitively.
   * When set, requests must name a model. Default: any model.
   */
  readonly allowedModels?: readonly string[];
  /** Largest `n` (completions per request, each billed). Default `4`. */
  readonly maxChoices?: number;
  /** Remove C0/C1 control characters (except TAB, LF, CR) and bidi controls from prompt text. Default `false`. */
  readonly stripControlChars?: boolean;
  /** Unicode-normalize prompt text before it reaches the model. Default `false` (left as sent). */
  readonly normalize?: 'NFKC' | false;
  /** A JSON body that is not a recognised LLM request: refuse with 400, or let it through. Default `'reject'`. */
  readonly unknownShape?: 'reject' | 'pass';
}

const rangeSchema = (floor: number, ceiling: number) =>
  z
    .strictObject({
      min: z.number().min(floor).max(ceiling).optional(),
      max: z.number().min(floor).max(ceiling).optional(),
    })
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
      message: 'min must not be greater than max',
    })
    .optional();

const optionsSchema = z.strictObject({
  maxMessages: z.number().int().positive().optional(),
  maxCharsPerMessage: z.number().int().positive().optional(),
  maxTotalChars: z.number().int().positive().optional(),
  maxTokensRange: rangeSchema(0, Number.MAX_SAFE_INTEGER),
  temperatureRange: rangeSchema(0, 100),
  topPRange: rangeSchema(0, 1),
  allowedModels: z.array(z.string().min(1).max(256)).optional(),
  maxChoices: z.number().int().positive().max(1024).optional(),
  stripControlChars: z.boolean().optional(),
  normalize: z.union([z.literal('NFKC'), z.literal(false)]).optional(),
  unknownShape: z.enum(['reject', 'pass']).optional(),
});

const DEFAULTS = {
  maxMessages: 256,
  maxCharsPerMessage: 100_000,
  maxTotalChars: 400_000,
  maxTokens: { min: 1, max: 200_000 },
  temperature: { min: 0, max: 2 },
  topP: { min: 0, max: 1 },
  maxChoices: 4,
} as const;

/** Most entries in a problem's `errors[]`; a body with thousands of faults gets the first ones. */
const MAX_REPORTED_ERRORS = 20;
const SHAPE_DETAIL = 'The request does not match the expected shape or bounds.';
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const MAX_TOKEN_FIELDS: Record<SchemaKey, readonly string[]> = {
  'openai-chat': ['max_completion_tokens', 'max_tokens'],
  'openai-responses': ['max_output_tokens'],
  'anthropic-messages': ['max_tokens'],
  'generic-prompt': ['max_tokens'],
  'generic-input': ['max_tokens'],
};

/**
 * The request validator: checks that the parsed body is a well-formed OpenAI Chat Completions,
 * OpenAI Responses, Anthropic Messages or generic `{prompt}` / `{input}` request within the
 * configured bounds, optionally cleans prompt text, and enforces the caller's role policy
 * (`allowedModels`, `maxTokens`) when identity set one.
 *
 * Refusals: 400 `ERR_LLMGUARD_INVALID_REQUEST` with `errors[]` (JSON Pointer, code, message, never
 * the value); 400 `ERR_LLMGUARD_UNSUPPORTED_BODY_SHAPE`; 403 `ERR_LLMGUARD_POLICY_VIOLATION`.
 *
 * @example
 * const validator = createRequestValidator({ allowedModels: ['gpt-4o*'], maxMessages: 50 });
 */
export function createRequestValidator(options: RequestValidatorOptions = {}): Guard {
  const parsed = parseOptions(optionsSchema, options, 'validation');
  const maxCharsPerMessage = parsed.maxCharsPerMessage ?? DEFAULTS.maxCharsPerMessage;
  const maxTotalChars = parsed.maxTotalChars ?? DEFAULTS.maxTotalChars;
  const bounds: SchemaBounds = {
    maxMessages: parsed.maxMessages ?? DEFAULTS.maxMessages,
    maxTokens: mergeRange('maxTokensRange', DEFAULTS.maxTokens, parsed.maxTokensRange),
    temperature: mergeRange('temperatureRange', DEFAULTS.temperature, parsed.temperatureRange),
    topP: mergeRange('topPRange', DEFAULTS.topP, parsed.topPRange),
    maxChoices: parsed.maxChoices ?? DEFAULTS.maxChoices,
    maxModelLength: 256,
  };
  const schemas = buildRequestSchemas(bounds);
  // zod returns a fresh copy of every object it accepts; the quick checks read the body in place,
  // and zod runs only when they are not sure (it then decides and writes the field errors).
  const fastChecks = buildFastChecks(bounds);
  const modelAllowed = parsed.allowedModels ? compileModelGlobs(parsed.allowedModels) : undefined;
  const strip = parsed.stripControlChars === true;
  const normalizeForm = parsed.normalize === 'NFKC' ? 'NFKC' : undefined;
  const rejectUnknown = parsed.unknownShape !== 'pass';
  const policyMatchers = new WeakMap<readonly string[], ModelMatcher>();
  const parseContext = { error: fieldMessage };

  return {
    name: 'validation',
    phase: 'validation',
    onBody: function validateRequest(ctx: GuardContext): StepResult {
      if (ctx.body === undefined) {
        if (!BODY_METHODS.has(ctx.method)) return undefined;
        throw invalid('A JSON body is required.', [
          { path: '', code: 'body_required', message: 'This method needs a JSON request body.' },
        ]);
      }
      const prompt = ctx.prompt;
      if (prompt === undefined) {
        if (!rejectUnknown) return 'skip';
        // A body that tries to be a known dialect but is malformed gets that dialect's field errors.
        const intended = intendedSchema(ctx.body);
        const result =
          intended === undefined ? undefined : schemas[intended].safeParse(ctx.body, parseContext);
        if (result !== undefined && !result.success) {
          throw invalid(SHAPE_DETAIL, issuesToFieldErrors(result.error.issues, MAX_REPORTED_ERRORS));
        }
        throw new LlmGuardError('ERR_LLMGUARD_UNSUPPORTED_BODY_SHAPE', {
          detail:
            'Send an OpenAI Chat Completions, OpenAI Responses or Anthropic Messages request, or a {"prompt"} / {"input"} body.',
        });
      }

      const key = schemaKey(prompt);
      if (key !== undefined && !quickAccept(fastChecks, key, ctx.body)) {
        const result = schemas[key].safeParse(ctx.body, parseContext);
        if (!result.success) {
          throw invalid(SHAPE_DETAIL, issuesToFieldErrors(result.error.issues, MAX_REPORTED_ERRORS));
        }
      }
      if (modelAllowed !== undefined) {
        if (prompt.model === undefined) {
          throw invalid('This endpoint needs a model.', [
            { path: '/model', code: 'required', message: 'Name one of the allowed models.' },
          ]);
        }
        if (!modelAllowed(prompt.model)) {
          throw invalid('The requested model is not allowed.', [
            { path: '/model', code: 'model_not_allowed', message: 'This model is not on the allowlist.' },
          ]);
        }
      }

      const modified = cleanText(prompt, strip, normalizeForm);
      checkTextBounds(prompt, maxCharsPerMessage, maxTotalChars);
      const clamped =
        ctx.policy === undefined
          ? false
          : enforcePolicy(ctx.policy, ctx.body as Record<string, unknown>, prompt, key, policyMatchers);
      return modified || clamped ? 'modify' : undefined;
    },
  };
}

/** Fills a half-given range from the default; `{ max: 0 }` over a default `min: 1` is a startup error. */
function mergeRange(
  name: string,
  fallback: { readonly min: number; readonly max: number },
  given: NumberRange | undefined,
): { min: number; max: number } {
  const range = { min: given?.min ?? fallback.min, max: given?.max ?? fallback.max };
  if (range.min > range.max) {
    const path = `validation.${name}`;
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
      detail: `Invalid option "${path}": min ${range.min} is greater than max ${range.max}.`,
      errors: [{ path, code: 'invalid_range', message: `min ${range.min} is greater than max ${range.max}` }],
    });
  }
  return range;
}

/** Whether a quick check vouches for the body; `false` sends it through the zod schema. */
function quickAccept(checks: Partial<Record<SchemaKey, FastCheck>>, key: SchemaKey, body: unknown): boolean {
  const check = checks[key];
  return (
    check !== undefined &&
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    check(body as Record<string, unknown>)
  );
}

function invalid(detail: string, errors: ProblemFieldError[]): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', { detail, errors });
}

/** The dialect a body that no extractor recognised was most likely meant to be, from its keys. */
function intendedSchema(body: unknown): SchemaKey | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  if ('messages' in body) return 'system' in body ? 'anthropic-messages' : 'openai-chat';
  if ('input' in body && ('model' in body || 'instructions' in body)) return 'openai-responses';
  if ('prompt' in body) return 'generic-prompt';
  return undefined;
}

function schemaKey(prompt: PromptView): SchemaKey | undefined {
  switch (prompt.format) {
    case 'openai-chat':
    case 'openai-responses':
    case 'anthropic-messages':
      return prompt.format;
    case 'generic':
      return prompt.segments[0]?.path[0] === 'input' ? 'generic-input' : 'generic-prompt';
    default:
      return undefined;
  }
}

/** Strips control characters and/or normalizes each segment, writing changes back into the body. */
function cleanText(prompt: PromptView, strip: boolean, form: 'NFKC' | undefined): boolean {
  if (!strip && form === undefined) return false;
  let changed = false;
  for (let i = 0; i < prompt.segments.length; i++) {
    const original = prompt.segments[i]!.text;
    let text = strip ? stripControlChars(original) : original;
    if (form !== undefined) text = text.normalize(form);
    if (text !== original) {
      prompt.replaceText(i, text);
      changed = true;
    }
  }
  return changed;
}

/** Per-message and total character caps, counted over the text the model will read. */
function checkTextBounds(prompt: PromptView, perMessage: number, total: number): void {
  // No message can be longer than all the text together: within both caps, nothing to count per turn.
  let all = 0;
  for (const segment of prompt.segments) all += segment.text.length;
  if (all <= perMessage && all <= total) return;
  const perTurn = new Map<number, { chars: number; path: BodyPath }>();
  let sum = 0;
  for (const segment of prompt.segments) {
    sum += segment.text.length;
    const entry = perTurn.get(segment.turn);
    if (entry === undefined) perTurn.set(segment.turn, { chars: segment.text.length, path: segment.path });
    else {
      entry.chars += segment.text.length;
      entry.path = commonPrefix(entry.path, segment.path);
    }
  }
  const errors: ProblemFieldError[] = [];
  for (const { chars, path } of perTurn.values()) {
    if (chars > perMessage && errors.length < MAX_REPORTED_ERRORS) {
      errors.push({
        path: toJsonPointer(path),
        code: 'message_too_long',
        message: `A message may hold at most ${perMessage} characters.`,
      });
    }
  }
  if (sum > total && errors.length < MAX_REPORTED_ERRORS) {
    errors.push({
      path: '',
      code: 'prompt_too_long',
      message: `The prompt text may hold at most ${total} characters in total.`,
    });
  }
  if (errors.length > 0) throw invalid('The prompt text is longer than allowed.', errors);
}

function commonPrefix(a: BodyPath, b: BodyPath): BodyPath {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

/**
 * Role policy from identity: the model must match the role's globs (403), and the requested output
 * tokens must not exceed the role's `maxTokens`: above it the request is refused (403, default) or
 * clamped; a request that names no limit gets the role's cap written in, so omitting the field
 * cannot lift the cap. Returns whether the body was changed.
 */
function enforcePolicy(
  policy: RolePolicy,
  body: Readonly<Record<string, unknown>>,
  prompt: PromptView,
  key: SchemaKey | undefined,
  matchers: WeakMap<readonly string[], ModelMatcher>,
): boolean {
  if (policy.allowedModels !== undefined) {
    let matches = matchers.get(policy.allowedModels);
    if (matches === undefined) {
      matches = compileModelGlobs(policy.allowedModels);
      matchers.set(policy.allowedModels, matches);
    }
    if (prompt.model === undefined || !matches(prompt.model)) {
      throw new LlmGuardError('ERR_LLMGUARD_POLICY_VIOLATION', {
        detail: 'Your role may not use this model.',
        errors: [
          {
            path: '/model',
            code: prompt.model === undefined ? 'model_required' : 'model_not_allowed',
            message: 'Name a model your role is allowed to use.',
          },
        ],
      });
    }
  }
  const cap = policy.maxTokens;
  if (cap === undefined) return false;
  const clamp = policy.maxTokensMode === 'clamp';
  if (key === undefined) {
    // A custom extractor reported the limit but not where it lives: refuse, there is nothing to clamp.
    if (prompt.maxTokens !== undefined && prompt.maxTokens > cap) throw overCap(cap, '');
    return false;
  }
  const fields = MAX_TOKEN_FIELDS[key];
  const requested = fields.filter((field) => typeof body[field] === 'number');
  if (requested.length === 0) {
    prompt.setValue([fields[0]!], cap);
    return true;
  }
  let changed = false;
  for (const field of requested) {
    if ((body[field] as number) <= cap) continue;
    if (!clamp) throw overCap(cap, '/' + field);
    prompt.setValue([field], cap);
    changed = true;
  }
  return changed;
}

function overCap(cap: number, path: string): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_POLICY_VIOLATION', {
    detail: `Your role may request at most ${cap} output tokens.`,
    errors: [{ path, code: 'max_tokens_exceeded', message: `Must be at most ${cap} for your role.` }],
  });
}
