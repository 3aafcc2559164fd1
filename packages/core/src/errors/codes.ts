/**
 * Every error llmguard produces carries one of these stable codes. The table gives the HTTP
 * status, the problem `type` slug (RFC 9457 §3.1.1) and a short human title for each.
 * Every code needs a `### \`CODE\`` section in docs/problems.md (checked by problems-doc.test.ts).
 */
export const ERROR_TABLE = {
  ERR_LLMGUARD_INVALID_OPTIONS: { status: 500, slug: 'invalid-options', title: 'Invalid llmguard options' },
  ERR_LLMGUARD_INVALID_RULE: { status: 500, slug: 'invalid-rule', title: 'Invalid detection rule' },
  ERR_LLMGUARD_BODY_TOO_LARGE: { status: 413, slug: 'body-too-large', title: 'Request body too large' },
  ERR_LLMGUARD_INVALID_JSON: { status: 400, slug: 'invalid-json', title: 'Malformed JSON body' },
  ERR_LLMGUARD_INVALID_UTF8: { status: 400, slug: 'invalid-utf8', title: 'Body is not valid UTF-8' },
  ERR_LLMGUARD_BODY_TOO_COMPLEX: {
    status: 400,
    slug: 'body-too-complex',
    title: 'Body nesting or key count over the limit',
  },
  ERR_LLMGUARD_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    slug: 'unsupported-media-type',
    title: 'Unsupported media type',
  },
  ERR_LLMGUARD_INVALID_REQUEST: { status: 400, slug: 'invalid-request', title: 'Invalid LLM request' },
  ERR_LLMGUARD_UNSUPPORTED_BODY_SHAPE: {
    status: 400,
    slug: 'unsupported-body-shape',
    title: 'Body is not a recognised LLM request',
  },
  ERR_LLMGUARD_PROMPT_INJECTION: {
    status: 403,
    slug: 'prompt-injection',
    title: 'Prompt injection detected',
  },
  ERR_LLMGUARD_SENSITIVE_DATA: {
    status: 403,
    slug: 'sensitive-data',
    title: 'Request contains blocked sensitive data',
  },
  ERR_LLMGUARD_UNAUTHENTICATED: { status: 401, slug: 'unauthenticated', title: 'Authentication required' },
  ERR_LLMGUARD_INVALID_CREDENTIALS: {
    status: 401,
    slug: 'invalid-credentials',
    title: 'Invalid credentials',
  },
  ERR_LLMGUARD_FORBIDDEN: { status: 403, slug: 'forbidden', title: 'Permission denied' },
  ERR_LLMGUARD_AMBIGUOUS_PATH: { status: 400, slug: 'ambiguous-path', title: 'Ambiguous request path' },
  ERR_LLMGUARD_POLICY_VIOLATION: {
    status: 403,
    slug: 'policy-violation',
    title: 'Request violates role policy',
  },
  ERR_LLMGUARD_QUOTA_EXCEEDED: { status: 429, slug: 'quota-exceeded', title: 'Quota exceeded' },
  ERR_LLMGUARD_BUDGET_EXCEEDED: { status: 402, slug: 'budget-exceeded', title: 'Cost budget exhausted' },
  ERR_LLMGUARD_LOOP_DETECTED: { status: 429, slug: 'loop-detected', title: 'Repeated identical request' },
  ERR_LLMGUARD_UNAVAILABLE: { status: 503, slug: 'guard-unavailable', title: 'A guard could not decide' },
  ERR_LLMGUARD_RESPONSE_UNPARSEABLE: {
    status: 502,
    slug: 'response-unparseable',
    title: 'Upstream response could not be inspected',
  },
  ERR_LLMGUARD_INTERNAL: { status: 500, slug: 'internal', title: 'Internal guard error' },
  ERR_LLMGUARD_WEBHOOK_REFUSED: { status: 500, slug: 'webhook-refused', title: 'Webhook target refused' },
  ERR_LLMGUARD_MODEL_INTEGRITY: {
    status: 500,
    slug: 'model-integrity',
    title: 'Model file failed its integrity check',
  },
} as const satisfies Record<string, { status: number; slug: string; title: string }>;

/** String-literal union of every stable error code. */
export type LlmGuardErrorCode = keyof typeof ERROR_TABLE;

/** Base URI of problem `type`s; each code's slug is appended. Documented in docs/problems.md. */
export const PROBLEM_TYPE_BASE = 'https://llmguard.dev/problems/';
