import { describe, expect, it } from 'vitest';
import { normalizePath } from './normalize-path.js';

describe('normalizePath', () => {
  it.each([
    ['/v1/chat/completions', '/v1/chat/completions'],
    ['/v1/chat/completions?stream=true#frag', '/v1/chat/completions'],
    ['//v1///chat//completions/', '/v1/chat/completions'],
    ['/v1/./chat/../chat/completions', '/v1/chat/completions'],
    ['/../../../v1/messages', '/v1/messages'],
    ['/v1/%63hat/completions', '/v1/chat/completions'],
    ['/v1%2Fchat%2fcompletions', '/v1/chat/completions'],
    ['/v1/%2e%2e/admin', '/admin'],
    ['/v1/%252e%252e/admin', '/admin'],
    ['\\v1\\chat\\completions', '/v1/chat/completions'],
    ['/v1/%5c..%5cadmin', '/admin'],
    ['', '/'],
    ['?only=query', '/'],
    ['/V1/Chat', '/V1/Chat'],
  ])('%j → %j', (input, expected) => {
    expect(normalizePath(input)).toBe(expected);
  });

  it('decodes well-formed escapes next to malformed ones without throwing', () => {
    expect(normalizePath('/v1/%zz/%61%')).toBe('/v1/%zz/a%');
    expect(normalizePath('/v1/%ff%2e%2e/x')).toBe('/v1/\u00ff../x');
  });

  it('cuts the query before decoding, so an encoded ? stays in the path', () => {
    expect(normalizePath('/v1/a%3Fb?c=d')).toBe('/v1/a?b');
  });
});
