import { randomUUID } from 'node:crypto';
import { type BodyLimits, decodeJsonText, inspectParsedBody, parseJsonText } from '../body/parse-json.js';
import { readBody } from '../body/read-body.js';
import type { Finding, GuardDecision, TokenUsage } from '../context/findings.js';
import type { GuardContext, HeaderLookup } from '../context/guard-context.js';
import { normalizePath } from '../context/normalize-path.js';
import type { Principal, RolePolicy } from '../context/principal.js';
import { LlmGuardError, problemResponse, toLlmGuardError } from '../errors/llm-guard-error.js';
import { createPromptView } from '../prompt/extract-prompt.js';
import type { PromptExtractor, PromptView } from '../prompt/types.js';
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
  /**
   * The sanitized body as JSON text, for hosts that parse it again (Hono's `c.req.json()`): the text
   * as received when no guard changed the body, else `JSON.stringify(body)`. `undefined` without a body.
   * Optional so that passes built by hand (wrapping pipelines) stay valid; callers fall back to
   * `JSON.stringify(body)` when it is missing.
   */
  bodyText?(): string | undefined;
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
  /**
   * What the passes of this pipeline do after the request phase: `response` when some guard sees the
   * answer (`startResponse` may return a transformer), `finish` when some guard waits for the end
   * (`finish` does something). Adapters skip wiring what is `false`. Absent (a hand-made or wrapping
   * pipeline): both are assumed.
   */
  readonly answerHooks?: { readonly response: boolean; readonly finish: boolean };
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
  const compiled: CompiledPipeline = {
    headerSteps: guards.filter((g) => g.onHeaders).map((g) => ({ name: g.name, run: g.onHeaders! })),
    bodySteps: guards.filter((g) => g.onBody).map((g) => ({ name: g.name, run: g.onBody! })),
    responseGuards: guards.filter((g) => g.onResponse),
    finishGuards: guards.filter((g) => g.onFinish),
    limits: resolveBodyLimits(options.body),
    extractor: options.extractor,
  };
  const resolveClientIp = options.resolveClientIp;

  return {
    guards,
    answerHooks: {
      response: compiled.responseGuards.length > 0,
      finish: compiled.finishGuards.length > 0,
    },
    async handle(request: GuardRequest): Promise<GuardResult> {
      const ctx = new RequestContext(request, resolveClientIp);
      try {
        const headersDone = runSteps(ctx, compiled.headerSteps, 'headers');
        if (headersDone !== undefined) await headersDone;
        const body = await readRequestBody(request, ctx, compiled.limits);
        if (body !== undefined) {
          ctx.body = body;
          ctx.prompt = createPromptView(body, compiled.extractor);
          ctx.model = ctx.prompt?.model;
        }
        const bodyDone = runSteps(ctx, compiled.bodySteps, 'body');
        if (bodyDone !== undefined) await bodyDone;
      } catch (thrown) {
        const error = toLlmGuardError(thrown);
        runFinish(compiled.finishGuards, ctx, error.status, error, false);
        const answer = problemResponse(error, {
          instance: ctx.path,
          requestId: ctx.requestId,
          headers: ctx.responseHeaders,
        });
        return { ok: false, context: ctx, error, ...answer };
      }
      return new Pass(ctx, compiled);
    },
  };
}

/** What `handle` needs from the options, resolved once. */
interface CompiledPipeline {
  readonly headerSteps: readonly NamedStep[];
  readonly bodySteps: readonly NamedStep[];
  readonly responseGuards: readonly Guard[];
  readonly finishGuards: readonly Guard[];
  readonly limits: BodyLimits;
  readonly extractor: PromptExtractor | undefined;
}

interface NamedStep {
  readonly name: string;
  readonly run: GuardStep;
}

/**
 * Runs steps in order, recording a decision for each. While steps answer synchronously (the
 * validator and the text guards do) nothing is awaited and no promise is made: each `await` costs a
 * promise and a turn of the microtask queue per request. The first step that returns a promise
 * hands the rest of the run to `runStepsAfter`, and that promise is returned.
 */
