import type { GuardContext } from '../context/guard-context.js';
import type { ResponseHooks } from '../pipeline/guard.js';
import type { ResponseBodyTransformer, ResponseStart } from './types.js';

/**
 * Builds the byte-level transformer for an answer: JSON bodies of the three providers and their SSE
 * streams, with each guard's text transforms chained per choice / content block.
 */
export function createResponseBodyTransformer(
  _ctx: GuardContext,
  _hooks: readonly ResponseHooks[],
  _start: ResponseStart,
): ResponseBodyTransformer | null {
  return null;
}
