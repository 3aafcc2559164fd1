// Public API of @llmguard/redis. Explicit named re-exports only.

// --- identity ---
export { RedisKeyStore, type RedisKeyStoreOptions } from './redis-key-store.js';
// --- limits ---
export { type RedisClient, RedisStore, type RedisStoreOptions } from './redis-store.js';
