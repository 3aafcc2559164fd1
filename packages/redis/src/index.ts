// Public API of @llmguard/redis. Explicit named re-exports only.

// --- limits ---
export { type RedisClient, RedisStore, type RedisStoreOptions } from './redis-store.js';
