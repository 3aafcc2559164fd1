import { randomUUID } from 'node:crypto';
import { type BodyLimits, inspectParsedBody, parseJsonBody } from '../body/parse-json.js';
import { readBody } from '../body/read-body.js';
import type { GuardDecision, GuardOutcomeKind } from '../context/findings.js';
import type { GuardContext } from '../context/guard-context.js';
import { normalizePath } from '../context/normalize-path.js';
import { LlmGuardError, toLlmGuardError } from '../errors/llm-guard-error.js';
import { createPromptView } from '../prompt/extract-prompt.js';
import type { PromptExtractor } from '../prompt/types.js';
import { createResponseBodyTransformer } from '../response/create-response-transformer.js';
import type { ResponseBodyTransformer, ResponseStart } from '../response/types.js';
import { GUARD_PHASES, type Guard, type GuardStep, type ResponseHooks } from './guard.js';
import type { GuardRequest, RequestBody } from './request.js';

export interface PipelineOptions {
  readonly guards: readonly Guard[];
  /** Body caps; see `BodyLimits` for defaults. */
  readonly body?: Partial<BodyLimits>;
  /** Tried before the built-in dialects when building the prompt view. */
  readonly extractor?: PromptExtractor;
  /**
   * Resolves the client address from the adapter's view. Default: the framework's trusted value
   * (`request.clientIp`). The limits options install a `trustedProxies`-aware resolver here.
   */
  readonly resolveClientIp?: (request: GuardRequest) => string | undefined;
}

/** The request may proceed: hand `body` to the host handler and pipe its answer through `startResponse`. */
export interface GuardPass {
  readonly ok: true;
  readonly context: GuardContext;
  /** The sanitized parsed body (`undefined` when the request had none). */
  readonly body: unknown;
  /** Whether a guard rewrote the body (redaction, normalization, clamping). */
  readonly bodyModified: boolean;
  /** Headers to set on the answer (`x-request-id`, rate-limit headers, …). */
  readonly headers: Readonly<Record<string, string>>;
  /** Call when the host starts its answer; `null` means pass the body through untouched. */
  startResponse(start: ResponseStart): ResponseBodyTransformer | null;
  /** Call exactly once when the answer has ended or the client went away. Idempotent. */
  finish(info: { readonly status: number; readonly aborted?: boolean }): void;
}

/** The request is refused: send `status`, `headers` and `body` (an RFC 9457 problem) as they are. */
export interface GuardRefusal {
  readonly ok: false;
  readonly context: GuardContext;
  readonly error: LlmGuardError;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Serialized `application/problem+json` body. */
  readonly body: string;
}

export type GuardResult = GuardPass | GuardRefusal;

/** A compiled pipeline. Build once, call `handle` per request. */
export interface GuardPipeline {
  readonly guards: readonly Guard[];
  handle(request: GuardRequest): Promise<GuardResult>;
}

const MAX_REQUEST_ID_LENGTH = 128;

/**
 * Compiles guards into the fixed request path: headers steps (identity, limits) → body read and
 * parse → body steps (validation, injection, PII) → response hooks → finish (audit).
 *
 * @example
 * const pipeline = createGuardPipeline({ guards: [createRequestValidator()] });
 * const result = await pipeline.handle(request);
 */
