import { describe, expect, it } from 'vitest';
import { isLlmGuardError } from '../errors/llm-guard-error.js';
import { createGuardPipeline } from './pipeline.js';
import { resolveGuardPipeline } from './resolve-pipeline.js';

describe('resolveGuardPipeline', () => {
  it('returns a pipeline it is given as is', () => {
    const pipeline = createGuardPipeline({ guards: [] });
    expect(resolveGuardPipeline(pipeline)).toBe(pipeline);
  });

  it('builds the preset from options, with the validator on by default', () => {
    expect(resolveGuardPipeline().guards.map((g) => g.phase)).toContain('validation');
    expect(resolveGuardPipeline({ validation: false }).guards.map((g) => g.phase)).not.toContain(
      'validation',
    );
  });

  it('rejects unknown options with a coded error', () => {
    let thrown: unknown;
    try {
      resolveGuardPipeline({ nope: true } as never);
    } catch (error) {
      thrown = error;
    }
    expect(isLlmGuardError(thrown) && thrown.code).toBe('ERR_LLMGUARD_INVALID_OPTIONS');
  });
});
