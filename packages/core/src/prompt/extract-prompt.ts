import type {
  BodyPath,
  ExtractedPrompt,
  PromptExtractor,
  PromptFormat,
  PromptRole,
  PromptSegment,
  PromptView,
} from './types.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Builds the prompt view of a parsed body: the custom extractor first, then OpenAI Chat
 * Completions, OpenAI Responses, Anthropic Messages and the generic `{prompt}` / `{input}` shapes.
 * Returns `undefined` when the body is none of them.
 */
export function createPromptView(body: unknown, extractor?: PromptExtractor): PromptView | undefined {
  const custom = extractor?.(body);
  if (custom !== undefined && custom !== null) return new MutablePromptView(body, custom, false);
  const extracted = extractBuiltIn(body);
  // Built-in segments are fresh and already carry their turn: the view can own them as they are.
  return extracted === undefined ? undefined : new MutablePromptView(body, extracted, true);
}

/** Built-in dialect detection. Exported for the validator, which picks its schema from the format. */
export function extractBuiltIn(body: unknown): ExtractedPrompt | undefined {
  if (!isObject(body)) return undefined;
  const common = {
    model: typeof body.model === 'string' ? body.model : undefined,
    stream: body.stream === true,
    maxTokens: firstNumber(body.max_tokens, body.max_completion_tokens, body.max_output_tokens),
  };
  if (Array.isArray(body.messages)) {
    const format: PromptFormat = looksAnthropic(body) ? 'anthropic-messages' : 'openai-chat';
    const segments: PromptSegment[] = [];
    if (format === 'anthropic-messages') collectContent(segments, body.system, ['system'], 'system', -1);
    body.messages.forEach((message, turn) => {
      if (!isObject(message)) return;
      const role = mapRole(message.role);
      collectContent(segments, message.content, ['messages', turn, 'content'], role, turn);
    });
    return { format, segments, ...common };
  }
  if ('input' in body && ('model' in body || 'instructions' in body)) {
    const segments: PromptSegment[] = [];
    if (typeof body.instructions === 'string') {
      segments.push({ role: 'system', text: body.instructions, path: ['instructions'], turn: -1 });
    }
    if (typeof body.input === 'string') {
      segments.push({ role: 'user', text: body.input, path: ['input'], turn: 0 });
    } else if (Array.isArray(body.input)) {
      body.input.forEach((item, turn) => {
        if (typeof item === 'string') {
          segments.push({ role: 'user', text: item, path: ['input', turn], turn });
        } else if (isObject(item)) {
          if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') {
            collectContent(segments, item.output, ['input', turn, 'output'], 'tool', turn);
          } else if ('content' in item) {
            collectContent(segments, item.content, ['input', turn, 'content'], mapRole(item.role), turn);
          }
        }
      });
    } else {
      return undefined;
    }
    return { format: 'openai-responses', segments, ...common };
  }
  for (const key of ['prompt', 'input'] as const) {
    const value = body[key];
    if (typeof value === 'string') {
      return {
        format: 'generic',
        segments: [{ role: 'user', text: value, path: [key], turn: 0 }],
        ...common,
      };
    }
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      const segments = (value as string[]).map((text, turn) => ({
        role: 'user' as const,
        text,
        path: [key, turn],
        turn,
      }));
      return { format: 'generic', segments, ...common };
    }
  }
  return undefined;
}

/** Anthropic requests have a top-level `system`, or content blocks only Anthropic defines. */
function looksAnthropic(body: Json): boolean {
  if ('system' in body) return true;
  const messages = body.messages as unknown[];
  for (const message of messages) {
    if (!isObject(message)) continue;
    if (message.role === 'system' || message.role === 'developer' || message.role === 'tool') return false;
    if (Array.isArray(message.content)) {
      for (const block of message.content) {
        if (
          isObject(block) &&
          (block.type === 'tool_result' || block.type === 'tool_use' || block.type === 'document')
        ) {
          return true;
        }
      }
    }
  }
  return false;
}

function mapRole(role: unknown): PromptRole {
  switch (role) {
    case 'system':
      return 'system';
    case 'developer':
      return 'developer';
    case 'assistant':
      return 'assistant';
    case 'tool':
    case 'function':
      return 'tool';
    default:
      return 'user';
  }
}

/** Content as a string, or an array of parts / blocks (text, tool results, text documents). */
function collectContent(
  out: PromptSegment[],
  content: unknown,
  path: BodyPath,
  role: PromptRole,
  turn: number,
): void {
  if (typeof content === 'string') {
    out.push({ role, text: content, path, turn });
    return;
  }
  if (!Array.isArray(content)) return;
  content.forEach((part, i) => {
    if (typeof part === 'string') {
      out.push({ role, text: part, path: [...path, i], turn });
      return;
    }
    if (!isObject(part)) return;
    if (typeof part.text === 'string') {
      out.push({ role, text: part.text, path: [...path, i, 'text'], turn });
    } else if (part.type === 'tool_result') {
      collectContent(out, part.content, [...path, i, 'content'], 'tool', turn);
    } else if (part.type === 'document' && isObject(part.source) && typeof part.source.data === 'string') {
      if (part.source.type === 'text') {
        out.push({ role: 'document', text: part.source.data, path: [...path, i, 'source', 'data'], turn });
      }
    } else if (part.type === 'document' && isObject(part.source) && part.source.type === 'content') {
      collectContent(out, part.source.content, [...path, i, 'source', 'content'], 'document', turn);
    }
  });
}

function firstNumber(...values: unknown[]): number | undefined {
  for (const v of values) if (typeof v === 'number') return v;
  return undefined;
}

class MutablePromptView implements PromptView {
  readonly format: PromptFormat;
  readonly segments: PromptSegment[];
  readonly model: string | undefined;
  readonly stream: boolean;
  readonly maxTokens: number | undefined;
  modified = false;
  readonly #body: unknown;

  constructor(body: unknown, extracted: ExtractedPrompt, owned: boolean) {
    this.#body = body;
    this.format = extracted.format ?? 'custom';
    this.segments = owned
      ? (extracted.segments as PromptSegment[])
      : extracted.segments.map((s, i) => ({ ...s, turn: 'turn' in s ? s.turn : i }));
    this.model = extracted.model;
    this.stream = extracted.stream ?? false;
    this.maxTokens = extracted.maxTokens;
  }

  replaceText(index: number, text: string): void {
    const segment = this.segments[index];
    if (segment === undefined) throw new RangeError(`No prompt segment ${index}`);
    if (segment.text === text) return;
    setAtPath(this.#body, segment.path, text);
    this.segments[index] = { ...segment, text };
    this.modified = true;
  }

  setValue(path: BodyPath, value: unknown): void {
    if (path.length === 0) throw new RangeError('Cannot replace the whole body');
    setAtPath(this.#body, path, value);
    this.modified = true;
  }
}

/**
 * Writes at a path of own properties only, so a path from a custom extractor can never reach
 * `Object.prototype` (a `__proto__` or `constructor` step) or write into a missing branch.
 */
function setAtPath(root: unknown, path: BodyPath, value: unknown): void {
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) throw badPath(path);
    node = (node as Record<string | number, unknown>)[key];
  }
  const last = path[path.length - 1]!;
  if (node === null || typeof node !== 'object' || last === '__proto__' || last === 'constructor') {
    throw badPath(path);
  }
  (node as Record<string | number, unknown>)[last] = value;
}

function badPath(path: BodyPath): RangeError {
  return new RangeError(`No writable location at body path ${path.map(String).join('.')}`);
}