function runSteps(
  ctx: GuardContext,
  steps: readonly NamedStep[],
  step: GuardDecision['step'],
  from = 0,
): Promise<void> | undefined {
  for (let i = from; i < steps.length; i++) {
    const started = performance.now();
    let returned: ReturnType<GuardStep>;
    try {
      returned = steps[i]!.run(ctx);
    } catch (error) {
      throw refusal(ctx, steps[i]!.name, step, started, error);
    }
    if (isPromiseLike(returned)) return runStepsAfter(ctx, steps, step, i, returned, started);
    recordPass(ctx, steps[i]!.name, step, returned, started);
  }
  return undefined;
}

/** Awaits step `index`'s answer, then runs the steps after it. */
async function runStepsAfter(
  ctx: GuardContext,
  steps: readonly NamedStep[],
  step: GuardDecision['step'],
  index: number,
  pending: PromiseLike<Awaited<ReturnType<GuardStep>>>,
  started: number,
): Promise<void> {
  let result: Awaited<ReturnType<GuardStep>>;
  try {
    result = await pending;
  } catch (error) {
    throw refusal(ctx, steps[index]!.name, step, started, error);
  }
  recordPass(ctx, steps[index]!.name, step, result, started);
  const rest = runSteps(ctx, steps, step, index + 1);
  if (rest !== undefined) await rest;
}

function recordPass(
  ctx: GuardContext,
  name: string,
  step: GuardDecision['step'],
  result: Awaited<ReturnType<GuardStep>>,
  started: number,
): void {
  ctx.decisions.push({
    guard: name,
    step,
    outcome: result ? result : 'pass',
    durationMs: performance.now() - started,
    startedAt: started,
  });
}

/** Records the refusal (or fail-closed outage) of a step and returns the error to throw. */
function refusal(
  ctx: GuardContext,
  name: string,
  step: GuardDecision['step'],
  started: number,
  error: unknown,
): LlmGuardError {
  const guardError = toLlmGuardError(error);
  ctx.decisions.push({
    guard: name,
    step,
    outcome: guardError.status === 503 ? 'fail-closed' : 'block',
    code: guardError.code,
    durationMs: performance.now() - started,
    startedAt: started,
  });
  return guardError;
}

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof value === 'object' && value !== null && typeof (value as Promise<T>).then === 'function';
}

/** Calls every `onFinish` once; a faulty one must not stop the others or the response. */
function runFinish(
  finishGuards: readonly Guard[],
  ctx: GuardContext,
  status: number,
  error: LlmGuardError | undefined,
  aborted: boolean,
): void {
  if (finishGuards.length === 0) return;
  const outcome = { status, error, aborted, durationMs: performance.now() - ctx.startedAt };
  for (const guard of finishGuards) {
    try {
      const pending = guard.onFinish!(ctx, outcome);
      if (pending) pending.catch(() => {});
    } catch {
      // onFinish must not throw.
    }
  }
}

const COMPILED = Symbol('llmguard.compiled');
const FINISHED = Symbol('llmguard.finished');

/**
 * The passed request: own data fields and shared method functions (no closures per request). Every
 * field is an own property, so a copy made with `{ ...pass }` still works as a pass.
 */
class Pass implements GuardPass {
  readonly ok = true;
  readonly context: RequestContext;
  readonly body: unknown;
  readonly bodyModified: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText = passBodyText;
  readonly startResponse = passStartResponse;
  readonly finish = passFinish;
  readonly [COMPILED]: CompiledPipeline;
  [FINISHED] = false;

  constructor(ctx: RequestContext, compiled: CompiledPipeline) {
    this.context = ctx;
    // Guards are done with the body once the pass exists; later phases only read the answer.
    this.body = ctx.body;
    this.bodyModified = ctx.prompt?.modified ?? false;
    this[COMPILED] = compiled;
    const extra = ctx.responseHeaders;
    this.headers = hasKeys(extra)
      ? { ...extra, 'x-request-id': ctx.requestId }
      : { 'x-request-id': ctx.requestId };
  }
}

function passBodyText(this: Pass): string | undefined {
  const ctx = this.context;
  if (this.body === undefined) return undefined;
  // Unchanged since it was parsed: the text as received is the sanitized body, no need to serialize.
  if (ctx.receivedText !== undefined && this.body === ctx.receivedBody && !this.bodyModified) {
    return ctx.receivedText;
  }
  return JSON.stringify(this.body);
}

function passStartResponse(this: Pass, start: ResponseStart): ResponseBodyTransformer | null {
  const responseGuards = this[COMPILED].responseGuards;
  if (responseGuards.length === 0) return null;
  const hooks: ResponseHooks[] = [];
  for (const guard of responseGuards) {
    const h = guard.onResponse!(this.context);
    if (h) hooks.push(h);
  }
  return hooks.length === 0 ? null : createResponseBodyTransformer(this.context, hooks, start);
}

