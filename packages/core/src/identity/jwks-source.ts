import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { isLlmGuardError, LlmGuardError } from '../errors/llm-guard-error.js';

/** How a trusted issuer's signing keys are found. */
export interface JwksSourceOptions {
  readonly issuer: string;
  /** JWKS URL. Exclusive with `discovery`. */
  readonly jwksUri?: string | undefined;
  /** `true`: `<issuer>/.well-known/openid-configuration`; a string: that discovery URL. */
  readonly discovery?: boolean | string | undefined;
  /** jose cooldown between refetches triggered by an unknown `kid`. */
  readonly cooldownMs: number;
  /** jose cache lifetime of a fetched key set. */
  readonly cacheMaxAgeMs: number;
  /** Timeout of one discovery or JWKS fetch. */
  readonly timeoutMs: number;
}

/** While an issuer's keys cannot be fetched, further fetches wait this long (no retry storm). */
export const KEY_FETCH_BACKOFF_MS = 1000;

const TOKEN_FAULT_CODES = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
]);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks that a key URL is absolute and uses https (plain http only on loopback, for local
 * providers and tests): keys fetched over plain http could be swapped by anyone on the path.
 *
 * @example
 * assertKeyUrl('https://login.example.com/.well-known/jwks.json', 'jwksUri');
 */
export function assertKeyUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
      detail: `Invalid option "${what}": not a URL.`,
    });
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
      detail: `Invalid option "${what}": keys must be fetched over https (http only on loopback).`,
    });
  }
  return url;
}

/**
 * Returns a jose key resolver for one issuer. With `discovery`, the OpenID Provider metadata is
 * fetched on first use and its `issuer` must equal the configured one (OpenID Connect Discovery
 * 1.0 §4.3) before its `jwks_uri` is trusted. Keys are cached by jose (`cacheMaxAge`, and at most
 * one refetch per `cooldown` for unknown `kid`s). A fetch that fails becomes a 503 (fail closed),
 * and for `KEY_FETCH_BACKOFF_MS` afterwards requests fail fast instead of refetching.
 *
 * @example
 * const getKey = createJwksSource({ issuer, discovery: true, cooldownMs: 30_000, cacheMaxAgeMs: 600_000, timeoutMs: 5000 });
 */
export function createJwksSource(options: JwksSourceOptions): JWTVerifyGetKey {
  const jwksUrl = options.jwksUri === undefined ? undefined : assertKeyUrl(options.jwksUri, 'jwksUri');
  const discoveryUrl =
    options.discovery === undefined || options.discovery === false
      ? undefined
      : assertKeyUrl(
          options.discovery === true
            ? `${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
            : options.discovery,
          'discovery',
        );
  const jwksOptions = {
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    timeoutDuration: options.timeoutMs,
  };
  let remote: JWTVerifyGetKey | undefined =
    jwksUrl === undefined ? undefined : createRemoteJWKSet(jwksUrl, jwksOptions);
  let discovering: Promise<JWTVerifyGetKey> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;

  async function discover(url: URL): Promise<JWTVerifyGetKey> {
    const response = await fetch(url, {
      redirect: 'error',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (response.status !== 200) throw new Error(`discovery answered ${response.status}`);
    const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (metadata.issuer !== options.issuer) throw new Error('discovery issuer mismatch');
    if (typeof metadata.jwks_uri !== 'string') throw new Error('discovery without jwks_uri');
    return createRemoteJWKSet(assertKeyUrl(metadata.jwks_uri, 'jwks_uri'), jwksOptions);
  }

  return async function resolveIssuerKey(header, token) {
    if (performance.now() - failedAt < KEY_FETCH_BACKOFF_MS) throw keysUnavailable(undefined);
    try {
      if (remote === undefined) {
        discovering ??= discover(discoveryUrl!).finally(() => {
          discovering = undefined;
        });
        remote = await discovering;
      }
      return await remote(header, token);
    } catch (error) {
      // An unknown kid is the token's fault (401), decided by the caller; everything else is ours.
      if (TOKEN_FAULT_CODES.has(String((error as { code?: unknown }).code))) throw error;
      if (isLlmGuardError(error)) throw error;
      failedAt = performance.now();
      throw keysUnavailable(error);
    }
  };
}

function keysUnavailable(cause: unknown): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_UNAVAILABLE', {
    detail: "The identity provider's signing keys could not be fetched.",
    headers: { 'retry-after': '1' },
    ...(cause === undefined ? {} : { cause }),
  });
}
