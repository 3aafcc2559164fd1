/**
 * Path patterns for route protection and route → permission mapping. Matching is on normalized
 * paths and case-insensitive (Express and Fastify route case-insensitively by default, so `/V1`
 * must be protected like `/v1`).
 *
 * - `/v1/models` matches exactly that path;
 * - `/v1/models/*` matches any path below it (one or more segments), not `/v1/models` itself.
 */
export type PathMatcher = (lowerCasePath: string) => boolean;

/**
 * Compiles one route pattern (`/a/b` exact, `/a/b/*` below).
 *
 * @example
 * compileRoutePattern('/v1/models/*')('/v1/models/gpt-4o'); // true
 */
export function compileRoutePattern(pattern: string): PathMatcher {
  const lower = trimTrailingSlash(pattern.toLowerCase());
  if (lower.endsWith('/*')) {
    const base = lower.slice(0, -1); // keeps the slash: '/v1/models/'
    return (path) => path.length > base.length && path.startsWith(base);
  }
  return (path) => path === lower;
}

/**
 * Compiles a protected prefix: matches the prefix itself and everything below it on a segment
 * boundary (`/v1` protects `/v1` and `/v1/chat`, not `/v1beta`; `/` protects everything).
 *
 * @example
 * compilePrefix('/v1')('/v1/chat/completions'); // true
 */
export function compilePrefix(prefix: string): PathMatcher {
  const lower = trimTrailingSlash(prefix.toLowerCase());
  if (lower === '/') return () => true;
  const below = `${lower}/`;
  return (path) => path === lower || path.startsWith(below);
}

function trimTrailingSlash(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 0x2f) end--;
  return path.slice(0, end);
}
