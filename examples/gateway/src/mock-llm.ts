import { createHash } from 'node:crypto';

/**
 * A deterministic stand-in for an LLM provider: the answer depends only on the prompt, and the
 * bodies and server-sent events follow each provider's wire format closely enough for the official
 * `openai` and `@anthropic-ai/sdk` clients (and their stream accumulators) to accept them.
 */

/** Wire dialects the mock can answer in. */
export type Provider = 'openai-chat' | 'openai-responses' | 'anthropic-messages';

/** Model name and token counts reported in the answer's `usage`. */
export interface ReplyOptions {
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Unix time in seconds reported as `created` / `created_at`. Default: now. */
  readonly created?: number;
}

/** Stream options on top of {@link ReplyOptions}. */
export interface StreamOptions extends ReplyOptions {
  /** Characters (code points) of answer text per delta event. Default 12. */
  readonly pieceSize?: number;
  /**
   * OpenAI Chat Completions only: add the final `choices: []` chunk carrying `usage`, as the API
   * does when the request sets `stream_options.include_usage`. Default `false`.
   */
  readonly includeUsage?: boolean;
}

const MAX_ECHO_CHARS = 400;

/**
 * The answer the mock model gives to `promptText`: it repeats the prompt (whitespace collapsed,
 * at most 400 characters), so a test can see exactly what reached the model, placeholders such as
 * `[EMAIL_1]` included.
 *
 * @example
 * mockAnswerText('Hello  there'); // 'Mock answer. You said: "Hello there"'
 */
export function mockAnswerText(promptText: string): string {
  const chars = collapseWhitespace(promptText);
  const echo = chars.length > MAX_ECHO_CHARS ? `${chars.slice(0, MAX_ECHO_CHARS).join('')}…` : chars.join('');
  return echo === '' ? 'Mock answer. You said nothing.' : `Mock answer. You said: "${echo}"`;
}

/** Code points of `text` with runs of whitespace folded to one space and the ends trimmed (one linear pass). */
function collapseWhitespace(text: string): string[] {
  const out: string[] = [];
  let pendingSpace = false;
  for (const char of text) {
    if (char.trim() === '') {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) out.push(' ');
    pendingSpace = false;
    out.push(char);
  }
  return out;
}

/**
 * A rough token count (one token per four UTF-16 units, at least one) for the mock's `usage`.
 *
 * @example
 * estimateTokens('hello world'); // 3
 */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * A complete non-streaming answer body of `provider` whose text is `text`.
 *
 * @example
 * const body = jsonReply('openai-chat', 'Hi', { model: 'gpt-4o-mini', inputTokens: 5, outputTokens: 1 });
 * // { id: 'chatcmpl-…', object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'Hi' } … }] … }
 */
export function jsonReply(provider: Provider, text: string, opts: ReplyOptions): unknown {
  const ids = idsFor(provider, text, opts.model);
  const created = opts.created ?? Math.floor(Date.now() / 1000);
  switch (provider) {
    case 'openai-chat':
      return {
        id: ids.response,
        object: 'chat.completion',
        created,
        model: opts.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: chatUsage(opts),
        service_tier: 'default',
        system_fingerprint: null,
      };
    case 'openai-responses':
      return responseObject(ids, created, opts, 'completed', [messageItem(ids.item, 'completed', text)]);
    case 'anthropic-messages':
      return {
        id: ids.response,
        type: 'message',
        role: 'assistant',
        model: opts.model,
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: anthropicUsage(opts.inputTokens, opts.outputTokens),
      };
  }
}

/**
 * The server-sent events of a streamed answer of `provider`, one complete event per string
 * (`event: …\n` where the provider names its events, then `data: {…}\n\n`). OpenAI Chat
 * Completions ends with `data: [DONE]`; Responses and Anthropic Messages end with their
 * `response.completed` / `message_stop` events.
 *
 * @example
 * const events = sseChunks('anthropic-messages', 'Hi there', {
 *   model: 'claude-sonnet-5-5', inputTokens: 5, outputTokens: 2, pieceSize: 3,
 * });
 * // ['event: message_start\ndata: {…}\n\n', 'event: content_block_start\n…', …, 'event: message_stop\n…']
 */
export function sseChunks(provider: Provider, text: string, opts: StreamOptions): string[] {
  const pieces = splitText(text, opts.pieceSize ?? 12);
  const ids = idsFor(provider, text, opts.model);
  const created = opts.created ?? Math.floor(Date.now() / 1000);
  switch (provider) {
    case 'openai-chat':
      return chatEvents(pieces, ids, created, opts);
    case 'openai-responses':
      return responsesEvents(pieces, text, ids, created, opts);
    case 'anthropic-messages':
      return anthropicEvents(pieces, ids, opts);
  }
}

interface MockIds {
  readonly response: string;
  readonly item: string;
}

