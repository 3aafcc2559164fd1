import { LlmGuardError } from '@llmguard/core';
import type { RedisClient } from './redis-store.js';

/**
 * Runs one Redis command with a deadline. A command still queued in ioredis (offline queue,
 * reconnecting) is abandoned, never awaited: past `timeoutMs` the promise rejects with a 503
 * `guard-unavailable` error, and so does a failed command. `passThrough` lets the caller see some
 * command errors as they are (`NOSCRIPT`, which the store answers by sending the script).
 */
export function commandWithDeadline(
  client: RedisClient,
  timeoutMs: number,
  what: string,
  args: readonly [string, ...(string | number)[]],
  passThrough?: (error: unknown) => boolean,
): Promise<unknown> {
  const [name, ...rest] = args;
  const pending = client.call(name, ...rest) as Promise<unknown>;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(unavailable(`${what} did not answer within ${timeoutMs} ms.`));
    }, timeoutMs);
    timer.unref();
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(
          passThrough?.(error) === true ? error : unavailable(`${what} could not run the command.`, error),
        );
      },
    );
  });
}

/** A 503 `guard-unavailable` error: Redis could not give an answer in time. */
function unavailable(detail: string, cause?: unknown): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_UNAVAILABLE', { detail, cause });
}
