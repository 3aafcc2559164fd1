import type { RoleDefinition, RoutePermission } from './rbac.js';

/**
 * Built-in roles. Permissions are `resource:action`; `*` grants everything, `chat:*` every chat
 * action. User-defined roles with the same name replace these; others are added.
 *
 * - `viewer`: may list models, may not chat; never streams.
 * - `user`: chat and embeddings.
 * - `operator`: everything a user may, plus usage and key inspection endpoints the host maps.
 * - `admin`: every permission, including unmapped routes.
 */
export const DEFAULT_ROLES: Readonly<Record<string, RoleDefinition>> = {
  viewer: { permissions: ['models:read'], policy: { allowStreaming: false } },
  user: { inherits: ['viewer'], permissions: ['chat:create', 'embeddings:create'], policy: {} },
  operator: { inherits: ['user'], permissions: ['models:*', 'usage:read', 'keys:read'], policy: {} },
  admin: { permissions: ['*'], policy: {} },
};

/**
 * Built-in route → permission map for OpenAI- and Anthropic-style endpoints. User routes are
 * checked first; a route matched by neither needs `defaultPermission` (`routes:unmapped`).
 */
export const DEFAULT_ROUTE_PERMISSIONS: readonly RoutePermission[] = [
  { method: 'POST', path: '/v1/chat/completions', permission: 'chat:create' },
  { method: 'POST', path: '/v1/completions', permission: 'chat:create' },
  { method: 'POST', path: '/v1/responses', permission: 'chat:create' },
  { method: 'POST', path: '/v1/messages', permission: 'chat:create' },
  { method: 'POST', path: '/v1/messages/count_tokens', permission: 'chat:create' },
  { method: 'POST', path: '/v1/embeddings', permission: 'embeddings:create' },
  { method: 'GET', path: '/v1/models', permission: 'models:read' },
  { method: 'GET', path: '/v1/models/*', permission: 'models:read' },
];
