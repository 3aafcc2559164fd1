import type { SchemaBounds, SchemaKey } from './request-schemas.js';

/**
 * A quick accept test for one request dialect: `true` only when the zod schema of that dialect
 * would accept the body too. `false` means "not sure": the caller then runs the zod schema, which
 * decides and produces the field errors. Plain property reads and comparisons, no copies of the body.
 */
export type FastCheck = (body: Readonly<Record<string, unknown>>) => boolean;

type Bounds = { readonly min: number; readonly max: number };

const CHAT_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const ANTHROPIC_ROLES = new Set(['user', 'assistant']);
/** Most entries of `stop` / `stop_sequences`, as in the schemas. */
const MAX_STOP = 16;
/** Longest `name` / `tool_call_id` and part `type`, as in the schemas. */
const MAX_NAME = 256;
const MAX_TYPE = 64;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalNumber = (value: unknown, range: Bounds): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'number' && Number.isFinite(value) && value >= range.min && value <= range.max);

const optionalInt = (value: unknown, range: Bounds): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= range.min && value <= range.max);

const optionalString = (value: unknown, max: number): boolean =>
  value === undefined || (typeof value === 'string' && value.length <= max);

function stringArray(value: unknown, max: number): boolean {
  if (!Array.isArray(value) || value.length > max) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  return true;
}

/** `stop`: a string, up to 16 strings, or null. */
const optionalStop = (value: unknown): boolean =>
  value === undefined || value === null || typeof value === 'string' || stringArray(value, MAX_STOP);

/** Chat content parts: a `type`, and `text` as a string when the type says text. */
function textParts(parts: readonly unknown[]): boolean {
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!isRecord(part)) return false;
    const type = part['type'];
    if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TYPE) return false;
    const text = part['text'];
    if (text !== undefined && typeof text !== 'string') return false;
    if (text === undefined && type.endsWith('text')) return false;
  }
  return true;
}

function anthropicBlocks(blocks: readonly unknown[]): boolean {
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    if (!isRecord(block)) return false;
    const type = block['type'];
    if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TYPE) return false;
    const text = block['text'];
    if (text !== undefined && typeof text !== 'string') return false;
    if (text === undefined && type === 'text') return false;
    const content = block['content'];
    if (content !== undefined && typeof content !== 'string') {
      if (!Array.isArray(content)) return false;
      for (let j = 0; j < content.length; j++) {
        const inner = content[j];
        if (!isRecord(inner)) return false;
        const innerType = inner['type'];
        if (typeof innerType !== 'string' || innerType.length === 0 || innerType.length > MAX_TYPE) {
          return false;
        }
      }
    }
  }
  return true;
}

/**
 * Compiles the quick accept tests for the dialects that carry most traffic (Chat Completions and
 * Anthropic Messages), with the same bounds as the zod schemas. Other dialects have none and
 * always go through zod.
 *
 * @example
 * const checks = buildFastChecks(bounds);
 * checks['openai-chat']?.(body); // true → the zod schema would accept it as well
 */
export function buildFastChecks(bounds: SchemaBounds): Partial<Record<SchemaKey, FastCheck>> {
  const commonFields = (body: Readonly<Record<string, unknown>>): boolean => {
    const model = body['model'];
    return (
      (model === undefined ||
        (typeof model === 'string' && model.length > 0 && model.length <= bounds.maxModelLength)) &&
      optionalNumber(body['temperature'], bounds.temperature) &&
      optionalNumber(body['top_p'], bounds.topP) &&
      (body['stream'] === undefined || body['stream'] === null || typeof body['stream'] === 'boolean')
    );
  };
  const choices = { min: 1, max: bounds.maxChoices };

  const openaiChat: FastCheck = (body) => {
    const messages = body['messages'];
    if (!Array.isArray(messages) || messages.length < 1 || messages.length > bounds.maxMessages) return false;
    if (
      !commonFields(body) ||
      !optionalInt(body['max_tokens'], bounds.maxTokens) ||
      !optionalInt(body['max_completion_tokens'], bounds.maxTokens) ||
      !optionalInt(body['n'], choices) ||
      !optionalStop(body['stop'])
    ) {
      return false;
    }
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i];
      if (!isRecord(message) || !CHAT_ROLES.has(message['role'] as string)) return false;
      const content = message['content'];
      if (content !== undefined && content !== null && typeof content !== 'string') {
        if (!Array.isArray(content) || !textParts(content)) return false;
      }
      if (!optionalString(message['name'], MAX_NAME) || !optionalString(message['tool_call_id'], MAX_NAME)) {
        return false;
      }
    }
    return true;
  };

  const anthropicMessages: FastCheck = (body) => {
    const messages = body['messages'];
    if (!Array.isArray(messages) || messages.length < 1 || messages.length > bounds.maxMessages) return false;
    const system = body['system'];
    const topK = body['top_k'];
    const stopSequences = body['stop_sequences'];
    if (
      !commonFields(body) ||
      !optionalInt(body['max_tokens'], bounds.maxTokens) ||
      !(topK === undefined || topK === null || (Number.isSafeInteger(topK) && (topK as number) >= 0)) ||
      !(stopSequences === undefined || stringArray(stopSequences, MAX_STOP)) ||
      !(
        system === undefined ||
        typeof system === 'string' ||
        (Array.isArray(system) && anthropicBlocks(system))
      )
    ) {
      return false;
    }
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i];
      if (!isRecord(message) || !ANTHROPIC_ROLES.has(message['role'] as string)) return false;
      const content = message['content'];
      if (typeof content !== 'string' && !(Array.isArray(content) && anthropicBlocks(content))) return false;
    }
    return true;
  };

  return { 'openai-chat': openaiChat, 'anthropic-messages': anthropicMessages };
}
