import { describe, expect, it } from 'vitest';
import { claimToList, readClaim } from './claims.js';

describe('claim mapping', () => {
  const payload = {
    realm_access: { roles: ['user', 'viewer'] },
    'https://llm.example.com/roles': ['admin'],
    org: { id: 'acme', tags: 'not-a-list' },
    scope: 'chat:create  models:read',
    list: ['a', 1, '', 'b', null],
  };

  it('reads dotted paths and whole namespaced claim names', () => {
    expect(readClaim(payload, 'realm_access.roles')).toEqual(['user', 'viewer']);
    expect(readClaim(payload, 'https://llm.example.com/roles')).toEqual(['admin']);
    expect(readClaim(payload, 'org.id')).toBe('acme');
    expect(readClaim(payload, 'org.id.deeper')).toBeUndefined();
    expect(readClaim(payload, 'missing.path')).toBeUndefined();
    expect(readClaim(payload, 'list.0')).toBeUndefined();
    expect(readClaim(payload, '__proto__.polluted')).toBeUndefined();
    expect(readClaim(payload, 'constructor')).toBeUndefined();
  });

  it('turns strings and arrays into bounded lists of non-empty strings', () => {
    expect(claimToList(payload.scope)).toEqual(['chat:create', 'models:read']);
    expect(claimToList(payload.list)).toEqual(['a', 'b']);
    expect(claimToList({ roles: ['x'] })).toEqual([]);
    expect(claimToList(undefined)).toEqual([]);
    expect(
      claimToList(
        Array.from({ length: 500 }, (_, i) => `r${i}`),
        100,
      ),
    ).toHaveLength(100);
  });
});
