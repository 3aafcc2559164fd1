import type { TokenUsage } from '../context/findings.js';
import type { GuardContext } from '../context/guard-context.js';
import type { LlmGuardError } from '../errors/llm-guard-error.js';

/**
 * Fixed order of the request path (DESIGN.md). The pipeline sorts guards by phase, so the order
 * in which users list guards never matters: auth and limits always run before anything is parsed.
 */
export const GUARD_PHASES = ['identity', 'limits', 'validation', 'injection', 'pii', 'audit'] as const;
export type GuardPhase = (typeof GUARD_PHASES)[number];

/** A step may report a non-pass outcome; throwing an `LlmGuardError` refuses the request. */
// biome-ignore lint/suspicious/noConfusingVoidType: steps that only check return nothing at all.
export type StepResult = void | 'flag' | 'modify' | 'fail-open' | 'skip';
export type GuardStep = (ctx: GuardContext) => StepResult | Promise<StepResult>;

/** Rewrites one stream of answer text (one choice / content block). Must be pure per instance. */
export interface TextTransform {
  /** Takes the next piece of text, returns what can be released now (may be ''). */
  push(text: string): string;
  /** End of stream: returns everything still held back. */
  flush(): string;
}

/** What a guard wants to see or change in the answer. */
export interface ResponseHooks {
  /** A fresh transform per answer text stream; transforms of several guards are chained in phase order. */
  readonly textTransform?: () => TextTransform;
  /** Called once with the answer's usage (from the JSON body or the final SSE event). */
  readonly onUsage?: (usage: TokenUsage) => void;
}

/** How the request ended, for `onFinish`. */
export interface RequestOutcome {
  /** HTTP status sent to the client (0 if the connection closed before a status was sent). */
  readonly status: number;
  /** The refusal, if a guard refused. */
  readonly error: LlmGuardError | undefined;
  /** The client went away before the answer was complete. */
  readonly aborted: boolean;
  readonly durationMs: number;
}

/**
 * A guard is a small object made by a factory that validated and compiled its options once.
 *
 * @example
 * const guard: Guard = { name: 'my-check', phase: 'validation', onBody: function myCheck(ctx) {} };
 */
export interface Guard {
  readonly name: string;
  readonly phase: GuardPhase;
  /** Before the body is read: identity and limit checks that need only headers. */
  readonly onHeaders?: GuardStep;
  /** After the body is parsed and the prompt view is built. */
  readonly onBody?: GuardStep;
  /** Called once when the host handler starts its answer; return hooks to see or rewrite it. */
  readonly onResponse?: (ctx: GuardContext) => ResponseHooks | undefined;
  /** Called exactly once per request, refused or not, after the answer ends. Must not throw. */
  readonly onFinish?: (ctx: GuardContext, outcome: RequestOutcome) => void | Promise<void>;
}
