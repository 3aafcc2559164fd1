// Public API of @llmguard/express.
export { type LlmGuardMiddleware, llmGuard } from './llm-guard.js';
