// Public API of @llmguard/core. Explicit named re-exports only: the surface is reviewed here.

// --- audit ---
export {
  type AlertObservation,
  type AlertRule,
  createAlertEvaluator,
  type FiredAlert,
} from './audit/alerts/alert-rules.js';
export { type AddressAllowance, addressRefusal } from './audit/alerts/blocked-addresses.js';
export {
  createWebhookSender,
  type WebhookDelivery,
  type WebhookOptions,
  type WebhookResolver,
  type WebhookSender,
} from './audit/alerts/webhook-sender.js';
export {
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookVerifyInput,
  type WebhookVerifyResult,
} from './audit/alerts/webhook-signature.js';
export {
  AUDIT_RECORD_VERSION,
  type AuditChain,
  type AuditFields,
  type AuditValue,
  CHAIN_GENESIS,
  type ChainHead,
  createAuditChain,
  recordMac,
  type SealedAuditRecord,
} from './audit/audit-chain.js';
export {
  type AuditDestination,
  type AuditFileOptions,
  type AuditRotation,
  createFdDestination,
  createRotatingFileDestination,
  createStreamDestination,
} from './audit/audit-destination.js';
export { type AuditEventInput, addAuditEvent } from './audit/audit-events.js';
export {
  type AuditAlertsOptions,
  type AuditGuard,
  type AuditGuardOptions,
  auditOptionsSchema,
  createAuditGuard,
} from './audit/audit-guard.js';
export {
  AUDIT_KEY_ENV,
  type AuditKeys,
  type AuditSecret,
  auditChainKey,
  auditKeyId,
  auditPseudonymKey,
  deriveAuditKeys,
  keyedTextHash,
  pseudonymize,
} from './audit/audit-keys.js';
export {
  type AuditDestinationOption,
  type AuditLog,
  type AuditLogOptions,
  type AuditLogStats,
  type AuditOverflow,
  createAuditLog,
} from './audit/audit-log.js';
export { pruneAuditFiles, type RetentionOptions } from './audit/audit-retention.js';
export { type AuditTelemetry, createAuditTelemetry, OTEL_NAMES } from './audit/audit-telemetry.js';
export { canonicalJson } from './audit/canonical-json.js';
export {
  assertModelFile,
  type ModelSignature,
  type ModelVerification,
  type VerifyModelOptions,
  verifyModelFile,
} from './audit/model/verify-model-file.js';
export { type AuditLine, readAuditLines } from './audit/read-records.js';
export { exportSubjectRecords } from './audit/subject-export.js';
export {
  type AuditVerifyKey,
  type AuditVerifyOptions,
  type AuditVerifyProblem,
  type AuditVerifyProblemKind,
  type AuditVerifyResult,
  verifyAuditFiles,
} from './audit/verify-chain.js';
// --- body ---
export { type BodyLimits, inspectParsedBody, parseJsonBody } from './body/parse-json.js';
export { type ReadBodyOptions, readBody } from './body/read-body.js';
// --- context and pipeline ---
export type { Finding, GuardDecision, GuardOutcomeKind, TokenUsage } from './context/findings.js';
export type { GuardContext, HeaderLookup } from './context/guard-context.js';
export { normalizePath } from './context/normalize-path.js';
export type { Principal, RolePolicy } from './context/principal.js';
// --- errors ---
export { ERROR_TABLE, type LlmGuardErrorCode, PROBLEM_TYPE_BASE } from './errors/codes.js';
export {
  isLlmGuardError,
  LlmGuardError,
  type LlmGuardErrorInit,
  type ProblemDetails,
  type ProblemFieldError,
  type ProblemResponse,
  problemResponse,
  toLlmGuardError,
} from './errors/llm-guard-error.js';
// --- identity ---
export {
  API_KEY_PREFIX,
  apiKeyLength,
  apiKeyMatchesHash,
  type GeneratedApiKey,
  generateApiKey,
  hashApiKey,
  type ParsedApiKey,
  parseApiKey,
} from './identity/api-key-format.js';
export {
  type ApiKeyVerifier,
  type ApiKeyVerifierOptions,
  createApiKeyVerifier,
} from './identity/api-key-verifier.js';
export { AuthenticationError, type BearerErrorCode } from './identity/authentication-error.js';
export { DEFAULT_ROLES, DEFAULT_ROUTE_PERMISSIONS } from './identity/default-roles.js';
export { FileKeyStore, type FileKeyStoreOptions, type KeyFile } from './identity/file-key-store.js';
export {
  type AuthMethod,
  createIdentityGuard,
  type IdentityGuardOptions,
} from './identity/identity-guard.js';
export {
  createJwtVerifier,
  JWT_ALGORITHMS,
  type JwtAlgorithm,
  type JwtIssuerOptions,
  type JwtVerifier,
  type JwtVerifierOptions,
} from './identity/jwt-verifier.js';
export type { ApiKeyRecord, KeyStore } from './identity/key-store.js';
export { MemoryKeyStore } from './identity/memory-key-store.js';
export {
  createRbac,
  mergePolicies,
  type Rbac,
  type RbacOptions,
  type RoleDefinition,
  type RoutePermission,
} from './identity/rbac.js';
export {
  createRouteProtection,
  type RouteAccess,
  type RouteProtection,
  type RouteProtectionOptions,
} from './identity/route-protection.js';
// --- injection ---
export { INJECTION_DEFAULTS } from './injection/defaults.js';
export {
  createInjectionGuard,
  type InjectionGuardOptions,
  type InjectionTrajectoryOptions,
} from './injection/guard/injection-guard.js';
export { mapSpan, type NormalizedText, normalizeText } from './injection/normalize/normalize-text.js';
export { BUILTIN_RULES as BUILTIN_INJECTION_RULES } from './injection/rules/builtin-rules.js';
export {
  INJECTION_CATEGORIES,
  type InjectionCategory,
  type InjectionRule,
  type RuleHit,
} from './injection/rules/types.js';
export type {
  InjectionExplanation,
  InjectionScore,
  InjectionScorer,
  LayerKind,
} from './injection/scorer/build-scorer.js';
export {
  createInjectionScorer,
  type InjectionScorerOptions,
} from './injection/scorer/create-injection-scorer.js';
// --- limits ---
export {
  type ClientIpOptions,
  canonicalIp,
  createClientIpResolver,
  ipLimitKey,
} from './limits/client-ip.js';
export { createLimitsGuard, type LimitsGuard } from './limits/limits-guard.js';
export type {
  BudgetOptions,
  BudgetPolicyOptions,
  ConcurrencyPolicyOptions,
  LimitKey,
  LimitsOptions,
  LoopBreakerOptions,
  RatePolicyOptions,
  StoreFailurePolicy,
  TierLimits,
} from './limits/limits-options.js';
export { DEFAULT_LIMITS, type PresetLimits, presetLimits } from './limits/preset-limits.js';
export { limitMember, type PolicyReport, policyMember, writeRateHeaders } from './limits/rate-headers.js';
export type { LimitsMetrics } from './limits/store-access.js';
export {
  costMicros,
  estimateUsage,
  type ModelPrice,
  type PriceTable,
  priceFor,
  type TokenEstimateOptions,
} from './limits/usage-cost.js';
export { parseOptions } from './options/parse-options.js';
// --- pii and secrets ---
export { PII_DETECTORS } from './pii/detectors/pii-detectors.js';
export { SECRET_DETECTORS } from './pii/detectors/secret-detectors.js';
export {
  type CustomDetectorOptions,
  createPiiGuard,
  DEFAULT_DETECTORS,
  defaultScanner,
  maskText,
  type PiiGuardOptions,
} from './pii/pii-guard.js';
export { createPiiScanner, type PiiScanner, type RawSpan, type ScanResult } from './pii/scanner.js';
export { createStreamRedactor, type MatchRenderer, redactText } from './pii/stream-redactor.js';
export type { MatchBoundary, PiiAction, PiiCategory, PiiDetector, PiiMatch } from './pii/types.js';
export { PseudonymVault } from './pii/vault.js';
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
  NodeGuardRequest,
  nodeBodyStream,
  nodeHeaderLookup,
  responseCloseSignal,
} from './pipeline/node-request.js';
export {
  createGuardPipeline,
  type GuardPass,
  type GuardPipeline,
  type GuardRefusal,
  type GuardResult,
  isJsonMediaType,
  type PipelineOptions,
  requestIdFor,
} from './pipeline/pipeline.js';
export type { GuardRequest, RequestBody } from './pipeline/request.js';
export { resolveGuardPipeline } from './pipeline/resolve-pipeline.js';
export { createLlmGuard, type LlmGuardOptions } from './preset.js';
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
// --- stores ---
export { MemoryStore, type MemoryStoreOptions } from './store/memory-store.js';
export {
  fixedStep,
  gcraStep,
  type RateState,
  type RateStep,
  refundState,
  slidingStep,
} from './store/rate-math.js';
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
// --- validation ---
export {
  createRequestValidator,
  type NumberRange,
  type RequestValidatorOptions,
} from './validation/request-validator.js';
