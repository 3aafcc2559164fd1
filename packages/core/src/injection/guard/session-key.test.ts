import { describe, expect, it } from 'vitest';
import type { GuardContext } from '../../context/guard-context.js';
import type { Principal } from '../../context/principal.js';
import { resolveSessionKey } from './session-key.js';

function ctx(headers: Record<string, string>, principal?: Principal): GuardContext {
  return { header: (name: string) => headers[name], principal } as unknown as GuardContext;
}

const alice: Principal = { id: 'alice', kind: 'jwt', tenant: 't1', roles: [], scopes: [] };

describe('resolveSessionKey', () => {
  const source = { sessionHeader: 'x-session-id' as const };

  it('prefers the callback, then the principal, then the header', () => {
    const withAll = ctx({ 'x-session-id': 'h1' }, alice);
    const byCallback = resolveSessionKey(withAll, { ...source, sessionKey: () => 'custom' });
    const byPrincipal = resolveSessionKey(withAll, source);
    const byHeader = resolveSessionKey(ctx({ 'x-session-id': 'h1' }), source);
    expect(new Set([byCallback, byPrincipal, byHeader]).size).toBe(3);
    expect(resolveSessionKey(ctx({ 'x-session-id': 'other' }, alice), source)).toBe(byPrincipal);
  });

  it('returns stable, bounded keys that never contain the raw id', () => {
    const key = resolveSessionKey(ctx({ 'x-session-id': 'conversation-42' }), source)!;
    expect(key).toBe(resolveSessionKey(ctx({ 'x-session-id': 'conversation-42' }), source));
    expect(key).toMatch(/^llmguard:injection:trajectory:[A-Za-z0-9_-]{32}$/);
    expect(key).not.toContain('conversation-42');
  });

  it('keeps no session without a key, for anonymous principals, or for oversized headers', () => {
    expect(resolveSessionKey(ctx({}), source)).toBeUndefined();
    const anonymous: Principal = { id: 'anon', kind: 'anonymous', tenant: undefined, roles: [], scopes: [] };
    expect(resolveSessionKey(ctx({}, anonymous), source)).toBeUndefined();
    expect(resolveSessionKey(ctx({ 'x-session-id': 'x'.repeat(300) }), source)).toBeUndefined();
    expect(resolveSessionKey(ctx({ 'x-session-id': 'a' }), { sessionHeader: false })).toBeUndefined();
  });
});
