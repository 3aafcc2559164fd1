import { decodeJwt, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Principal } from '../context/principal.js';
import { isLlmGuardError } from '../errors/llm-guard-error.js';
import { AuthenticationError } from './authentication-error.js';
import { claimToList, readClaim } from './claims.js';
import { createJwksSource } from './jwks-source.js';

/**
 * Asymmetric JWS algorithms accepted in `algorithms`. HMAC (`HS*`) is refused with a JWKS: a
 * verifier that accepts both HS256 and RS256 can be fooled into using the public key as an HMAC
 * secret (algorithm confusion). `none` is never accepted.
 */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
/** One of `JWT_ALGORITHMS`. */
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** One trusted token issuer. */
export interface JwtIssuerOptions {
  /** Exact `iss` value, e.g. `https://login.example.com/`. */
  readonly issuer: string;
  /** Accepted `aud` value(s). Required: a token minted for another API must not work here. */
  readonly audience: string | readonly string[];
  /** Accepted algorithms. Required, non-empty, asymmetric only (see `JWT_ALGORITHMS`). */
  readonly algorithms: readonly JwtAlgorithm[];
  /** JWKS URL. Give this or `discovery`. */
  readonly jwksUri?: string;
  /** `true`: use `<issuer>/.well-known/openid-configuration`; or the discovery URL itself. */
  readonly discovery?: boolean | string;
  /** Allowed clock skew for `exp`/`nbf`/`iat`, seconds. Default 30. */
  readonly clockToleranceSec?: number;
  /** Required `typ` header, e.g. `at+jwt` (RFC 9068). Default: not checked. */
  readonly typ?: string;
  /** Claim path holding roles (dotted, e.g. `realm_access.roles`). Default `roles`. */
  readonly rolesClaim?: string;
  /** Claim path holding the tenant. Default `tenant`. */
  readonly tenantClaim?: string;
  /** Claim path holding scopes (space-separated string or array). Default `scope`, then `scp`. */
  readonly scopesClaim?: string;
  /** Roles given when the token carries none. Default `[]` (no permissions). */
  readonly defaultRoles?: readonly string[];
  /** Minimum time between JWKS refetches caused by an unknown `kid`, ms. Default 30,000 (jose). */
  readonly jwksCooldownMs?: number;
  /** How long fetched keys are used before a refetch, ms. Default 600,000 (jose). */
  readonly jwksCacheMaxAgeMs?: number;
  /** Timeout of one key or discovery fetch, ms. Default 5000. */
  readonly jwksTimeoutMs?: number;
}

/** Options of `createJwtVerifier` (the `jwt` option of the identity guard). */
export interface JwtVerifierOptions {
  readonly issuers: readonly JwtIssuerOptions[];
  /** Longest accepted token, bytes; longer ones are refused before parsing. Default 8192. */
  readonly maxTokenBytes?: number;
}

/** Verifies one bearer token and returns its principal, or throws a 401/503 `LlmGuardError`. */
export type JwtVerifier = (token: string) => Promise<Principal>;

interface CompiledIssuer {
  readonly options: JwtIssuerOptions;
  readonly getKey: JWTVerifyGetKey;
  readonly verifyOptions: Parameters<typeof jwtVerify>[2];
}

const CLAIM_DETAILS: Readonly<Record<string, string>> = {
  nbf: 'The token is not valid yet.',
  iss: 'The token issuer is not accepted.',
  aud: 'The token audience is not accepted.',
  iat: 'The token issue time is not accepted.',
};

/**
 * Builds the JWT check for one or more trusted issuers. The issuer is picked by the token's `iss`
 * (unverified, only to choose which keys to verify with), then jose verifies signature,
 * algorithm allowlist, `iss`, `aud`, `exp`/`nbf` with clock tolerance and `typ`. Tokens must carry
 * `exp` and `sub`. Claims are mapped to a principal: id = `sub`, roles / tenant / scopes from the
 * configured claim paths.
 *
 * @example
 * const verify = createJwtVerifier({
 *   issuers: [{ issuer: 'https://login.example.com/', audience: 'llm-api', algorithms: ['RS256'], discovery: true }],
 * });
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const maxTokenBytes = options.maxTokenBytes ?? 8192;
  const byIssuer = new Map<string, CompiledIssuer>();
  for (const issuer of options.issuers) {
    byIssuer.set(issuer.issuer, {
      options: issuer,
      getKey: createJwksSource({
        issuer: issuer.issuer,
        jwksUri: issuer.jwksUri,
        discovery: issuer.discovery,
        cooldownMs: issuer.jwksCooldownMs ?? 30_000,
        cacheMaxAgeMs: issuer.jwksCacheMaxAgeMs ?? 600_000,
        timeoutMs: issuer.jwksTimeoutMs ?? 5000,
      }),
      verifyOptions: {
        issuer: issuer.issuer,
        audience: typeof issuer.audience === 'string' ? issuer.audience : [...issuer.audience],
        algorithms: [...issuer.algorithms],
        clockTolerance: issuer.clockToleranceSec ?? 30,
        requiredClaims: ['exp', 'sub'],
        ...(issuer.typ === undefined ? {} : { typ: issuer.typ }),
      },
    });
  }

  return async function verifyJwt(token: string): Promise<Principal> {
    // Size first: a huge token must cost nothing (no base64 decode, no JSON parse).
    if (token.length > maxTokenBytes) {
      throw new AuthenticationError(`The token exceeds ${maxTokenBytes} bytes.`, 'invalid_request');
    }
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new AuthenticationError('The token is malformed.');
    }
    const issuer = typeof unverified.iss === 'string' ? byIssuer.get(unverified.iss) : undefined;
    if (issuer === undefined) throw new AuthenticationError('The token issuer is not trusted.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, issuer.getKey, issuer.verifyOptions));
    } catch (error) {
      throw refusalFor(error);
    }
    return toPrincipal(payload, issuer.options);
  };
}

function refusalFor(error: unknown): Error {
  if (isLlmGuardError(error)) return error;
  const code = String((error as { code?: unknown }).code);
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new AuthenticationError('The token has expired.', 'invalid_token', error);
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = String((error as { claim?: unknown }).claim);
      const detail = CLAIM_DETAILS[claim] ?? 'A required token claim is missing or not accepted.';
      return new AuthenticationError(detail, 'invalid_token', error);
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new AuthenticationError('The token algorithm is not accepted.', 'invalid_token', error);
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new AuthenticationError('No trusted key matches the token.', 'invalid_token', error);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new AuthenticationError('The token signature is not valid.', 'invalid_token', error);
    default:
      // Malformed segments, bad base64, unsupported headers: the token's fault, never a 500.
      return new AuthenticationError('The token is malformed.', 'invalid_token', error);
  }
}

function toPrincipal(payload: JWTPayload, issuer: JwtIssuerOptions): Principal {
  const roles = claimToList(readClaim(payload, issuer.rolesClaim ?? 'roles'));
  const tenant = readClaim(payload, issuer.tenantClaim ?? 'tenant');
  const scopes =
    issuer.scopesClaim === undefined
      ? claimToList(payload['scope'] ?? payload['scp'], 200)
      : claimToList(readClaim(payload, issuer.scopesClaim), 200);
  return {
    id: String(payload.sub),
    kind: 'jwt',
    tenant: typeof tenant === 'string' && tenant !== '' ? tenant : undefined,
    roles: roles.length > 0 ? roles : [...(issuer.defaultRoles ?? [])],
    scopes,
    issuer: issuer.issuer,
  };
}
