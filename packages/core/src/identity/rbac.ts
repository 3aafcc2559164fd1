import type { RolePolicy } from '../context/principal.js';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import { DEFAULT_ROLES, DEFAULT_ROUTE_PERMISSIONS } from './default-roles.js';
import { compileRoutePattern, type PathMatcher } from './path-patterns.js';

/** A role: its own permissions, roles it inherits from, and the policy it applies. */
export interface RoleDefinition {
  /** `resource:action` strings; `*` alone or as the last segment is a wildcard (`chat:*`). */
  readonly permissions?: readonly string[];
  /** Roles whose permissions this one also has. Cycles are a startup error. */
  readonly inherits?: readonly string[];
  /** Per-role limits on what the request may ask for (models, max_tokens, streaming, tiers). */
  readonly policy?: RolePolicy;
}

/** Which permission a route needs. `method` is an HTTP method or `*`; `path` as in `compileRoutePattern`. */
export interface RoutePermission {
  readonly method: string;
  readonly path: string;
  readonly permission: string;
}

/** Options of `createRbac` (the `rbac` option of the identity guard). */
export interface RbacOptions {
  /** Role definitions, merged over `DEFAULT_ROLES` by name (or replacing them, see below). */
  readonly roles?: Readonly<Record<string, RoleDefinition>>;
  /** Use only `roles`, without admin/operator/user/viewer. Default `false`. */
  readonly replaceDefaultRoles?: boolean;
  /** Route → permission entries, checked before `DEFAULT_ROUTE_PERMISSIONS`; first match wins. */
  readonly routes?: readonly RoutePermission[];
  /** Permission needed by a route no entry matches. Default `routes:unmapped` (only `*` holds it). */
  readonly defaultPermission?: string;
}

/** Compiled role-based access control. */
export interface Rbac {
  /** The permission a request needs (route map, else `defaultPermission`). `path` is normalized. */
  permissionFor(method: string, path: string): string;
  /** Whether any of `roles` grants `permission` (directly, inherited or by wildcard). */
  can(roles: readonly string[], permission: string): boolean;
  /** The merged policy of `roles` (see `mergePolicies`). */
  policyFor(roles: readonly string[]): RolePolicy;
  /** Known role names. */
  readonly roleNames: readonly string[];
}

interface CompiledRole {
  readonly exact: ReadonlySet<string>;
  /** Wildcard grants as prefixes: `chat:*` → `chat:`; `*` → ``. */
  readonly prefixes: readonly string[];
  readonly policy: RolePolicy;
}

/** Policy of a principal without any known role: nothing is allowed. */
const NO_POLICY: RolePolicy = Object.freeze({
  allowedModels: Object.freeze([]) as readonly string[],
  allowStreaming: false,
});
const MAX_MERGED_POLICIES = 1024;

// Option strings only (never request input): the JS engine is fine here.
const PERMISSION = /^(?:\*|[a-z0-9_.-]+(?::[a-z0-9_.-]+)*(?::\*)?)$/i;

/**
 * Compiles roles (resolving inheritance once), route permissions and policies.
 *
 * @example
 * const rbac = createRbac({ roles: { analyst: { inherits: ['viewer'], permissions: ['usage:read'] } } });
 * rbac.can(['user'], rbac.permissionFor('POST', '/v1/chat/completions')); // true
 */
