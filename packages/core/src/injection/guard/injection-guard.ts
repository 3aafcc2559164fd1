import { z } from 'zod';
import type { Finding } from '../../context/findings.js';
import type { GuardContext } from '../../context/guard-context.js';
import { isLlmGuardError, LlmGuardError } from '../../errors/llm-guard-error.js';
import { parseOptions } from '../../options/parse-options.js';
import type { Guard, StepResult } from '../../pipeline/guard.js';
import type { PromptRole, PromptSegment } from '../../prompt/types.js';
import { MemoryStore } from '../../store/memory-store.js';
import type { Store } from '../../store/store.js';
import { INJECTION_DEFAULTS } from '../defaults.js';
import type { InjectionScorer } from '../scorer/build-scorer.js';
import {
  type InjectionScorerOptions,
  injectionScorerShape,
  scorerFromOptions,
} from '../scorer/create-injection-scorer.js';
import { resolveSessionKey } from './session-key.js';

/** Multi-turn trajectory: a decaying per-session score that blocks slow escalation. */
export interface InjectionTrajectoryOptions {
  /**
   * Decayed session total at which the request is refused. Each request adds only how far its
   * score rises above `minScore`, so the total measures sustained suspicion. Default 0.5.
   */
  readonly limit?: number;
  /** Half-life of the decay. Default 600,000 ms (10 minutes). */
  readonly halfLifeMs?: number;
  /** Idle time after which a session's score is forgotten. Default 3,600,000 ms. */
  readonly ttlMs?: number;
  /**
   * A request adds `score − minScore` when its score is above `minScore`, nothing otherwise, so
   * ordinary chat never accumulates. Default: the `flag` threshold (0.6).
   */
  readonly minScore?: number;
  /** Where trajectories live. Default: a private `MemoryStore` (use a Redis store across instances). */
  readonly store?: Store;
  /** Header carrying the session id, lower case; `false` to ignore headers. Default `x-session-id`. */
  readonly sessionHeader?: string | false;
  /** Custom session key; wins over principal and header. */
  readonly sessionKey?: (ctx: GuardContext) => string | undefined;
}

/** Options of {@link createInjectionGuard}. Every scorer option applies too. */
export interface InjectionGuardOptions extends InjectionScorerOptions {
  /** Score at or above which user content is refused with 403. Default 0.8. */
  readonly block?: number;
  /** Score at or above which user content is allowed but recorded. Default 0.6. */
  readonly flag?: number;
  /** Block threshold for tool results and documents (indirect injection). Default 0.8. */
  readonly indirectBlock?: number;
  /** Flag threshold for tool results and documents. Default 0.6. */
  readonly indirectFlag?: number;
  /** Also score assistant turns (clients can forge them). Default `false`. */
  readonly scoreAssistant?: boolean;
  /** Phrases of known-benign traffic, removed (case-insensitive) before scoring. Default none. */
  readonly allowPhrases?: readonly string[];
  /** Return `true` to skip injection scoring for a request (e.g. trusted internal callers). */
  readonly allow?: (ctx: GuardContext) => boolean;
  /** Multi-turn trajectory; `false` turns it off. Default on, in memory. */
  readonly trajectory?: InjectionTrajectoryOptions | false;
  /** When the guard cannot decide (store down): `false` refuses with 503 (default), `true` lets the request through. */
  readonly failOpen?: boolean;
}

const threshold = z.number().gt(0).lte(1);
const guardSchema = z.strictObject({
  ...injectionScorerShape,
  block: threshold.optional(),
  flag: threshold.optional(),
  indirectBlock: threshold.optional(),
  indirectFlag: threshold.optional(),
  scoreAssistant: z.boolean().optional(),
  allowPhrases: z.array(z.string().min(1).max(1000)).max(1000).optional(),
  allow: z.function().optional(),
  trajectory: z
    .union([
      z.literal(false),
      z.strictObject({
        limit: z.number().positive().optional(),
        halfLifeMs: z.number().int().positive().optional(),
        ttlMs: z.number().int().positive().optional(),
        minScore: z.number().min(0).max(1).optional(),
        store: z
          .custom<Store>(
            (s) => typeof s === 'object' && s !== null && 'decayAdd' in s,
            'must implement Store',
          )
          .optional(),
        sessionHeader: z
          .union([z.literal(false), z.string().regex(/^[a-z0-9-]+$/, 'lower-case header name')])
          .optional(),
        sessionKey: z.function().optional(),
      }),
    ])
    .optional(),
  failOpen: z.boolean().optional(),
});

