// Public API of @llmguard/hono.
export { type LlmGuardEnv, llmGuard } from './llm-guard.js';
