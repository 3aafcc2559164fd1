import { decodePercent, stripAbsoluteForm, stripQuery } from '../context/normalize-path.js';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import { compilePrefix, compileRoutePattern, type PathMatcher } from './path-patterns.js';

/** Options of `createRouteProtection`. */
export interface RouteProtectionOptions {
  /** Path prefixes that need an authenticated principal. Default `['/']`: everything the guard sees. */
  readonly protect?: readonly string[];
  /** Exact paths or `/prefix/*` patterns inside protected prefixes that need no credential. Default `[]`. */
  readonly publicPaths?: readonly string[];
}

/**
 * - `protected`: a credential is required and RBAC applies;
 * - `public`: in the explicit allowlist: a credential is optional (judged if present), no RBAC;
 * - `open`: outside every protected prefix: same as public.
 */
export type RouteAccess = 'protected' | 'public' | 'open';

/** Decides the access class of a request from its raw target and its normalized path. */
export type RouteProtection = (target: string, normalizedPath: string) => RouteAccess;

/**
 * Builds the fail-closed route check. Frameworks and the guard can read one target differently
 * (Express and Fastify route the raw path with `..` and `%2F` left alone; the WHATWG URL parser
 * behind Hono resolves dot segments). So the check looks at several views of the target — the
 * normalized path, the raw path and the path decoded once — and a request is protected if ANY view
 * falls under a protected prefix, and public only if EVERY view is allowlisted. A target with dot
 * segments (`.`/`..`, also percent-encoded), backslashes or NUL under a protected prefix is refused
 * as ambiguous (400): legitimate clients never send them, since URL parsers resolve them first.
 *
 * @example
 * const access = createRouteProtection({ protect: ['/v1'], publicPaths: ['/v1/models'] });
 * access('/v1/chat/completions', '/v1/chat/completions'); // 'protected'
 */
export function createRouteProtection(options: RouteProtectionOptions = {}): RouteProtection {
  const protect = (options.protect ?? ['/']).map(compilePrefix);
  const publics = (options.publicPaths ?? []).map(compileRoutePattern);
  const isProtected = (path: string): boolean => protect.some((match) => match(path));
  const isPublic = (path: string): boolean => publics.some((match: PathMatcher) => match(path));

  return function routeAccess(target: string, normalizedPath: string): RouteAccess {
    const raw = stripQuery(stripAbsoluteForm(target));
    const decoded = decodePercent(raw);
    const views = raw === normalizedPath ? [canonical(raw)] : [normalizedPath, raw, decoded].map(canonical);
    if (!views.some(isProtected)) return 'open';
    if (isAmbiguous(raw)) {
      throw new LlmGuardError('ERR_LLMGUARD_AMBIGUOUS_PATH', {
        detail: 'The request path contains dot segments, backslashes or NUL characters.',
      });
    }
    return views.every(isPublic) ? 'public' : 'protected';
  };
}

/** Lower case, repeated slashes collapsed, no trailing slash: the shape the matchers expect. */
function canonical(path: string): string {
  // Fast path for the common, already-clean path.
  if (path.startsWith('/') && !path.includes('//') && (path.length === 1 || !path.endsWith('/'))) {
    return path.toLowerCase();
  }
  let out = '';
  let previousSlash = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '/') {
      if (previousSlash) continue;
      previousSlash = true;
    } else {
      previousSlash = false;
    }
    out += c;
  }
  if (out.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return (out.startsWith('/') ? out : `/${out}`).toLowerCase();
}

/** Checks the raw path and up to three decoded layers for dot segments, `\` and NUL. */
function isAmbiguous(raw: string): boolean {
  let layer = raw;
  for (let depth = 0; depth < 4; depth++) {
    if (layer.includes('\\') || layer.includes('\0')) return true;
    for (const segment of layer.split('/')) {
      if (segment === '.' || segment === '..') return true;
    }
    const next = decodePercent(layer);
    if (next === layer) return false;
    layer = next;
  }
  // Still encoded after four layers: nobody sends that by accident.
  return true;
}