type Kind = 'direct' | 'indirect' | undefined;

function kindOf(role: PromptRole, scoreAssistant: boolean): Kind {
  if (role === 'user') return 'direct';
  if (role === 'tool' || role === 'document') return 'indirect';
  if (role === 'assistant' && scoreAssistant) return 'direct';
  return undefined; // system and developer messages are the operator's own: trusted
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Builds a phrase remover: each allow phrase is blanked out (same length, so nothing shifts) before
 * scoring. Matching is case-insensitive by lower-casing both sides; no regex touches the input.
 */
function phraseRemover(phrases: readonly string[]): ((text: string) => string) | undefined {
  if (phrases.length === 0) return undefined;
  const lowered = phrases.map((p) => p.toLowerCase());
  return function removeAllowedPhrases(text: string): string {
    const lower = text.toLowerCase();
    if (lower.length !== text.length) return text;
    let out = text;
    for (const phrase of lowered) {
      for (let at = lower.indexOf(phrase); at !== -1; at = lower.indexOf(phrase, at + phrase.length)) {
        out = out.slice(0, at) + ' '.repeat(phrase.length) + out.slice(at + phrase.length);
      }
    }
    return out;
  };
}

/**
 * The injection guard (phase `injection`). Scores every untrusted segment of the prompt: user
 * turns against `block`/`flag`, tool results, documents and Anthropic `tool_result` blocks against
 * `indirectBlock`/`indirectFlag`. A score at the block threshold refuses with 403
 * `ERR_LLMGUARD_PROMPT_INJECTION`; at the flag threshold the request passes and a finding is
 * recorded. Findings carry segment index, role, score and rule ids — never text. Across requests
 * of one session, a decaying trajectory refuses escalation that no single request crosses.
 * If the trajectory store fails, the guard refuses with 503 (`failOpen: true` lets it through).
 *
 * @example
 * const guard = createInjectionGuard({ block: 0.9, trajectory: { sessionHeader: 'x-conversation-id' } });
 */
export function createInjectionGuard(options: InjectionGuardOptions = {}): Guard {
  const opts = parseOptions(guardSchema, options, 'injection');
  const scorer: InjectionScorer = scorerFromOptions(opts, 'injection');
  const block = opts.block ?? INJECTION_DEFAULTS.block;
  const flag = Math.min(opts.flag ?? INJECTION_DEFAULTS.flag, block);
  const indirectBlock = opts.indirectBlock ?? INJECTION_DEFAULTS.indirectBlock;
  const indirectFlag = Math.min(opts.indirectFlag ?? INJECTION_DEFAULTS.indirectFlag, indirectBlock);
  const scoreAssistant = opts.scoreAssistant ?? false;
  const removeAllowed = phraseRemover(opts.allowPhrases ?? []);
  const allow = opts.allow as InjectionGuardOptions['allow'];
  const failOpen = opts.failOpen ?? false;
  const traj = opts.trajectory === false ? undefined : (opts.trajectory ?? {});
  const trajectory =
    traj === undefined
      ? undefined
      : {
          limit: traj.limit ?? INJECTION_DEFAULTS.trajectoryLimit,
          halfLifeMs: traj.halfLifeMs ?? INJECTION_DEFAULTS.trajectoryHalfLifeMs,
          ttlMs: traj.ttlMs ?? INJECTION_DEFAULTS.trajectoryTtlMs,
          minScore: traj.minScore ?? flag,
          store: (traj.store as Store | undefined) ?? new MemoryStore(),
          source: {
            sessionHeader: traj.sessionHeader ?? 'x-session-id',
            ...(traj.sessionKey === undefined
              ? {}
              : { sessionKey: traj.sessionKey as (ctx: GuardContext) => string | undefined }),
          },
        };

  function refuse(detail: string): LlmGuardError {
    return new LlmGuardError('ERR_LLMGUARD_PROMPT_INJECTION', { detail });
  }

  async function injectionStep(ctx: GuardContext): Promise<StepResult> {
    const prompt = ctx.prompt;
    if (prompt === undefined || prompt.segments.length === 0) return 'skip';
    if (allow?.(ctx) === true) return 'skip';
    const segments: readonly PromptSegment[] = prompt.segments;
    // Turns after the last assistant message are what this request adds to the conversation.
    let lastAssistantTurn = -1;
    for (const s of segments)
      if (s.role === 'assistant' && s.turn > lastAssistantTurn) lastAssistantTurn = s.turn;

    let blocked: Finding | undefined;
    let flagged = false;
    let added = 0;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      const kind = kindOf(segment.role, scoreAssistant);
      if (kind === undefined || segment.text.length === 0) continue;
      const text = removeAllowed === undefined ? segment.text : removeAllowed(segment.text);
      const result = scorer.score(text);
      const blockAt = kind === 'indirect' ? indirectBlock : block;
      const flagAt = kind === 'indirect' ? indirectFlag : flag;
      if (segment.turn > lastAssistantTurn && result.score > added) added = result.score;
      if (result.score < flagAt) continue;
      const action = result.score >= blockAt ? 'block' : 'flag';
      const finding: Finding = {
        guard: 'injection',
        kind: kind === 'indirect' ? 'indirect-prompt-injection' : 'prompt-injection',
        segment: i,
        role: segment.role,
        score: round(result.score),
        ruleIds: result.ruleIds,
        action,
        direction: 'request',
      };
      ctx.findings.push(finding);
      if (action === 'block') blocked ??= finding;
      else flagged = true;
    }
    if (blocked !== undefined) {
      throw refuse(
        blocked.kind === 'indirect-prompt-injection'
          ? 'Content supplied to the model (a tool result or document) contains instructions aimed at the model.'
          : 'The request looks like an attempt to override the model’s instructions.',
      );
    }

    // Only clearly suspicious turns accumulate, and only by their excess over the minimum: a
    // greeting repeated all day adds nothing, four turns just under `block` add up.
    if (trajectory !== undefined && added > trajectory.minScore) {
      const key = resolveSessionKey(ctx, trajectory.source);
      if (key !== undefined) {
        let total: number;
        try {
          total = await trajectory.store.decayAdd(
            key,
            added - trajectory.minScore,
            trajectory.halfLifeMs,
            trajectory.ttlMs,
          );
        } catch (cause) {
          if (isLlmGuardError(cause) && cause.code === 'ERR_LLMGUARD_PROMPT_INJECTION') throw cause;
          ctx.findings.push({ guard: 'injection', kind: 'trajectory-unavailable', direction: 'request' });
          if (failOpen) return 'fail-open';
          throw new LlmGuardError('ERR_LLMGUARD_UNAVAILABLE', {
            detail: 'The injection guard could not read the conversation trajectory.',
            cause,
          });
        }
        if (total >= trajectory.limit) {
          ctx.findings.push({
            guard: 'injection',
            kind: 'prompt-injection-trajectory',
            score: round(total),
            action: 'block',
            direction: 'request',
          });
          throw refuse('The conversation as a whole escalates toward overriding the model’s instructions.');
        }
      }
    }
    return flagged ? 'flag' : undefined;
  }

  return {
    name: 'injection',
    phase: 'injection',
    onBody: async function injectionGuard(ctx: GuardContext): Promise<StepResult> {
      try {
        return await injectionStep(ctx);
      } catch (error) {
        if (isLlmGuardError(error)) throw error;
        // A scoring bug must not turn into a 500 or a silent pass: apply the failure policy.
        if (failOpen) return 'fail-open';
        throw new LlmGuardError('ERR_LLMGUARD_UNAVAILABLE', {
          detail: 'The injection guard could not score the request.',
          cause: error,
        });
      }
    },
  };
}
