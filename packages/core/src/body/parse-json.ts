import { LlmGuardError } from '../errors/llm-guard-error.js';

/** Caps applied to every request body. */
export interface BodyLimits {
  /** Largest body in bytes, counted as received. Default 1 MiB. */
  readonly maxBytes: number;
  /** Deepest nesting of arrays and objects. Default 64. */
  readonly maxDepth: number;
  /** Most object keys plus array items in the whole body. Default 10,000. */
  readonly maxKeys: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes strict UTF-8 (RFC 8259 §8.1) and parses JSON, then enforces the structural caps.
 * V8's `JSON.parse` is not recursive, so deep input cannot overflow the stack before the caps run.
 */
export function parseJsonBody(bytes: Uint8Array, limits: BodyLimits): unknown {
  return parseJsonText(decodeJsonText(bytes), limits);
}

/**
 * Decodes a JSON body as strict UTF-8 (RFC 8259 §8.1); invalid bytes are a 400, never replaced.
 *
 * @example
 * decodeJsonText(new TextEncoder().encode('{"a":1}')); // '{"a":1}'
 */
export function decodeJsonText(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (error) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_UTF8', {
      detail: 'The body is not valid UTF-8.',
      cause: error,
    });
  }
}

/**
 * Parses decoded JSON text and enforces the structural caps (see `inspectParsedBody`).
 *
 * @example
 * parseJsonText('{"prompt":"hi"}', { maxBytes: 1_048_576, maxDepth: 64, maxKeys: 10_000 });
 */
export function parseJsonText(text: string, limits: Pick<BodyLimits, 'maxDepth' | 'maxKeys'>): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LlmGuardError('ERR_LLMGUARD_INVALID_JSON', {
      detail: 'The body is not valid JSON.',
      cause: error,
    });
  }
  inspectParsedBody(value, limits);
  return value;
}

/**
 * Walks a parsed body iteratively and refuses it when it is nested deeper than `maxDepth`, has more
 * than `maxKeys` keys and items, or carries a prototype-pollution key (`__proto__` anywhere, or
 * `constructor.prototype`), which a host that merges the body into another object would execute.
 */
export function inspectParsedBody(value: unknown, limits: Pick<BodyLimits, 'maxDepth' | 'maxKeys'>): void {
  if (value === null || typeof value !== 'object') return;
  // Two parallel stacks (node, depth) and only objects pushed: no tuple per visited value.
  const nodes: object[] = [value];
  const depths: number[] = [1];
  let keys = 0;
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > limits.maxDepth) {
      throw new LlmGuardError('ERR_LLMGUARD_BODY_TOO_COMPLEX', {
        detail: `The body is nested deeper than ${limits.maxDepth} levels.`,
      });
    }
    if (Array.isArray(node)) {
      keys += node.length;
      if (keys > limits.maxKeys) throw tooManyKeys(limits.maxKeys);
      for (let i = node.length - 1; i >= 0; i--) {
        const item: unknown = node[i];
        if (item !== null && typeof item === 'object') {
          nodes.push(item);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key of Object.keys(node)) {
      keys += 1;
      if (keys > limits.maxKeys) throw tooManyKeys(limits.maxKeys);
      const child = (node as Record<string, unknown>)[key];
      if (
        key === '__proto__' ||
        (key === 'constructor' && child !== null && typeof child === 'object' && 'prototype' in child)
      ) {
        throw new LlmGuardError('ERR_LLMGUARD_INVALID_REQUEST', {
          detail: 'The body contains a forbidden key.',
          errors: [
            {
              // The root: a pointer would repeat key names from the body, which may carry anything.
              path: '',
              code: 'forbidden_key',
              message: `Keys named "${key}" are not accepted.`,
            },
          ],
        });
      }
      if (child !== null && typeof child === 'object') {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
}

function tooManyKeys(max: number): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_BODY_TOO_COMPLEX', {
    detail: `The body has more than ${max} keys and items.`,
  });
}