function passFinish(this: Pass, info: { readonly status: number; readonly aborted?: boolean }): void {
  if (this[FINISHED]) return;
  this[FINISHED] = true;
  runFinish(this[COMPILED].finishGuards, this.context, info.status, undefined, info.aborted ?? false);
}

function hasKeys(record: Readonly<Record<string, string>>): boolean {
  for (const _ in record) return true;
  return false;
}

/** The per-request context: plain fields, methods on the prototype, costly parts made on first use. */
class RequestContext implements GuardContext {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly url: string;
  readonly header: HeaderLookup;
  readonly startedAt: number;
  principal: Principal | undefined = undefined;
  policy: RolePolicy | undefined = undefined;
  body: unknown = undefined;
  prompt: PromptView | undefined = undefined;
  model: string | undefined = undefined;
  usage: TokenUsage | undefined = undefined;
  readonly findings: Finding[] = [];
  readonly decisions: GuardDecision[] = [];
  readonly responseHeaders: Record<string, string> = {};
  /** The body text as received and what it parsed to, so an unchanged body need not be serialized again. */
  receivedText: string | undefined = undefined;
  receivedBody: unknown = undefined;
  readonly #request: GuardRequest;
  readonly #resolveClientIp: ((request: GuardRequest) => string | undefined) | undefined;
  #clientIp: { readonly value: string | undefined } | undefined;
  #signal: AbortSignal | undefined;
  #state: Map<symbol, unknown> | undefined;

  constructor(
    request: GuardRequest,
    resolveClientIp: ((request: GuardRequest) => string | undefined) | undefined,
  ) {
    this.requestId = requestIdFor(request.header('x-request-id'));
    this.method = request.method.toUpperCase();
    this.path = normalizePath(request.url);
    this.url = request.url;
    this.header = request.header;
    this.startedAt = performance.now();
    this.#request = request;
    this.#resolveClientIp = resolveClientIp;
  }

  // Resolved on first use: frameworks compute their client address on demand (Express walks
  // X-Forwarded-For through its trust function), and most guards never ask.
  get clientIp(): string | undefined {
    if (this.#clientIp === undefined) {
      const request = this.#request;
      const resolve = this.#resolveClientIp;
      this.#clientIp = { value: resolve === undefined ? request.clientIp : resolve(request) };
    }
    return this.#clientIp.value;
  }

  // Created on first use: an AbortController costs more than the rest of the context together.
  get signal(): AbortSignal {
    this.#signal ??= this.#request.signal ?? new AbortController().signal;
    return this.#signal;
  }

  state<T>(key: symbol, init: () => T): T {
    this.#state ??= new Map();
    if (!this.#state.has(key)) this.#state.set(key, init());
    return this.#state.get(key) as T;
  }
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
  ctx: RequestContext,
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
      : await readBody(
          body.stream,
          // A stream that fails by itself when the client goes away needs no abort listener.
          body.failsOnDisconnect === true
            ? { maxBytes: limits.maxBytes, contentLength: length }
            : { maxBytes: limits.maxBytes, contentLength: length, signal: ctx.signal },
        );
  if (body.kind === 'bytes' && bytes.byteLength > limits.maxBytes) {
    throw new LlmGuardError('ERR_LLMGUARD_BODY_TOO_LARGE', {
      detail: `The body exceeds ${limits.maxBytes} bytes.`,
    });
  }
  if (bytes.byteLength === 0) return undefined;
  if (contentType === undefined) throw unsupportedMediaType();
  const text = decodeJsonText(bytes);
  const value = parseJsonText(text, limits);
  ctx.receivedText = text;
  ctx.receivedBody = value;
  return value;
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

/**
 * The request id of a request: the client's `x-request-id` when it is well formed (1–128 characters
 * from `A–Z a–z 0–9 . _ : -`), otherwise a new random UUID. Adapters use it for answers they send
 * without running the pipeline (a framework's own body-parser errors).
 *
 * @example
 * res.setHeader('x-request-id', requestIdFor(req.get('x-request-id')));
 */
export function requestIdFor(supplied: string | undefined): string {
  return supplied !== undefined && isWellFormedRequestId(supplied) ? supplied : randomUUID();
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
