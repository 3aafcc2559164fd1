import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Finding } from '../context/findings.js';
import type { GuardContext } from '../context/guard-context.js';
import { LlmGuardError, type ProblemFieldError } from '../errors/llm-guard-error.js';
import { parseOptions } from '../options/parse-options.js';
import type { Guard, ResponseHooks, StepResult } from '../pipeline/guard.js';
import type { BodyPath, PromptRole } from '../prompt/types.js';
import { PII_DETECTORS } from './detectors/pii-detectors.js';
import { SECRET_DETECTORS } from './detectors/secret-detectors.js';
import { createPiiScanner, type PiiScanner } from './scanner.js';
import { createStreamRedactor, type MatchRenderer, redactText } from './stream-redactor.js';
import type { PiiAction, PiiCategory, PiiDetector, PiiMatch } from './types.js';
import { PseudonymVault } from './vault.js';

/** A detector supplied as data (JSON-friendly): a pattern plus optional context words. */
export interface CustomDetectorOptions {
  /** Upper snake case type name, e.g. `EMPLOYEE_ID`. */
  readonly type: string;
  /** RE2 pattern. */
  readonly pattern: string;
  /** Default `'pii'`. */
  readonly category?: PiiCategory;
  /** Default `false`. */
  readonly ignoreCase?: boolean;
  /** Words one of which must appear in the 48 characters before the value. */
  readonly context?: readonly string[];
  /** Action for this type; default: the category default. */
  readonly action?: PiiAction;
  /** Longest text before the pattern can first match; default 64, at most 512. */
  readonly window?: number;
  /**
   * Literal strings every match contains, with more of the match after them, for a pattern that
   * never matches a space, tab or line break: only the runs of text around them are searched.
   */
  readonly anchors?: readonly string[];
}

/** Options of `createPiiGuard` and of the preset's `pii` group. */
export interface PiiGuardOptions {
  /** Action for every personal-data type without its own entry. Default `'mask'`. */
  readonly pii?: PiiAction;
  /** Action for every credential type without its own entry. Default `'block'`. */
  readonly secrets?: PiiAction;
  /** Per-type actions, e.g. `{ EMAIL: 'pseudonymize', URL: 'mask' }`. Default: `{ URL: 'allow' }`. */
  readonly actions?: Readonly<Record<string, PiiAction>>;
  /** Types not to detect at all, e.g. `['IP_ADDRESS']`. Default none. */
  readonly disable?: readonly string[];
  /** Extra detectors as data. */
  readonly detectors?: readonly CustomDetectorOptions[];
  /** HMAC key for the `hash` action (≥ 32 characters); required when any type hashes. */
  readonly hashKey?: string;
  /** Roles whose segments are scanned. Default: every role. */
  readonly roles?: readonly PromptRole[];
  /** Redact (and restore) the answer too. Default `true`. */
  readonly response?: boolean;
  /** Most distinct values one request may pseudonymize; later ones are masked. Default 256. */
  readonly vaultSize?: number;
}

const actionSchema = z.enum(['block', 'mask', 'hash', 'pseudonymize', 'allow']);
const typeName = z.string().regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'upper snake case, at most 40 characters');
const optionsSchema = z.strictObject({
  pii: actionSchema.optional(),
  secrets: actionSchema.optional(),
  actions: z.record(typeName, actionSchema).optional(),
  disable: z.array(typeName).optional(),
  detectors: z
    .array(
      z.strictObject({
        type: typeName,
        pattern: z.string().min(1).max(2000),
        category: z.enum(['pii', 'secret']).optional(),
        ignoreCase: z.boolean().optional(),
        context: z.array(z.string().min(1).max(64)).max(50).optional(),
        action: actionSchema.optional(),
        window: z.number().int().positive().max(512).optional(),
        anchors: z.array(z.string().min(1).max(16)).min(1).max(8).optional(),
      }),
    )
    .max(200)
    .optional(),
  hashKey: z.string().min(32).optional(),
  roles: z.array(z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'document'])).optional(),
  response: z.boolean().optional(),
  vaultSize: z.number().int().positive().max(100_000).optional(),
});

/** Every built-in detector: personal data first, then credentials. */
export const DEFAULT_DETECTORS: readonly PiiDetector[] = [...PII_DETECTORS, ...SECRET_DETECTORS];

