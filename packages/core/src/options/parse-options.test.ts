import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import { parseOptions } from './parse-options.js';

const schema = z.strictObject({
  threshold: z.number().min(0).max(1).optional(),
  mode: z.enum(['block', 'flag']).optional(),
  nested: z.strictObject({ size: z.number().int().positive() }).optional(),
});

function refusal(input: unknown, scope = 'injection'): LlmGuardError {
  try {
    parseOptions(schema, input, scope);
  } catch (error) {
    expect(error).toBeInstanceOf(LlmGuardError);
    return error as LlmGuardError;
  }
  throw new Error('expected the options to be refused');
}

describe('parseOptions', () => {
  it('returns the parsed options, and treats undefined as {}', () => {
    expect(parseOptions(schema, { threshold: 0.5 }, 'injection')).toEqual({ threshold: 0.5 });
    expect(parseOptions(schema, undefined, 'injection')).toEqual({});
  });

  it('names an unknown option and its scope (a typo fails at startup)', () => {
    const error = refusal({ treshold: 0.5 });
    expect(error.code).toBe('ERR_LLMGUARD_INVALID_OPTIONS');
    expect(error.status).toBe(500);
    expect(error.errors).toEqual([
      { path: 'injection', code: 'unrecognized_keys', message: expect.stringContaining('treshold') },
    ]);
    expect(error.message).toContain('treshold');
  });

  it('names the path of a wrong type or out-of-range value', () => {
    expect(refusal({ threshold: 'high' }).errors?.[0]?.path).toBe('injection.threshold');
    expect(refusal({ threshold: 2 }).errors?.[0]).toMatchObject({
      path: 'injection.threshold',
      code: 'too_big',
    });
    expect(refusal({ nested: { size: -1 } }).message).toContain('"injection.nested.size"');
    expect(refusal({ mode: 'drop' }).errors?.[0]?.code).toBe('invalid_value');
  });

  it('reports every problem, not only the first', () => {
    expect(refusal({ threshold: 5, mode: 'x', extra: 1 }).errors).toHaveLength(3);
  });

  it('works without a scope for top-level options', () => {
    expect(refusal({ bogus: true }, '').errors?.[0]?.path).toBe('');
    expect(refusal({ threshold: -1 }, '').errors?.[0]?.path).toBe('threshold');
  });

  it('refuses a non-object', () => {
    expect(refusal(42).code).toBe('ERR_LLMGUARD_INVALID_OPTIONS');
  });
});