/** Stable ids in each provider's style, derived from the answer so repeated runs match. */
function idsFor(provider: Provider, text: string, model: string): MockIds {
  const digest = createHash('sha256').update(`${provider}\0${model}\0${text}`).digest('hex');
  switch (provider) {
    case 'openai-chat':
      return { response: `chatcmpl-mock${digest.slice(0, 24)}`, item: '' };
    case 'openai-responses':
      return { response: `resp_mock${digest.slice(0, 40)}`, item: `msg_mock${digest.slice(40, 64)}` };
    case 'anthropic-messages':
      return { response: `msg_mock${digest.slice(0, 24)}`, item: '' };
  }
}

/** Cuts on code points so a delta never splits a surrogate pair. Empty text gives no pieces. */
function splitText(text: string, pieceSize: number): string[] {
  const size = Math.max(1, Math.floor(pieceSize));
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

function data(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

function namedEvent(name: string, payload: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
}

function chatUsage(opts: ReplyOptions): Record<string, unknown> {
  return {
    prompt_tokens: opts.inputTokens,
    completion_tokens: opts.outputTokens,
    total_tokens: opts.inputTokens + opts.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function anthropicUsage(inputTokens: number, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

function chatEvents(pieces: readonly string[], ids: MockIds, created: number, opts: StreamOptions): string[] {
  const base = { id: ids.response, object: 'chat.completion.chunk', created, model: opts.model };
  const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
    data({
      ...base,
      service_tier: 'default',
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(opts.includeUsage ? { usage: null } : {}),
    });
  const events = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
  for (const piece of pieces) events.push(chunk({ content: piece }, null));
  events.push(chunk({}, 'stop'));
  if (opts.includeUsage) {
    events.push(
      data({
        ...base,
        service_tier: 'default',
        system_fingerprint: null,
        choices: [],
        usage: chatUsage(opts),
      }),
    );
  }
  events.push('data: [DONE]\n\n');
  return events;
}

function messageItem(id: string, status: 'in_progress' | 'completed', text: string | undefined): unknown {
  return {
    id,
    type: 'message',
    status,
    role: 'assistant',
    content: text === undefined ? [] : [{ type: 'output_text', text, annotations: [], logprobs: [] }],
  };
}

function responseObject(
  ids: MockIds,
  created: number,
  opts: ReplyOptions,
  status: 'in_progress' | 'completed',
  output: readonly unknown[],
): Record<string, unknown> {
  return {
    id: ids.response,
    object: 'response',
    created_at: created,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: opts.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: false,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage:
      status === 'completed'
        ? {
            input_tokens: opts.inputTokens,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: opts.outputTokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: opts.inputTokens + opts.outputTokens,
          }
        : null,
    user: null,
    metadata: {},
  };
}

/**
 * The Responses API event sequence for one text message: lifecycle events carry the whole
 * response object, output events carry `output_index` / `content_index` / `item_id`, and every
 * event has an increasing `sequence_number`.
 */
function responsesEvents(
  pieces: readonly string[],
  text: string,
  ids: MockIds,
  created: number,
  opts: StreamOptions,
): string[] {
  let sequence = 0;
  const events: string[] = [];
  const emit = (type: string, fields: Record<string, unknown>): void => {
    events.push(namedEvent(type, { type, sequence_number: sequence++, ...fields }));
  };
  const part = (partText: string): unknown => ({
    type: 'output_text',
    text: partText,
    annotations: [],
    logprobs: [],
  });
  const at = { item_id: ids.item, output_index: 0, content_index: 0 };
  emit('response.created', { response: responseObject(ids, created, opts, 'in_progress', []) });
  emit('response.in_progress', { response: responseObject(ids, created, opts, 'in_progress', []) });
  emit('response.output_item.added', {
    output_index: 0,
    item: messageItem(ids.item, 'in_progress', undefined),
  });
  emit('response.content_part.added', { ...at, part: part('') });
  for (const piece of pieces) emit('response.output_text.delta', { ...at, delta: piece, logprobs: [] });
  emit('response.output_text.done', { ...at, text, logprobs: [] });
  emit('response.content_part.done', { ...at, part: part(text) });
  emit('response.output_item.done', { output_index: 0, item: messageItem(ids.item, 'completed', text) });
  emit('response.completed', {
    response: responseObject(ids, created, opts, 'completed', [messageItem(ids.item, 'completed', text)]),
  });
  return events;
}

/** Anthropic Messages: every event is named, and `message_delta` reports the final output tokens. */
function anthropicEvents(pieces: readonly string[], ids: MockIds, opts: StreamOptions): string[] {
  const events = [
    namedEvent('message_start', {
      type: 'message_start',
      message: {
        id: ids.response,
        type: 'message',
        role: 'assistant',
        model: opts.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: anthropicUsage(opts.inputTokens, 1),
      },
    }),
    namedEvent('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }),
    namedEvent('ping', { type: 'ping' }),
  ];
  for (const piece of pieces) {
    events.push(
      namedEvent('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: piece },
      }),
    );
  }
  events.push(
    namedEvent('content_block_stop', { type: 'content_block_stop', index: 0 }),
    namedEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: opts.outputTokens },
    }),
    namedEvent('message_stop', { type: 'message_stop' }),
  );
  return events;
}