export function createGuardPipeline(options: PipelineOptions): GuardPipeline {
  const guards = [...options.guards].sort(
    (a, b) => GUARD_PHASES.indexOf(a.phase) - GUARD_PHASES.indexOf(b.phase),
  );
  const headerSteps = guards.filter((g) => g.onHeaders).map((g) => [g.name, g.onHeaders!] as const);
  const bodySteps = guards.filter((g) => g.onBody).map((g) => [g.name, g.onBody!] as const);
  const responseGuards = guards.filter((g) => g.onResponse);
  const finishGuards = guards.filter((g) => g.onFinish);
  const limits = resolveBodyLimits(options.body);
  const extractor = options.extractor;
  const resolveClientIp = options.resolveClientIp ?? ((request: GuardRequest) => request.clientIp);

  async function runSteps(
    ctx: GuardContext,
    steps: readonly (readonly [string, GuardStep])[],
    step: GuardDecision['step'],
  ): Promise<void> {
    for (const [name, run] of steps) {
      const started = performance.now();
      let outcome: GuardOutcomeKind = 'pass';
      try {
        const result = await run(ctx);
        if (result) outcome = result;
      } catch (error) {
        const guardError = toLlmGuardError(error);
        ctx.decisions.push({
          guard: name,
          step,
          outcome: guardError.status === 503 ? 'fail-closed' : 'block',
          code: guardError.code,
          durationMs: performance.now() - started,
          startedAt: started,
        });
        throw guardError;
      }
      ctx.decisions.push({
        guard: name,
        step,
        outcome,
        durationMs: performance.now() - started,
        startedAt: started,
      });
    }
  }

  async function loadBody(ctx: GuardContext, request: GuardRequest): Promise<void> {
    const body = await readRequestBody(request, ctx, limits);
    if (body === undefined) return;
    ctx.body = body;
    ctx.prompt = createPromptView(body, extractor);
    ctx.model = ctx.prompt?.model;
  }

  return {
    guards,
    async handle(request: GuardRequest): Promise<GuardResult> {
      const ctx = createContext(request, resolveClientIp(request));
      let finished = false;
      const finish = (status: number, error: LlmGuardError | undefined, aborted: boolean): void => {
        if (finished) return;
        finished = true;
        const outcome = { status, error, aborted, durationMs: performance.now() - ctx.startedAt };
        for (const guard of finishGuards) {
          try {
            const pending = guard.onFinish!(ctx, outcome);
            if (pending) pending.catch(() => {});
          } catch {
            // onFinish must not throw; a faulty one must not stop the others or the response.
          }
        }
      };

      try {
        await runSteps(ctx, headerSteps, 'headers');
        await loadBody(ctx, request);
        await runSteps(ctx, bodySteps, 'body');
      } catch (thrown) {
        const error = toLlmGuardError(thrown);
        const headers: Record<string, string> = {
          ...ctx.responseHeaders,
          ...error.headers,
          'content-type': 'application/problem+json',
          'x-request-id': ctx.requestId,
        };
        finish(error.status, error, false);
        return {
          ok: false,
          context: ctx,
          error,
          status: error.status,
          headers,
          body: JSON.stringify(error.problem({ instance: ctx.path, requestId: ctx.requestId })),
        };
      }

      return {
        ok: true,
        context: ctx,
        get body() {
          return ctx.body;
        },
        get bodyModified() {
          return ctx.prompt?.modified ?? false;
        },
        headers: { ...ctx.responseHeaders, 'x-request-id': ctx.requestId },
        startResponse(start: ResponseStart): ResponseBodyTransformer | null {
          const hooks: ResponseHooks[] = [];
          for (const guard of responseGuards) {
            const h = guard.onResponse!(ctx);
            if (h) hooks.push(h);
          }
          return hooks.length === 0 ? null : createResponseBodyTransformer(ctx, hooks, start);
        },
        finish(info): void {
          finish(info.status, undefined, info.aborted ?? false);
        },
      };
    },
  };
}

function createContext(request: GuardRequest, clientIp: string | undefined): GuardContext {
  const supplied = request.header('x-request-id');
  const requestId = supplied !== undefined && isWellFormedRequestId(supplied) ? supplied : randomUUID();
  const state = new Map<symbol, unknown>();
  const method = request.method.toUpperCase();
  let fallbackSignal: AbortSignal | undefined;
  return {
    requestId,
    method,
    path: normalizePath(request.url),
    url: request.url,
    header: request.header,
    clientIp,
    startedAt: performance.now(),
    // Created on first use: an AbortController costs more than the rest of the context together.
    get signal(): AbortSignal {
      fallbackSignal ??= request.signal ?? new AbortController().signal;
      return fallbackSignal;
    },
    principal: undefined,
    policy: undefined,
    body: undefined,
    prompt: undefined,
    model: undefined,
    usage: undefined,
    findings: [],
    decisions: [],
    responseHeaders: {},
    state<T>(key: symbol, init: () => T): T {
      if (!state.has(key)) state.set(key, init());
      return state.get(key) as T;
    },
  };
}

