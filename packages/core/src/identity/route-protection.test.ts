import { describe, expect, it } from 'vitest';
import { normalizePath } from '../context/normalize-path.js';
import { isLlmGuardError } from '../errors/llm-guard-error.js';
import { createRouteProtection, type RouteAccess } from './route-protection.js';

const access = createRouteProtection({ protect: ['/v1'], publicPaths: ['/v1/models', '/v1/public/*'] });

function classify(target: string): RouteAccess | 'ambiguous' {
  try {
    return access(target, normalizePath(target));
  } catch (error) {
    if (isLlmGuardError(error) && error.code === 'ERR_LLMGUARD_AMBIGUOUS_PATH') return 'ambiguous';
    throw error;
  }
}

describe('fail-closed route protection', () => {
  it.each([
    '/v1/chat/completions',
    '//v1/chat/completions',
    '///v1//chat/completions',
    '/V1/chat/completions',
    '/v1/CHAT/completions/',
    '/v1/chat/completions?x=/health',
    '/%76%31/chat/completions',
    '/v1%2Fchat%2Fcompletions',
    '/v1%2fmodels%2f..%2fx',
    'http://evil.example/v1/chat/completions',
    '/v1',
    '/v1/models/x',
  ])('protects %s', (target) => {
    const result = classify(target);
    expect(['protected', 'ambiguous']).toContain(result);
  });

  it.each([
    '/v1/../v1/chat/completions',
    '/health/../v1/chat/completions',
    '/v1/chat/completions/../../health',
    '/v1/./chat/completions',
    '/v1/%2e%2e/v1/chat',
    '/v1/%2E%2E/x',
    '/v1/%252e%252e/x',
    '/x/%2e%2e/v1/chat',
    '/v1/chat\\..\\..\\health',
    '/v1/models/%2e%2e/chat/completions',
    '/v1/models/..',
    '/v1/public/../chat/completions',
  ])('refuses the ambiguous target %s', (target) => {
    expect(classify(target)).toBe('ambiguous');
  });

  it('keeps the explicit allowlist exact and does not widen it by prefix', () => {
    expect(classify('/v1/models')).toBe('public');
    expect(classify('/V1/Models/')).toBe('public');
    expect(classify('//v1//models')).toBe('public');
    expect(classify('/v1/modelsx')).toBe('protected');
    expect(classify('/v1/models/gpt-4o')).toBe('protected');
    expect(classify('/v1/public/docs')).toBe('public');
    expect(classify('/v1/public')).toBe('protected');
  });

  it('leaves paths outside protected prefixes open, without treating look-alikes as inside', () => {
    expect(classify('/health')).toBe('open');
    expect(classify('/v1beta/chat')).toBe('open');
    expect(classify('/v2/chat')).toBe('open');
    expect(classify('/a/../b')).toBe('open');
  });

  it('protects everything by default', () => {
    const all = createRouteProtection();
    expect(all('/health', '/health')).toBe('protected');
    expect(all('/', '/')).toBe('protected');
  });
});

describe('normalizePath', () => {
  it.each([
    ['//v1/./chat/../chat/%63ompletions/?x=1', '/v1/chat/completions'],
    ['/v1/%2e%2e/%2e%2e/etc', '/etc'],
    ['/v1%2Fchat', '/v1/chat'],
    ['/a\\b', '/a/b'],
    ['/%252e%252e/x', '/x'],
    ['/%zz/%41', '/%zz/A'],
    ['/%ff/x', '/\u00ff/x'],
    ['http://host:8080/v1/chat?x', '/v1/chat'],
    ['https://host', '/'],
    ['/x#frag', '/x'],
    ['', '/'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePath(input)).toBe(expected);
  });
});
