/**
 * Reads a claim by a dotted path, e.g. `realm_access.roles` (Keycloak) or `app_metadata.tenant`.
 * A segment that is itself a URL-like namespaced claim (Auth0 `https://example.com/roles`) can be
 * given whole: the full path is tried as one key first.
 *
 * @example
 * readClaim({ realm_access: { roles: ['user'] } }, 'realm_access.roles'); // ['user']
 */
export function readClaim(payload: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let current: unknown = payload;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/**
 * A claim as a list of strings: arrays keep their string items, a string is split on spaces
 * (OAuth `scope`, RFC 8693 §4.2). Anything else is an empty list. At most `limit` items.
 *
 * @example
 * claimToList('chat:create models:read'); // ['chat:create', 'models:read']
 */
export function claimToList(value: unknown, limit = 100): string[] {
  const out: string[] = [];
  if (typeof value === 'string') {
    for (const item of value.split(' ')) {
      if (item !== '' && out.length < limit) out.push(item);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'string' && item !== '' && out.length < limit) out.push(item);
    }
  }
  return out;
}
