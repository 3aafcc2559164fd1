// Public API of @llmguard/fastify.
export { type FastifyLlmGuardOptions, llmGuard } from './llm-guard.js';
