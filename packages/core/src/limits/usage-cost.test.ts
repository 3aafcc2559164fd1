import { describe, expect, it } from 'vitest';
import { createPromptView } from '../prompt/extract-prompt.js';
import { costMicros, estimateUsage, priceFor } from './usage-cost.js';

describe('usage cost', () => {
  const table = {
    'gpt-4o': { input: 2.5, output: 10 },
    'gpt-4o-mini*': { input: 0.15, output: 0.6 },
    'gpt-4o*': { input: 5, output: 15 },
    '*': { input: 1, output: 1 },
  };

  it('picks the exact model, then the longest prefix, then the fallback', () => {
    expect(priceFor(table, 'gpt-4o')).toEqual({ input: 2.5, output: 10 });
    expect(priceFor(table, 'gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceFor(table, 'gpt-4o-2024-08-06')).toEqual({ input: 5, output: 15 });
    expect(priceFor(table, 'llama')).toEqual({ input: 1, output: 1 });
    expect(priceFor({}, 'llama')).toBeUndefined();
  });

  it('prices in integer micro-dollars, rounding up per request but never on float noise', () => {
    expect(costMicros({ inputTokens: 1000, outputTokens: 500 }, { input: 2.5, output: 10 })).toBe(7500);
    expect(costMicros({ inputTokens: 30, outputTokens: 0 }, { input: 0.1, output: 0 })).toBe(3);
    expect(costMicros({ inputTokens: 1, outputTokens: 0 }, { input: 0.15, output: 0 })).toBe(1);
    expect(costMicros({ inputTokens: 5, outputTokens: 5 }, undefined)).toBe(0);
  });

  it('estimates input from prompt characters and output from max_tokens or the default', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'system', content: 'abcd' },
        { role: 'user', content: 'abcdefghi' },
      ],
    };
    const prompt = createPromptView(body);
    const capped = createPromptView({ ...body, max_tokens: 12 });
    expect(estimateUsage(prompt)).toEqual({ inputTokens: 4, outputTokens: 256 });
    expect(estimateUsage(capped, { charsPerToken: 2 })).toEqual({
      inputTokens: 7,
      outputTokens: 12,
    });
    expect(estimateUsage(undefined, { defaultOutputTokens: 0 })).toEqual({ inputTokens: 0, outputTokens: 0 });
  });
});
