import type { PromptView } from '../prompt/types.js';
import type { Finding, GuardDecision, TokenUsage } from './findings.js';
import type { Principal, RolePolicy } from './principal.js';

/** Case-insensitive header lookup; names are passed in lower case. Repeated headers are joined with `, `. */
export type HeaderLookup = (lowerCaseName: string) => string | undefined;

/**
 * One per request. Guards read what earlier guards established (principal, policy, prompt) and
 * write findings; the adapter reads the sanitized body back from it.
 */
export interface GuardContext {
  readonly requestId: string;
  readonly method: string;
  /** Normalized path (no query, dot segments resolved, duplicate slashes collapsed). */
  readonly path: string;
  /** The request target as received, with query. */
  readonly url: string;
  readonly header: HeaderLookup;
  /** From the framework's trusted value or the configured `trustedProxies`; never raw `X-Forwarded-For`. */
  readonly clientIp: string | undefined;
  readonly startedAt: number;
  readonly signal: AbortSignal;

  principal: Principal | undefined;
  policy: RolePolicy | undefined;
  /** Parsed JSON body (after the body phase); `undefined` when the request has none. */
  body: unknown;
  prompt: PromptView | undefined;
  /** Model named by the request, once known. */
  model: string | undefined;
  /** Usage reported by the answer (or estimated), once known. */
  usage: TokenUsage | undefined;

  readonly findings: Finding[];
  readonly decisions: GuardDecision[];
  /** Response headers guards want sent on success and on refusal (e.g. `RateLimit`). */
  readonly responseHeaders: Record<string, string>;

  /** Private per-guard state, keyed by a symbol the guard owns. */
  state<T>(key: symbol, init: () => T): T;
}
