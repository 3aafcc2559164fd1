import type { GuardContext } from '../context/guard-context.js';
import type { Principal } from '../context/principal.js';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import { parseOptions } from '../options/parse-options.js';
import type { Guard, StepResult } from '../pipeline/guard.js';
import { API_KEY_PREFIX } from './api-key-format.js';
import { createApiKeyVerifier } from './api-key-verifier.js';
import { AuthenticationError, type BearerErrorCode } from './authentication-error.js';
import { readCredentials } from './credentials.js';
import { identityOptionsSchema } from './identity-options.js';
import { createJwtVerifier, type JwtVerifierOptions } from './jwt-verifier.js';
import type { KeyStore } from './key-store.js';
import { createRbac, type RbacOptions } from './rbac.js';
import { createRouteProtection } from './route-protection.js';

/** An authentication method of the chain. */
export type AuthMethod = 'jwt' | 'api-key';

/** Options of `createIdentityGuard` and of the preset's `identity` group. See docs/identity.md. */
export interface IdentityGuardOptions {
  /**
   * Which credential is judged when several are present: the first method in this list whose
   * credential is present. Default `['jwt', 'api-key']` (only the configured ones).
   */
  readonly order?: readonly AuthMethod[];
  /** API keys. */
  readonly apiKeys?: {
    readonly store: KeyStore;
    /** Key prefix. Default `llmg`. */
    readonly prefix?: string;
    /** Header carrying a key, or `false`. Default `x-api-key`. */
    readonly header?: string | false;
    /** Accept keys as `Authorization: Bearer llmg_…`. Default `true`. */
    readonly bearer?: boolean;
  };
  /** JWT / OIDC issuers. `algorithms` is required for each. */
  readonly jwt?: JwtVerifierOptions;
  /** Protected path prefixes. Default `['/']`: every path the guard sees needs a credential. */
  readonly protect?: readonly string[];
  /** Paths inside `protect` that need none (exact, or `/prefix/*`). Default `[]`. */
  readonly publicPaths?: readonly string[];
  /** Roles, route permissions and per-role policies. Default roles: admin, operator, user, viewer. */
  readonly rbac?: RbacOptions;
  /** `realm` of the `WWW-Authenticate` challenge. Default `llmguard`. */
  readonly realm?: string;
}

/**
 * The identity guard (phase `identity`). In `onHeaders`, before any body byte is read: classifies
 * the route (protected / public / open, fail closed), judges the first present credential in
 * `order` (a bad credential is a 401 and never falls through to another method or to anonymous),
 * sets `ctx.principal` and `ctx.policy`, and checks the route's permission (403 naming it).
 * In `onBody`: refuses `stream: true` when the role policy has `allowStreaming: false`.
 * Key stores or identity providers that cannot answer give a 503: there is no fail-open option,
 * because "let unauthenticated callers in while the IdP is down" is an outage turned into a breach.
 *
 * @example
 * const guard = createIdentityGuard({
 *   apiKeys: { store: new FileKeyStore('keys.json') },
 *   jwt: { issuers: [{ issuer: 'https://login.example.com/', audience: 'llm-api', algorithms: ['RS256'], discovery: true }] },
 *   publicPaths: ['/v1/models'],
 * });
 */
