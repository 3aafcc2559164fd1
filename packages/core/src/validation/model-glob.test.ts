import { describe, expect, it } from 'vitest';
import { compileModelGlobs, globMatch } from './model-glob.js';

describe('model globs', () => {
  it.each([
    ['gpt-4o', 'gpt-4o', true],
    ['gpt-4o*', 'gpt-4o-2024-08-06', true],
    ['gpt-4o*', 'gpt-4', false],
    ['*', '', true],
    ['*-mini', 'gpt-4o-mini', true],
    ['claude-?-haiku', 'claude-3-haiku', true],
    ['claude-?-haiku', 'claude--haiku', false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['openai/*', 'openai/gpt-4o', true],
    ['gpt.4o', 'gpt-4o', false],
    ['[a-z]*', 'gpt', false],
    ['Gpt-4o', 'gpt-4o', false],
  ])('%j matches %j: %s', (glob, model, expected) => {
    expect(compileModelGlobs([glob])(model)).toBe(expected);
  });

  it('treats regex metacharacters literally', () => {
    expect(globMatch('(a+)+$', '(a+)+$')).toBe(true);
    expect(globMatch('(a+)+$', 'aaaa')).toBe(false);
  });

  it('stays fast on adversarial star patterns', () => {
    const pattern = `${'a*'.repeat(50)}b`;
    const text = 'a'.repeat(5000);
    expect(globMatch(pattern, text)).toBe(false);
  });

  it('matches any glob of the list', () => {
    const allowed = compileModelGlobs(['x', 'claude-*']);
    expect(allowed('x')).toBe(true);
    expect(allowed('claude-opus-4')).toBe(true);
    expect(allowed('gpt')).toBe(false);
  });
});
