import { describe, expect, it } from 'vitest';
import { ERROR_TABLE, PROBLEM_TYPE_BASE } from './codes.js';
import { isLlmGuardError, LlmGuardError, toLlmGuardError } from './llm-guard-error.js';

describe('LlmGuardError', () => {
  it('renders an RFC 9457 problem from the table', () => {
    const error = new LlmGuardError('ERR_LLMGUARD_QUOTA_EXCEEDED', {
      detail: 'Try again in 3 seconds.',
      headers: { 'retry-after': '3' },
      extensions: { 'violated-policies': ['requests'] },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(429);
    expect(error.headers).toEqual({ 'retry-after': '3' });
    expect(error.problem({ instance: '/v1/chat/completions', requestId: 'r1' })).toEqual({
      type: `${PROBLEM_TYPE_BASE}quota-exceeded`,
      title: 'Quota exceeded',
      status: 429,
      detail: 'Try again in 3 seconds.',
      instance: '/v1/chat/completions',
      code: 'ERR_LLMGUARD_QUOTA_EXCEEDED',
      requestId: 'r1',
      'violated-policies': ['requests'],
    });
  });

  it('lets extensions not override the standard members', () => {
    const error = new LlmGuardError('ERR_LLMGUARD_FORBIDDEN', { extensions: { status: 200, code: 'nope' } });
    expect(error.problem()).toMatchObject({ status: 403, code: 'ERR_LLMGUARD_FORBIDDEN' });
  });

  it('allows a status override', () => {
    expect(new LlmGuardError('ERR_LLMGUARD_BUDGET_EXCEEDED', { status: 429 }).problem().status).toBe(429);
  });

  it('wraps unknown throwables as a generic 500 that keeps the original only as cause', () => {
    const original = new Error('db password=hunter2');
    const wrapped = toLlmGuardError(original);
    expect(wrapped.code).toBe('ERR_LLMGUARD_INTERNAL');
    expect(wrapped.cause).toBe(original);
    expect(JSON.stringify(wrapped.problem())).not.toContain('hunter2');
    expect(toLlmGuardError('a string').status).toBe(500);
  });

  it('recognises errors from another copy of the package by shape', () => {
    const foreign = Object.assign(new Error('x'), { name: 'LlmGuardError', code: 'ERR_LLMGUARD_FORBIDDEN' });
    expect(isLlmGuardError(foreign)).toBe(true);
    expect(isLlmGuardError(new Error('x'))).toBe(false);
    expect(isLlmGuardError({ name: 'LlmGuardError', code: 'ERR_LLMGUARD_FORBIDDEN' })).toBe(false);
  });

  it('has a 4xx or 5xx status and a unique slug for every code', () => {
    const slugs = new Set<string>();
    for (const [code, entry] of Object.entries(ERROR_TABLE)) {
      expect(code).toMatch(/^ERR_LLMGUARD_[A-Z0-9_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(slugs.has(entry.slug)).toBe(false);
      slugs.add(entry.slug);
    }
  });
});