export function createRbac(options: RbacOptions = {}): Rbac {
  const definitions: Record<string, RoleDefinition> = {
    ...(options.replaceDefaultRoles ? {} : DEFAULT_ROLES),
    ...options.roles,
  };
  const defaultPermission = options.defaultPermission ?? 'routes:unmapped';
  assertPermission(defaultPermission, 'rbac.defaultPermission');
  const roles = new Map<string, CompiledRole>();
  for (const name of Object.keys(definitions)) {
    const granted = new Set<string>();
    collect(name, definitions, granted, []);
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const permission of granted) {
      if (permission === '*') prefixes.push('');
      else if (permission.endsWith(':*')) prefixes.push(permission.slice(0, -1));
      else exact.add(permission);
    }
    roles.set(name, { exact, prefixes, policy: definitions[name]?.policy ?? {} });
  }

  const routes: { method: string; match: PathMatcher; permission: string }[] = [];
  for (const [index, route] of [...(options.routes ?? []), ...DEFAULT_ROUTE_PERMISSIONS].entries()) {
    assertPermission(route.permission, `rbac.routes.${index}.permission`);
    if (route.permission.includes('*')) {
      throw invalid(`rbac.routes.${index}.permission`, 'a route must require a concrete permission');
    }
    routes.push({
      method: route.method.toUpperCase(),
      match: compileRoutePattern(route.path),
      permission: route.permission,
    });
  }

  const merged = new Map<string, RolePolicy>();

  return {
    roleNames: [...roles.keys()],
    permissionFor(method: string, path: string): string {
      const upper = method === 'HEAD' ? 'GET' : method.toUpperCase();
      const lower = path.toLowerCase();
      for (const route of routes) {
        if ((route.method === '*' || route.method === upper) && route.match(lower)) return route.permission;
      }
      return defaultPermission;
    },
    can(principalRoles: readonly string[], permission: string): boolean {
      for (const name of principalRoles) {
        const role = roles.get(name);
        if (role === undefined) continue;
        if (role.exact.has(permission)) return true;
        for (const prefix of role.prefixes) if (permission.startsWith(prefix)) return true;
      }
      return false;
    },
    policyFor(principalRoles: readonly string[]): RolePolicy {
      if (principalRoles.length === 1) return roles.get(principalRoles[0]!)?.policy ?? NO_POLICY;
      // Merged policies are cached per role combination so later guards see a stable object
      // (the validator caches compiled model globs by the policy's array identity).
      const cacheKey = principalRoles.join('\n');
      const cached = merged.get(cacheKey);
      if (cached !== undefined) return cached;
      const policies: RolePolicy[] = [];
      for (const name of principalRoles) {
        const role = roles.get(name);
        if (role !== undefined) policies.push(role.policy);
      }
      const policy = mergePolicies(policies);
      if (merged.size >= MAX_MERGED_POLICIES) merged.clear();
      merged.set(cacheKey, policy);
      return policy;
    },
  };
}

/**
 * Merges the policies of several roles, most permissive wins (roles grant, they never take away):
 * allowed models are the union (any role without a list allows any model); `maxTokens` is the
 * largest (none if any role has no cap); streaming is allowed if any role allows it (unset = allowed).
 * `maxTokensMode`, `limitTier` and `budgetTier` come from the first role that sets them.
 * No known role gives `{ allowStreaming: false, allowedModels: [] }`: nothing is allowed.
 *
 * @example
 * mergePolicies([{ maxTokens: 512 }, { maxTokens: 2048 }]); // { maxTokens: 2048 }
 */
export function mergePolicies(policies: readonly RolePolicy[]): RolePolicy {
  if (policies.length === 0) return NO_POLICY;
  if (policies.length === 1) return policies[0]!;
  let anyModel = false;
  const models = new Set<string>();
  let uncapped = false;
  let maxTokens = 0;
  let streaming = false;
  let maxTokensMode: RolePolicy['maxTokensMode'];
  let limitTier: string | undefined;
  let budgetTier: string | undefined;
  for (const policy of policies) {
    if (policy.allowedModels === undefined) anyModel = true;
    else for (const model of policy.allowedModels) models.add(model);
    if (policy.maxTokens === undefined) uncapped = true;
    else maxTokens = Math.max(maxTokens, policy.maxTokens);
    if (policy.allowStreaming !== false) streaming = true;
    maxTokensMode ??= policy.maxTokensMode;
    limitTier ??= policy.limitTier;
    budgetTier ??= policy.budgetTier;
  }
  return {
    ...(anyModel ? {} : { allowedModels: [...models] }),
    ...(uncapped ? {} : { maxTokens }),
    ...(maxTokensMode === undefined ? {} : { maxTokensMode }),
    ...(limitTier === undefined ? {} : { limitTier }),
    ...(budgetTier === undefined ? {} : { budgetTier }),
    allowStreaming: streaming,
  };
}

function collect(
  name: string,
  definitions: Readonly<Record<string, RoleDefinition>>,
  into: Set<string>,
  path: readonly string[],
): void {
  if (path.includes(name)) {
    throw invalid(`rbac.roles.${name}.inherits`, `inheritance cycle ${[...path, name].join(' → ')}`);
  }
  const definition = definitions[name];
  if (definition === undefined) {
    throw invalid(`rbac.roles.${path.at(-1) ?? name}.inherits`, `unknown role "${name}"`);
  }
  for (const permission of definition.permissions ?? []) {
    assertPermission(permission, `rbac.roles.${name}.permissions`);
    into.add(permission);
  }
  for (const parent of definition.inherits ?? []) collect(parent, definitions, into, [...path, name]);
}

function assertPermission(permission: string, where: string): void {
  if (!PERMISSION.test(permission)) {
    throw invalid(where, `"${permission}" is not a permission (resource:action, optional trailing :*)`);
  }
}

function invalid(path: string, message: string): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
    detail: `Invalid option "${path}": ${message}.`,
    errors: [{ path, code: 'invalid_rbac', message }],
  });
}
