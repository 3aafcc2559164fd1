// Public API of @llmguard/express.
export { llmGuardErrors } from './error-handler.js';
export { type LlmGuardMiddleware, llmGuard } from './llm-guard.js';
