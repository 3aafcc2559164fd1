import type { z } from 'zod';
import { LlmGuardError, type ProblemFieldError } from '../errors/llm-guard-error.js';

/**
 * Validates a factory's options once, at construction. Unknown keys (schemas are `strictObject`),
 * wrong types and out-of-range values throw `ERR_LLMGUARD_INVALID_OPTIONS` naming each option path,
 * so a typo such as `maxBody` fails at startup instead of being silently ignored.
 *
 * @example
 * const opts = parseOptions(injectionOptionsSchema, userOptions, 'injection');
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, scope: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const errors: ProblemFieldError[] = result.error.issues.map((issue) => {
    const path = [scope, ...issue.path.map(String)].filter(Boolean).join('.');
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    return { path, code: issue.code, message: issue.message + keys };
  });
  const first = errors[0];
  throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
    detail: `Invalid option ${first ? `"${first.path}": ${first.message}` : scope}.`,
    errors,
  });
}
