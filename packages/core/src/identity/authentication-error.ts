import { LlmGuardError } from '../errors/llm-guard-error.js';

/** RFC 6750 §3.1 error codes sent in `WWW-Authenticate`. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token';

/**
 * A 401 for a credential that was presented and refused. The guard adds the `WWW-Authenticate`
 * challenge (it knows the realm); `bearerError` says which RFC 6750 error code to put in it.
 * The detail is a fixed sentence chosen by the verifier, never the credential or a claim value.
 *
 * @example
 * throw new AuthenticationError('The token has expired.');
 */
export class AuthenticationError extends LlmGuardError {
  readonly bearerError: BearerErrorCode;

  constructor(detail: string, bearerError: BearerErrorCode = 'invalid_token', cause?: unknown) {
    super('ERR_LLMGUARD_INVALID_CREDENTIALS', { detail, ...(cause === undefined ? {} : { cause }) });
    this.bearerError = bearerError;
  }
}
