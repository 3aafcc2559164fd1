import type { TokenUsage } from '../context/findings.js';

type Json = Record<string, unknown>;

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/**
 * Reads a provider `usage` object: OpenAI Chat (`prompt_tokens`/`completion_tokens`), OpenAI
 * Responses and Anthropic (`input_tokens`/`output_tokens`). `undefined` when neither is present.
 */
export function readUsage(usage: unknown): Partial<TokenUsage> | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const u = usage as Json;
  const input = num(u.prompt_tokens) ?? num(u.input_tokens);
  const output = num(u.completion_tokens) ?? num(u.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  return {
    ...(input === undefined ? {} : { inputTokens: input }),
    ...(output === undefined ? {} : { outputTokens: output }),
  };
}