function resolveBodyLimits(body: Partial<BodyLimits> | undefined): BodyLimits {
  return {
    maxBytes: body?.maxBytes ?? 1024 * 1024,
    maxDepth: body?.maxDepth ?? 64,
    maxKeys: body?.maxKeys ?? 10_000,
  };
}

/** Reads and parses the body when there is one; `undefined` when there is none. */
async function readRequestBody(
  request: GuardRequest,
  ctx: GuardContext,
  limits: BodyLimits,
): Promise<unknown | undefined> {
  const body: RequestBody = request.body;
  if (body.kind === 'none') return undefined;
  if (body.kind === 'parsed') {
    if (body.value === undefined) return undefined;
    // A framework parser (express.json) may have built the object; enforce the same caps on it.
    inspectParsedBody(body.value, limits);
    return body.value;
  }
  const length = ctx.header('content-length');
  const chunked = ctx.header('transfer-encoding') !== undefined;
  // RFC 9112 §6.3: without Transfer-Encoding or Content-Length a request has no body.
  if (
    body.kind === 'stream' &&
    body.present !== true &&
    !chunked &&
    (length === undefined || length.trim() === '0')
  ) {
    return undefined;
  }
  if (body.kind === 'bytes' && body.bytes.byteLength === 0) return undefined;
  const contentType = ctx.header('content-type');
  // A declared non-JSON type is refused before reading a byte; an undeclared one only if a body arrives.
  if (contentType !== undefined && !isJsonMediaType(contentType)) throw unsupportedMediaType();
  const bytes =
    body.kind === 'bytes'
      ? body.bytes
      : await readBody(body.stream, { maxBytes: limits.maxBytes, contentLength: length, signal: ctx.signal });
  if (body.kind === 'bytes' && bytes.byteLength > limits.maxBytes) {
    throw new LlmGuardError('ERR_LLMGUARD_BODY_TOO_LARGE', {
      detail: `The body exceeds ${limits.maxBytes} bytes.`,
    });
  }
  if (bytes.byteLength === 0) return undefined;
  if (contentType === undefined) throw unsupportedMediaType();
  return parseJsonBody(bytes, limits);
}

function unsupportedMediaType(): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_UNSUPPORTED_MEDIA_TYPE', {
    detail: 'Send the request body as application/json.',
    headers: { 'accept-post': 'application/json' },
  });
}

/**
 * `application/json` or any `application/*+json` (RFC 6839 §3.1), parameters ignored. Plain string
 * operations on the header, no regular expression.
 *
 * @example
 * isJsonMediaType('application/vnd.api+json; charset=utf-8'); // true
 */
export function isJsonMediaType(contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  const essence = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (essence === 'application/json') return true;
  if (!essence.startsWith('application/') || !essence.endsWith('+json')) return false;
  const suffixStart = essence.length - '+json'.length;
  return (
    suffixStart > 'application/'.length && !essence.slice('application/'.length, suffixStart).includes('/')
  );
}

/** 1–128 characters from `A–Z a–z 0–9 . _ : -`: safe to echo in a header and to log. */
function isWellFormedRequestId(value: string): boolean {
  if (value.length === 0 || value.length > MAX_REQUEST_ID_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 58) /* 0-9 : */ ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 45 /* - */ ||
      c === 46 /* . */ ||
      c === 95; /* _ */
    if (!ok) return false;
  }
  return true;
}