export function createIdentityGuard(options: IdentityGuardOptions): Guard {
  const parsed = parseOptions(identityOptionsSchema, options, 'identity');
  const realm = parsed.realm ?? 'llmguard';
  const order: readonly AuthMethod[] =
    parsed.order ?? (['jwt', 'api-key'] as const).filter((m) => (m === 'jwt' ? parsed.jwt : parsed.apiKeys));
  const routeAccess = createRouteProtection({
    ...(parsed.protect === undefined ? {} : { protect: parsed.protect }),
    ...(parsed.publicPaths === undefined ? {} : { publicPaths: parsed.publicPaths }),
  });
  const rbac = createRbac(options.rbac ?? {});
  const prefix = options.apiKeys?.prefix ?? API_KEY_PREFIX;
  const keyPrefix = `${prefix}_`;
  const apiKeyHeader = options.apiKeys === undefined ? undefined : (options.apiKeys.header ?? 'x-api-key');
  const bearerKeys = options.apiKeys !== undefined && options.apiKeys.bearer !== false;
  const verifyApiKey = options.apiKeys
    ? createApiKeyVerifier({ store: options.apiKeys.store, prefix })
    : undefined;
  const verifyJwt = options.jwt ? createJwtVerifier(options.jwt) : undefined;
  const challenge = `Bearer realm="${realm}"`;

  function refuse(error: AuthenticationError): LlmGuardError {
    return withChallenge(error.detail ?? error.title, error.bearerError);
  }

  function withChallenge(detail: string, bearerError: BearerErrorCode | undefined): LlmGuardError {
    // RFC 6750 §3: no error code when the request carried no credential at all (§3.1).
    const header =
      bearerError === undefined
        ? challenge
        : `${challenge}, error="${bearerError}", error_description="${detail}"`;
    return new LlmGuardError(
      bearerError === undefined ? 'ERR_LLMGUARD_UNAUTHENTICATED' : 'ERR_LLMGUARD_INVALID_CREDENTIALS',
      {
        detail,
        headers: { 'www-authenticate': header },
      },
    );
  }

  async function judge(ctx: GuardContext, protectedRoute: boolean): Promise<Principal | undefined> {
    const presented = readCredentials(ctx.header, apiKeyHeader === false ? undefined : apiKeyHeader);
    if (presented.malformedAuthorization) {
      // Another scheme (Basic, Digest) on a public path belongs to someone else; on a protected one it is refused.
      if (!protectedRoute) return undefined;
      throw withChallenge('The Authorization header is not a single Bearer credential.', 'invalid_request');
    }
    const bearerIsKey =
      presented.bearer !== undefined && bearerKeys && presented.bearer.startsWith(keyPrefix);
    for (const method of order) {
      if (method === 'jwt' && presented.bearer !== undefined && !bearerIsKey) {
        return verifyJwt!(presented.bearer);
      }
      if (method === 'api-key') {
        const key = bearerIsKey ? presented.bearer : presented.apiKeyHeader;
        if (key !== undefined) return verifyApiKey!(key);
      }
    }
    // A bearer token no configured method accepts is a present, bad credential, never "no credential".
    if (presented.bearer !== undefined)
      throw new AuthenticationError('The bearer token is not accepted here.');
    return undefined;
  }

  return {
    name: 'identity',
    phase: 'identity',
    async onHeaders(ctx: GuardContext): Promise<StepResult> {
      const access = routeAccess(ctx.url, ctx.path);
      const protectedRoute = access === 'protected';
      let principal: Principal | undefined;
      try {
        principal = await judge(ctx, protectedRoute);
      } catch (error) {
        if (error instanceof AuthenticationError) throw refuse(error);
        throw error;
      }
      if (principal === undefined) {
        if (protectedRoute)
          throw withChallenge('This endpoint requires an API key or a bearer token.', undefined);
        return 'skip';
      }
      ctx.principal = principal;
      ctx.policy = rbac.policyFor(principal.roles);
      if (!protectedRoute) return undefined;
      const permission = rbac.permissionFor(ctx.method, ctx.path);
      if (!rbac.can(principal.roles, permission)) throw forbidden(permission);
      return undefined;
    },
    onBody(ctx: GuardContext): StepResult {
      if (ctx.principal === undefined || ctx.policy?.allowStreaming !== false) return 'skip';
      const body = ctx.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
      const stream = (body as { stream?: unknown }).stream;
      // Anything but an explicit "no" asks for a stream: fail closed on odd values.
      if (stream !== undefined && stream !== false && stream !== null) throw forbidden('stream');
      return undefined;
    },
  };
}

function forbidden(permission: string): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_FORBIDDEN', {
    detail: `This request needs the "${permission}" permission.`,
    extensions: { permission },
  });
}
