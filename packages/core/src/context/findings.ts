import type { LlmGuardErrorCode } from '../errors/codes.js';

/** What a guard noticed. Findings name rules and types, never the matched text. */
export interface Finding {
  /** Guard name, e.g. `injection`, `pii`. */
  readonly guard: string;
  /** What was found, e.g. `prompt-injection`, `EMAIL`, `AWS_ACCESS_KEY`. */
  readonly kind: string;
  /** Index into `prompt.segments`, when the finding belongs to one. */
  readonly segment?: number;
  readonly role?: string;
  readonly score?: number;
  readonly ruleIds?: readonly string[];
  readonly count?: number;
  readonly action?: 'block' | 'flag' | 'mask' | 'hash' | 'pseudonymize' | 'allow' | 'restore';
  /** Which side of the exchange: the request prompt or the model's answer. */
  readonly direction?: 'request' | 'response';
}

/** What happened at one guard step; the pipeline records one per step that ran. */
export type GuardOutcomeKind = 'pass' | 'flag' | 'modify' | 'block' | 'fail-open' | 'fail-closed' | 'skip';

export interface GuardDecision {
  readonly guard: string;
  readonly step: 'headers' | 'body' | 'response';
  readonly outcome: GuardOutcomeKind;
  readonly code?: LlmGuardErrorCode;
  readonly durationMs: number;
  /** `performance.now()` when the step started (lets telemetry place guard spans exactly). */
  readonly startedAt?: number;
}

/** Token counts, from the provider's `usage` or an estimate. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}
