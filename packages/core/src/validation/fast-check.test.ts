import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFastChecks } from './fast-check.js';
import { buildRequestSchemas, type SchemaBounds, type SchemaKey } from './request-schemas.js';

const bounds: SchemaBounds = {
  maxMessages: 4,
  maxTokens: { min: 1, max: 1000 },
  temperature: { min: 0, max: 2 },
  topP: { min: 0, max: 1 },
  maxChoices: 4,
  maxModelLength: 12,
};
const schemas = buildRequestSchemas(bounds);
const checks = buildFastChecks(bounds);

const anyValue = fc.jsonValue({ maxDepth: 2 });
const shortString = fc.oneof(fc.string({ maxLength: 3 }), fc.string({ minLength: 10, maxLength: 70 }));
// Mostly well-typed values, so both sides of each check are reached.
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> =>
  fc.oneof({ arbitrary: arb, weight: 40 }, anyValue, fc.constant(null));
const number = fc.oneof(
  { arbitrary: fc.constantFrom(1, 0.5, 0, 2), weight: 12 },
  fc.integer({ min: -2, max: 1002 }),
  fc.double({ min: -1, max: 3, noNaN: true }),
  fc.constant(2 ** 60),
);
const part = fc.record(
  {
    type: fc.oneof(fc.constantFrom('text', 'input_text', 'image_url', 'tool_result', ''), shortString),
    text: maybe(fc.string({ maxLength: 4 })),
    content: maybe(
      fc.oneof(
        fc.string(),
        fc.array(fc.record({ type: maybe(fc.constantFrom('text', '')) }), { maxLength: 2 }),
      ),
    ),
  },
  { requiredKeys: [] },
);
const content = maybe(fc.oneof(fc.string({ maxLength: 4 }), fc.array(maybe(part), { maxLength: 3 })));
const message = fc.record(
  {
    role: fc.oneof(
      { arbitrary: fc.constantFrom('user', 'assistant'), weight: 8 },
      fc.constantFrom('system', 'developer', 'tool', 'function', 'bot'),
      anyValue,
    ),
    content,
    name: maybe(shortString),
    tool_call_id: maybe(shortString),
  },
  { requiredKeys: [] },
);
const body = fc.record(
  {
    model: maybe(shortString),
    messages: maybe(fc.array(maybe(message), { maxLength: 6 })),
    system: maybe(fc.oneof(fc.string(), fc.array(maybe(part), { maxLength: 2 }))),
    temperature: maybe(number),
    top_p: maybe(number),
    stream: maybe(fc.boolean()),
    max_tokens: maybe(number),
    max_completion_tokens: maybe(number),
    n: maybe(number),
    top_k: maybe(number),
    stop: maybe(fc.oneof(fc.string(), fc.array(maybe(fc.string()), { maxLength: 18 }))),
    stop_sequences: maybe(fc.array(maybe(fc.string()), { maxLength: 18 })),
  },
  { requiredKeys: [] },
);

describe('quick accept checks', () => {
  const keys = Object.keys(checks) as SchemaKey[];

  it.each(keys)('%s: a body the quick check accepts is one the zod schema accepts', (key) => {
    const check = checks[key]!;
    let accepted = 0;
    fc.assert(
      fc.property(body, (value) => {
        const record = value as Record<string, unknown>;
        if (!check(record)) return;
        accepted++;
        expect(schemas[key].safeParse(record).success).toBe(true);
      }),
      { numRuns: 6000 },
    );
    // The generator reaches the accepting side too, so the property is not vacuous.
    expect(accepted).toBeGreaterThan(0);
  });

  it('accepts an ordinary Chat Completions request without zod', () => {
    const chat = {
      model: 'gpt-4o-mini',
      max_tokens: 256,
      temperature: 0.7,
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi' },
            { type: 'image_url', image_url: {} },
          ],
        },
      ],
    };
    expect(checks['openai-chat']!(chat)).toBe(true);
    expect(checks['openai-chat']!({ ...chat, max_tokens: 1001 })).toBe(false);
    expect(checks['openai-chat']!({ ...chat, messages: [] })).toBe(false);
  });
});
