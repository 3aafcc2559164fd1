import type { HeaderLookup } from '../context/guard-context.js';

/** The credentials a request carries, read from its headers without judging them. */
export interface PresentedCredentials {
  /** Token of `Authorization: Bearer <token>` when well-formed (RFC 6750 §2.1). */
  readonly bearer: string | undefined;
  /** An `Authorization` header is present but is not one well-formed Bearer credential. */
  readonly malformedAuthorization: boolean;
  /** Value of the API key header (default `x-api-key`). */
  readonly apiKeyHeader: string | undefined;
}

/** Longest `Authorization` or API key header value read at all; longer ones are malformed. */
export const MAX_CREDENTIAL_HEADER_BYTES = 16 * 1024;

/**
 * Reads the bearer token and the API key header. Repeated `Authorization` headers arrive joined
 * with `, ` and are malformed (which one would be judged is ambiguous).
 *
 * @example
 * readCredentials(ctx.header, 'x-api-key');
 */
export function readCredentials(
  header: HeaderLookup,
  apiKeyHeaderName: string | undefined,
): PresentedCredentials {
  const authorization = header('authorization');
  let bearer: string | undefined;
  let malformedAuthorization = false;
  if (authorization !== undefined) {
    bearer = parseBearer(authorization);
    malformedAuthorization = bearer === undefined;
  }
  const apiKey = apiKeyHeaderName === undefined ? undefined : header(apiKeyHeaderName)?.trim();
  return {
    bearer,
    malformedAuthorization,
    apiKeyHeader: apiKey === undefined || apiKey === '' ? undefined : apiKey,
  };
}

/**
 * `Bearer <b64token>` → the token, or `undefined` when the header is anything else.
 * The scheme is case-insensitive (RFC 9110 §11.1); b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" /
 * "~" / "+" / "/" ) *"=" (RFC 6750 §2.1). Checked by scanning, no regex.
 *
 * @example
 * parseBearer('Bearer eyJ…'); // 'eyJ…'
 */
export function parseBearer(value: string): string | undefined {
  if (value.length > MAX_CREDENTIAL_HEADER_BYTES) return undefined;
  const trimmed = value.trim();
  if (trimmed.length < 8 || trimmed.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  const token = trimmed.slice(7).trimStart();
  if (token === '') return undefined;
  let padding = false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 0x3d /* = */) {
      padding = true;
      continue;
    }
    if (padding || !isB64TokenChar(c)) return undefined;
  }
  return token;
}

function isB64TokenChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x7e ||
    c === 0x2b ||
    c === 0x2f
  );
}
