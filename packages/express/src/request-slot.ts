import type { GuardPass } from '@llmguard/core';

declare global {
  namespace Express {
    interface Request {
      /** The guard's result for this request, set by `llmGuard()` before the next handler runs. */
      llmGuard?: GuardPass;
    }
  }
}
