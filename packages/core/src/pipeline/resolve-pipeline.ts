import { createLlmGuard, type LlmGuardOptions } from '../preset.js';
import type { GuardPipeline } from './pipeline.js';

/**
 * What every adapter factory accepts: the `llmGuard()` preset options, or a pipeline built with
 * `createGuardPipeline` / `createLlmGuard` for users who compose their own guards.
 * Default: `{}` (the preset with its safe defaults).
 *
 * @example
 * const pipeline = resolveGuardPipeline({ validation: { maxMessages: 50 } });
 */
export function resolveGuardPipeline(input: LlmGuardOptions | GuardPipeline = {}): GuardPipeline {
  if (isGuardPipeline(input)) return input;
  return createLlmGuard(input);
}

function isGuardPipeline(value: LlmGuardOptions | GuardPipeline): value is GuardPipeline {
  return typeof (value as Partial<GuardPipeline>).handle === 'function' && 'guards' in value;
}
