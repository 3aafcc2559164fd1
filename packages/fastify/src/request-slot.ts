import type { GuardPass } from '@llmguard/core';

declare module 'fastify' {
  interface FastifyRequest {
    /** The guard's result, set before the body is parsed; `null` on routes the guard skips. */
    llmGuard: GuardPass | null;
  }
  interface FastifyContextConfig {
    /** `false` exempts the route from llmguard. Default: guarded. */
    llmGuard?: boolean;
  }
}