const PLACEHOLDER_TYPE = 'PSEUDONYM';
const PLACEHOLDER_DETECTOR: PiiDetector = {
  type: PLACEHOLDER_TYPE,
  category: 'pii',
  pattern: '\\[[A-Z][A-Z0-9_]{0,39}_\\d{1,6}\\]',
  boundary: 'none',
  window: 48,
  priority: 100,
};

interface RequestState {
  vault: PseudonymVault | undefined;
}

/**
 * PII and secret redaction guard (phase `pii`). Scans every prompt segment in one RE2 pass per
 * segment; refuses with 403 `ERR_LLMGUARD_SENSITIVE_DATA` (types only, never values) when a type's
 * action is `block`, otherwise rewrites the segment in place. On the answer it masks / hashes what
 * the model produced and restores pseudonyms, streamed or not.
 *
 * Defaults: credentials `block`, personal data `mask`, `URL` `allow`, answers redacted.
 *
 * @example
 * const guard = createPiiGuard({ actions: { EMAIL: 'pseudonymize' } });
 */
export function createPiiGuard(options: PiiGuardOptions = {}): Guard {
  const opts = parseOptions(optionsSchema, options, 'pii');
  const disabled = new Set(opts.disable ?? []);
  const custom: PiiDetector[] = (opts.detectors ?? []).map((d) => ({
    type: d.type,
    category: d.category ?? 'pii',
    pattern: d.pattern,
    ignoreCase: d.ignoreCase ?? false,
    boundary: 'none',
    window: d.window ?? 64,
    priority: 12,
    ...(d.context === undefined ? {} : { context: d.context }),
    ...(d.anchors === undefined ? {} : { anchors: d.anchors }),
  }));
  const detectors = [...DEFAULT_DETECTORS, ...custom].filter((d) => !disabled.has(d.type));
  const actions: Record<string, PiiAction> = { URL: 'allow', ...opts.actions };
  for (const d of opts.detectors ?? []) if (d.action !== undefined) actions[d.type] = d.action;
  const categoryDefault: Record<PiiCategory, PiiAction> = {
    pii: opts.pii ?? 'mask',
    secret: opts.secrets ?? 'block',
  };
  const actionFor = (match: PiiMatch): PiiAction => actions[match.type] ?? categoryDefault[match.category];

  const usesHash = Object.values(actions).includes('hash') || Object.values(categoryDefault).includes('hash');
  if (usesHash && opts.hashKey === undefined) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', {
      detail: 'Invalid option "pii.hashKey": the hash action needs a key of at least 32 characters.',
      errors: [{ path: 'pii.hashKey', code: 'required', message: 'required when an action is "hash"' }],
    });
  }
  const usesPseudonyms =
    Object.values(actions).includes('pseudonymize') ||
    Object.values(categoryDefault).includes('pseudonymize');
  const scanner = createPiiScanner(detectors);
  // The answer needs only what it will change: `allow` types (URL by default) are left out there.
  const answerDetectors = detectors.filter(
    (d) => (actions[d.type] ?? categoryDefault[d.category]) !== 'allow',
  );
  const responseScanner: PiiScanner = createPiiScanner(
    usesPseudonyms ? [PLACEHOLDER_DETECTOR, ...answerDetectors] : answerDetectors,
  );
  const roles = opts.roles === undefined ? undefined : new Set(opts.roles);
  const vaultSize = opts.vaultSize ?? 256;
  const hashKey = opts.hashKey;
  const stateKey = Symbol('pii');
  const state = (ctx: GuardContext): RequestState =>
    ctx.state<RequestState>(stateKey, () => ({ vault: undefined }));

  const hashToken = (ctx: GuardContext, match: PiiMatch): string => {
    const tenant = ctx.principal?.tenant ?? '';
    const digest = createHmac('sha256', hashKey!)
      .update(`${tenant}\u0000${match.type}\u0000${match.value}`)
      .digest('hex');
    return `[${match.type}:${digest.slice(0, 16)}]`;
  };

  const requestRenderer =
    (ctx: GuardContext): MatchRenderer =>
    (match) => {
      const action = actionFor(match);
      if (action === 'allow') return match.value;
      if (action === 'hash') return hashToken(ctx, match);
      if (action === 'pseudonymize') {
        const s = state(ctx);
        s.vault ??= new PseudonymVault(vaultSize);
        return s.vault.placeholderFor(match.type, match.value) ?? `[${match.type}]`;
      }
      return `[${match.type}]`;
    };

  const responseRenderer = (ctx: GuardContext): MatchRenderer => {
    const vault = state(ctx).vault;
    return (match) => {
      if (match.type === PLACEHOLDER_TYPE) return vault?.originalFor(match.value) ?? match.value;
      const action = actionFor(match);
      if (action === 'allow') return match.value;
      if (action === 'hash') return hashToken(ctx, match);
      return `[${match.type}]`;
    };
  };

  return {
    name: 'pii',
    phase: 'pii',
    onBody: function piiScanPrompt(ctx: GuardContext): StepResult {
      const prompt = ctx.prompt;
      if (prompt === undefined) return 'skip';
      const blocked = new Map<string, ProblemFieldError>();
      const rewrites: { index: number; matches: readonly PiiMatch[] }[] = [];
      prompt.segments.forEach((segment, index) => {
        if (roles !== undefined && !roles.has(segment.role)) return;
        const { matches } = scanner.scan(segment.text);
        if (matches.length === 0) return;
        const counts = new Map<string, { count: number; action: PiiAction }>();
        for (const match of matches) {
          const action = actionFor(match);
          const entry = counts.get(match.type) ?? { count: 0, action };
          entry.count++;
          counts.set(match.type, entry);
          if (action === 'block' && !blocked.has(match.type)) {
            blocked.set(match.type, {
              path: toPointer(segment.path),
              code: match.type,
              message: `Remove the ${match.type.toLowerCase().replaceAll('_', ' ')} from the request.`,
            });
          }
        }
        for (const [kind, { count, action }] of counts) {
          const finding: Finding = {
            guard: 'pii',
            kind,
            segment: index,
            role: segment.role,
            count,
            action,
            direction: 'request',
          };
          ctx.findings.push(finding);
        }
        rewrites.push({ index, matches });
      });
      if (blocked.size > 0) {
        const types = [...blocked.keys()].sort();
        throw new LlmGuardError('ERR_LLMGUARD_SENSITIVE_DATA', {
          detail: `The request contains data that may not be sent: ${types.join(', ')}.`,
          errors: [...blocked.values()],
          extensions: { 'sensitive-types': types },
        });
      }
      const render = requestRenderer(ctx);
      let changed = false;
      for (const { index, matches } of rewrites) {
        const text = prompt.segments[index]!.text;
        let out = '';
        let at = 0;
        for (const match of matches) {
          out += text.slice(at, match.start) + render(match);
          at = match.end;
        }
        out += text.slice(at);
        if (out !== text) {
          prompt.replaceText(index, out);
          changed = true;
        }
      }
      return changed ? 'modify' : rewrites.length > 0 ? 'flag' : undefined;
    },
    onResponse: function piiResponseHooks(ctx: GuardContext): ResponseHooks | undefined {
      if (opts.response === false) return undefined;
      return {
        textTransform: () => {
          const render = responseRenderer(ctx);
          const counts = new Map<string, number>();
          const counting: MatchRenderer = (match) => {
            if (match.type !== PLACEHOLDER_TYPE) counts.set(match.type, (counts.get(match.type) ?? 0) + 1);
            return render(match);
          };
          const inner = createStreamRedactor(responseScanner, counting);
          return {
            push: (text) => inner.push(text),
            flush: () => {
              const rest = inner.flush();
              for (const [kind, count] of counts) {
                const action =
                  actions[kind] === 'allow' ? 'allow' : actions[kind] === 'hash' ? 'hash' : 'mask';
                ctx.findings.push({ guard: 'pii', kind, count, action, direction: 'response' });
              }
              return rest;
            },
          };
        },
      };
    },
  };
}

/** Redacts one text with the built-in detectors and `[TYPE]` masks; for scripts and tests. */
export function maskText(text: string, scanner: PiiScanner = defaultScanner()): string {
  return redactText(scanner, text, (m) => `[${m.type}]`);
}

let sharedScanner: PiiScanner | undefined;

/** The built-in detectors compiled once per process. */
export function defaultScanner(): PiiScanner {
  sharedScanner ??= createPiiScanner(DEFAULT_DETECTORS);
  return sharedScanner;
}

/** RFC 6901 JSON Pointer of a body path. */
function toPointer(path: BodyPath): string {
  return path.map((part) => `/${String(part).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
