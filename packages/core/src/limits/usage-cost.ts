import type { TokenUsage } from '../context/findings.js';
import type { PromptView } from '../prompt/types.js';

/**
 * Price of a model in US dollars per one million tokens, which is also micro-dollars per token:
 * costs are kept in integer micro-dollars so concurrent additions never lose a fraction.
 */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
}

/** Price table: exact model names, `prefix*` globs, and `*` as the fallback. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** How prompt size turns into an estimate before the model answers. */
export interface TokenEstimateOptions {
  /** Characters per token of the prompt text. Default 4 (English-like text with common tokenizers). */
  readonly charsPerToken?: number;
  /** Output tokens assumed when the request sets no `max_tokens`. Default 256. */
  readonly defaultOutputTokens?: number;
}

/**
 * Estimated usage of a request from its prompt view: input from the text the model will read,
 * output from `max_tokens` when present. Reconciled later with the answer's real `usage`.
 *
 * @example estimateUsage(ctx.prompt, {}) // { inputTokens: 12, outputTokens: 256 }
 */
export function estimateUsage(
  prompt: PromptView | undefined,
  options: TokenEstimateOptions = {},
): TokenUsage {
  const perToken = options.charsPerToken ?? 4;
  let chars = 0;
  if (prompt) for (const segment of prompt.segments) chars += segment.text.length;
  return {
    inputTokens: Math.ceil(chars / perToken),
    outputTokens: prompt?.maxTokens ?? options.defaultOutputTokens ?? 256,
  };
}

/** Finds the price of `model`: exact name, then the longest matching `prefix*`, then `*`. */
export function priceFor(table: PriceTable, model: string | undefined): ModelPrice | undefined {
  if (model !== undefined) {
    const exact = table[model];
    if (exact) return exact;
    let best: ModelPrice | undefined;
    let bestLength = -1;
    for (const [pattern, price] of Object.entries(table)) {
      if (pattern.length > 1 && pattern.endsWith('*')) {
        const prefix = pattern.slice(0, -1);
        if (model.startsWith(prefix) && prefix.length > bestLength) {
          best = price;
          bestLength = prefix.length;
        }
      }
    }
    if (best) return best;
  }
  return table['*'];
}

/**
 * Cost of `usage` in integer micro-dollars, rounded up per request. The small tolerance keeps
 * float products such as `0.1 * 30` from rounding up a whole micro-dollar.
 *
 * @example costMicros({ inputTokens: 1000, outputTokens: 500 }, { input: 2.5, output: 10 }) // 7500
 */
export function costMicros(usage: TokenUsage, price: ModelPrice | undefined): number {
  if (!price) return 0;
  const raw = usage.inputTokens * price.input + usage.outputTokens * price.output;
  return Math.max(0, Math.ceil(raw - 1e-9));
}
