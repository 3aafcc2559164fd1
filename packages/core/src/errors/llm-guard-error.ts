import { ERROR_TABLE, type LlmGuardErrorCode, PROBLEM_TYPE_BASE } from './codes.js';

/** One entry of a problem's `errors[]`: where, which rule, why — never the offending value. */
export interface ProblemFieldError {
  /** JSON Pointer (RFC 6901) into the request body, or an option path for option errors. */
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** RFC 9457 problem details as llmguard writes them. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code: LlmGuardErrorCode;
  readonly requestId?: string;
  readonly errors?: readonly ProblemFieldError[];
  readonly [extension: string]: unknown;
}

export interface LlmGuardErrorInit {
  /** Safe, human-readable explanation. Must never contain prompt text, matched text or secrets. */
  readonly detail?: string;
  readonly errors?: readonly ProblemFieldError[];
  /** Response headers to send with the problem, e.g. `Retry-After`, `WWW-Authenticate`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Extra problem members (RFC 9457 §3.2), e.g. `violated-policies`. Must be safe to show. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Overrides the table's status (e.g. 429 instead of 402 for budgets when configured). */
  readonly status?: number;
  readonly cause?: unknown;
}

/**
 * The one error class llmguard throws. `code` is stable; `problem()` renders the RFC 9457 body.
 *
 * @example
 * throw new LlmGuardError('ERR_LLMGUARD_BODY_TOO_LARGE', { detail: 'The body exceeds 1048576 bytes.' });
 */
export class LlmGuardError extends Error {
  override readonly name = 'LlmGuardError';
  readonly code: LlmGuardErrorCode;
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly detail: string | undefined;
  readonly errors: readonly ProblemFieldError[] | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(code: LlmGuardErrorCode, init: LlmGuardErrorInit = {}) {
    const entry = ERROR_TABLE[code];
    super(init.detail ?? entry.title, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status ?? entry.status;
    this.title = entry.title;
    this.type = PROBLEM_TYPE_BASE + entry.slug;
    this.detail = init.detail;
    this.errors = init.errors;
    this.headers = init.headers ?? {};
    this.extensions = init.extensions ?? {};
  }

  /** The RFC 9457 body for this error; `instance` is the request path, `requestId` links to the audit log. */
  problem(context: { readonly instance?: string; readonly requestId?: string } = {}): ProblemDetails {
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(context.instance === undefined ? {} : { instance: context.instance }),
      code: this.code,
      ...(context.requestId === undefined ? {} : { requestId: context.requestId }),
      ...(this.errors === undefined ? {} : { errors: this.errors }),
    };
  }
}

/** Type guard that works across package copies (checks the shape, not only `instanceof`). */
export function isLlmGuardError(value: unknown): value is LlmGuardError {
  return (
    value instanceof LlmGuardError ||
    (value instanceof Error &&
      value.name === 'LlmGuardError' &&
      String((value as { code?: unknown }).code).startsWith('ERR_LLMGUARD_'))
  );
}

/**
 * Turns anything thrown into an `LlmGuardError`. Unknown errors become a 500 `internal` problem
 * whose detail is generic: the original message may hold user data and is kept only as `cause`.
 */
export function toLlmGuardError(value: unknown): LlmGuardError {
  if (isLlmGuardError(value)) return value;
  return new LlmGuardError('ERR_LLMGUARD_INTERNAL', {
    detail: 'The guard failed unexpectedly.',
    cause: value,
  });
}

/** An error as an HTTP answer: status, headers and the serialized `application/problem+json` body. */
export interface ProblemResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The answer for `error`: its status, `headers` (e.g. rate-limit headers set before the refusal)
 * under the error's own headers, `content-type: application/problem+json` and `x-request-id`,
 * and the RFC 9457 body naming `instance` (the request path) and `requestId`.
 *
 * @example
 * const { status, headers, body } = problemResponse(error, { instance: '/v1/chat/completions', requestId });
 */
export function problemResponse(
  error: LlmGuardError,
  context: {
    readonly instance: string;
    readonly requestId: string;
    readonly headers?: Readonly<Record<string, string>>;
  },
): ProblemResponse {
  return {
    status: error.status,
    headers: {
      ...context.headers,
      ...error.headers,
      'content-type': 'application/problem+json',
      'x-request-id': context.requestId,
    },
    body: JSON.stringify(error.problem({ instance: context.instance, requestId: context.requestId })),
  };
}
