// Public API of @llmguard/core. Explicit named re-exports only: the surface is reviewed here.

// --- errors ---
export { ERROR_TABLE, type LlmGuardErrorCode, PROBLEM_TYPE_BASE } from './errors/codes.js';
export {
  isLlmGuardError,
  LlmGuardError,
  type LlmGuardErrorInit,
  type ProblemDetails,
  type ProblemFieldError,
  toLlmGuardError,
} from './errors/llm-guard-error.js';
export { parseOptions } from './options/parse-options.js';

// --- context and pipeline ---
export type { Finding, GuardDecision, GuardOutcomeKind, TokenUsage } from './context/findings.js';
export type { GuardContext, HeaderLookup } from './context/guard-context.js';
export { normalizePath } from './context/normalize-path.js';
export type { Principal, RolePolicy } from './context/principal.js';
export {
  GUARD_PHASES,
  type Guard,
  type GuardPhase,
  type GuardStep,
  type RequestOutcome,
  type ResponseHooks,
  type StepResult,
  type TextTransform,
} from './pipeline/guard.js';
export {
  createGuardPipeline,
  type GuardPass,
  type GuardPipeline,
  type GuardRefusal,
  type GuardResult,
  type PipelineOptions,
} from './pipeline/pipeline.js';
export type { GuardRequest, RequestBody } from './pipeline/request.js';
export { createLlmGuard, type LlmGuardOptions } from './preset.js';

// --- body ---
export { type BodyLimits, inspectParsedBody, parseJsonBody } from './body/parse-json.js';
export { type ReadBodyOptions, readBody } from './body/read-body.js';

// --- prompt view ---
export { createPromptView, extractBuiltIn } from './prompt/extract-prompt.js';
export type {
  BodyPath,
  ExtractedPrompt,
  PromptExtractor,
  PromptFormat,
  PromptRole,
  PromptSegment,
  PromptView,
} from './prompt/types.js';

// --- response ---
export { createResponseBodyTransformer } from './response/create-response-transformer.js';
export type { ResponseBodyTransformer, ResponseStart } from './response/types.js';

// --- validation ---
export { createRequestValidator, type RequestValidatorOptions } from './validation/request-validator.js';

// --- stores ---
export type {
  AcquireResult,
  AddOptions,
  AddResult,
  ConsumeRequest,
  ConsumeResult,
  RateAlgorithm,
  RefundRequest,
  Store,
} from './store/store.js';

// --- injection ---

// --- pii and secrets ---

// --- identity ---

// --- limits ---

// --- audit ---
