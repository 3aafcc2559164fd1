/** Who is calling, as established by the identity guard. */
export interface Principal {
  /** Stable id: the JWT `sub`, or the API key id. Never a secret. */
  readonly id: string;
  readonly kind: 'api-key' | 'jwt' | 'anonymous';
  readonly tenant: string | undefined;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  /** Issuer for JWTs, key id for API keys. */
  readonly issuer?: string;
  readonly keyId?: string;
}

/** The per-role policy resolved for a principal (identity issue), read by later guards. */
export interface RolePolicy {
  /** Model globs this principal may use; `undefined` = any. */
  readonly allowedModels?: readonly string[];
  /** Largest `max_tokens` allowed; `undefined` = no cap beyond the validator's. */
  readonly maxTokens?: number;
  /** What to do above `maxTokens`: refuse (default) or clamp the request. */
  readonly maxTokensMode?: 'refuse' | 'clamp';
  readonly limitTier?: string;
  readonly budgetTier?: string;
  readonly allowStreaming?: boolean;
}
