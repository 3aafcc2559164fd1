import { describe, expect, it } from 'vitest';
import { isLlmGuardError } from '../errors/llm-guard-error.js';
import { createRbac, mergePolicies } from './rbac.js';

describe('RBAC', () => {
  const rbac = createRbac({
    roles: {
      analyst: { inherits: ['viewer'], permissions: ['usage:read', 'reports:*'] },
      bot: { permissions: ['chat:*'], policy: { allowedModels: ['gpt-4o-mini'], maxTokens: 256 } },
    },
    routes: [{ method: 'GET', path: '/v1/usage', permission: 'usage:read' }],
  });

  it('maps routes and methods to permissions, first match wins, unmapped needs routes:unmapped', () => {
    expect(rbac.permissionFor('POST', '/v1/chat/completions')).toBe('chat:create');
    expect(rbac.permissionFor('POST', '/V1/Chat/Completions')).toBe('chat:create');
    expect(rbac.permissionFor('GET', '/v1/models')).toBe('models:read');
    expect(rbac.permissionFor('HEAD', '/v1/models/gpt-4o')).toBe('models:read');
    expect(rbac.permissionFor('GET', '/v1/usage')).toBe('usage:read');
    expect(rbac.permissionFor('GET', '/v1/chat/completions')).toBe('routes:unmapped');
    expect(rbac.permissionFor('DELETE', '/v1/models/x')).toBe('routes:unmapped');
  });

  it('grants by default roles, inheritance and wildcards', () => {
    expect(rbac.can(['viewer'], 'chat:create')).toBe(false);
    expect(rbac.can(['viewer'], 'models:read')).toBe(true);
    expect(rbac.can(['user'], 'chat:create')).toBe(true);
    expect(rbac.can(['user'], 'models:read')).toBe(true);
    expect(rbac.can(['operator'], 'models:delete')).toBe(true);
    expect(rbac.can(['operator'], 'routes:unmapped')).toBe(false);
    expect(rbac.can(['admin'], 'routes:unmapped')).toBe(true);
    expect(rbac.can(['analyst'], 'models:read')).toBe(true);
    expect(rbac.can(['analyst'], 'reports:export:csv')).toBe(true);
    expect(rbac.can(['analyst'], 'reportsx:read')).toBe(false);
    expect(rbac.can(['bot'], 'chat:create')).toBe(true);
    expect(rbac.can(['bot'], 'chatter:create')).toBe(false);
    expect(rbac.can(['nobody'], 'models:read')).toBe(false);
    expect(rbac.can([], 'models:read')).toBe(false);
  });

  it('refuses inheritance cycles, unknown parents and malformed permissions at startup', () => {
    const attempts = [
      () => createRbac({ roles: { a: { inherits: ['b'] }, b: { inherits: ['a'] } } }),
      () => createRbac({ roles: { a: { inherits: ['ghost'] } } }),
      () => createRbac({ roles: { a: { permissions: ['chat:*:x'] } } }),
      () => createRbac({ roles: { a: { permissions: ['ch*t'] } } }),
      () => createRbac({ routes: [{ method: 'POST', path: '/x', permission: 'chat:*' }] }),
    ];
    for (const attempt of attempts) {
      try {
        attempt();
        throw new Error('expected a startup error');
      } catch (error) {
        expect(isLlmGuardError(error) && error.code).toBe('ERR_LLMGUARD_INVALID_OPTIONS');
      }
    }
  });

  it('replaces the default roles only when asked', () => {
    const only = createRbac({
      roles: { reader: { permissions: ['models:read'] } },
      replaceDefaultRoles: true,
    });
    expect(only.roleNames).toEqual(['reader']);
    expect(only.can(['admin'], 'chat:create')).toBe(false);
  });

  it('resolves the policy of the principal roles, most permissive wins', () => {
    expect(rbac.policyFor(['bot'])).toEqual({ allowedModels: ['gpt-4o-mini'], maxTokens: 256 });
    expect(rbac.policyFor(['viewer'])).toEqual({ allowStreaming: false });
    expect(rbac.policyFor(['unknown'])).toEqual({ allowedModels: [], allowStreaming: false });
    expect(rbac.policyFor(['bot', 'user'])).toEqual({ allowStreaming: true });
    expect(
      mergePolicies([
        { allowedModels: ['a-*'], maxTokens: 100, maxTokensMode: 'clamp', limitTier: 'free' },
        { allowedModels: ['b'], maxTokens: 300, allowStreaming: false, budgetTier: 'small' },
      ]),
    ).toEqual({
      allowedModels: ['a-*', 'b'],
      maxTokens: 300,
      maxTokensMode: 'clamp',
      limitTier: 'free',
      budgetTier: 'small',
      allowStreaming: true,
    });
  });
});
