import type { TokenUsage } from '../context/findings.js';
import type { GuardContext } from '../context/guard-context.js';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import type { ResponseHooks, TextTransform } from '../pipeline/guard.js';
import { chainTransforms, transformWhole } from './text-chain.js';
import type { ResponseBodyTransformer, ResponseStart } from './types.js';
import { readUsage } from './usage.js';

type Json = Record<string, unknown>;
type Factories = readonly (() => TextTransform)[];

const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i;
const SSE_TYPE = /^text\/event-stream\s*(?:;|$)/i;
/** Largest JSON answer buffered for rewriting; larger ones fail closed (a 502 problem body). */
const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** Largest single SSE event; a longer one is not a provider event and fails closed. */
const MAX_EVENT_CHARS = 4 * 1024 * 1024;

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Builds the byte-level transformer for an answer: JSON bodies of the three providers and their SSE
 * streams, with each guard's text transforms chained per choice / content block, and usage read
 * for every `onUsage` hook. Returns `null` (pass through untouched) for other content types.
 *
 * Failure policy (fail closed): a compressed body (`content-encoding` other than `identity`), an
 * unparseable JSON body or SSE event, or an oversized body cannot be inspected, so its text is never
 * released: a JSON body is replaced by a 502 `ERR_LLMGUARD_RESPONSE_UNPARSEABLE` problem, a stream
 * ends with an `error` event. When no guard rewrites text (usage only), bytes pass through unchanged.
 *
 * @example
 * const transformer = createResponseBodyTransformer(ctx, hooks, { status: 200, header: (n) => headers[n] });
 */
export function createResponseBodyTransformer(
  ctx: GuardContext,
  hooks: readonly ResponseHooks[],
  start: ResponseStart,
): ResponseBodyTransformer | null {
  const factories: Factories = hooks.flatMap((h) => (h.textTransform ? [h.textTransform] : []));
  const usageHooks = hooks.flatMap((h) => (h.onUsage ? [h.onUsage] : []));
  if (factories.length === 0 && usageHooks.length === 0) return null;
  const contentType = start.header('content-type') ?? '';
  const sse = SSE_TYPE.test(contentType);
  const json = !sse && JSON_TYPE.test(contentType);
  if (!sse && !json) return null;
  const encoding = start.header('content-encoding')?.trim().toLowerCase();
  const compressed = encoding !== undefined && encoding !== '' && encoding !== 'identity';

  let usage: { inputTokens?: number; outputTokens?: number } = {};
  let usageSeen = false;
  const noteUsage = (found: Partial<TokenUsage> | undefined): void => {
    if (found === undefined) return;
    usage = { ...usage, ...found };
    usageSeen = true;
  };
  let reported = false;
  const reportUsage = (): void => {
    if (reported || !usageSeen) return;
    reported = true;
    const final: TokenUsage = { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
    ctx.usage = final;
    for (const hook of usageHooks) {
      try {
        hook(final);
      } catch {
        // A faulty usage hook must not break the answer.
      }
    }
  };

  if (compressed) {
    if (factories.length === 0) return null;
    return sse ? failedStream() : failedJson(ctx);
  }
  if (json)
    return factories.length === 0
      ? jsonUsageOnly(noteUsage, reportUsage)
      : jsonRewriter(ctx, factories, noteUsage, reportUsage);
  return sseTransformer(factories, noteUsage, reportUsage);
}

function problemBody(ctx: GuardContext, detail: string): Uint8Array {
  const error = new LlmGuardError('ERR_LLMGUARD_RESPONSE_UNPARSEABLE', { detail });
  return encoder.encode(JSON.stringify(error.problem({ instance: ctx.path, requestId: ctx.requestId })));
}

function errorEvent(): Uint8Array {
  const data = {
    type: 'error',
    error: {
      type: 'llmguard_response_unparseable',
      code: 'ERR_LLMGUARD_RESPONSE_UNPARSEABLE',
      message: 'The upstream stream could not be inspected and was stopped.',
    },
  };
  return encoder.encode(`event: error\ndata: ${JSON.stringify(data)}\n\n`);
}

function failedStream(): ResponseBodyTransformer {
  let sent = false;
  return {
    write: () => {
      if (sent) return EMPTY;
      sent = true;
      return errorEvent();
    },
    end: () => {
      if (sent) return EMPTY;
      sent = true;
      return errorEvent();
    },
  };
}

function failedJson(ctx: GuardContext): ResponseBodyTransformer {
  return {
    write: () => EMPTY,
    end: () => problemBody(ctx, 'The upstream answer is compressed and cannot be inspected.'),
  };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function jsonUsageOnly(
  noteUsage: (u: Partial<TokenUsage> | undefined) => void,
  reportUsage: () => void,
): ResponseBodyTransformer {
  const chunks: Uint8Array[] = [];
  let total = 0;
  return {
    write(chunk) {
      if (total + chunk.byteLength <= MAX_JSON_BYTES) {
        chunks.push(chunk.slice());
        total += chunk.byteLength;
      }
      return chunk;
    },
    end() {
      try {
        const body: unknown = JSON.parse(new TextDecoder().decode(concat(chunks, total)));
        if (isObject(body)) noteUsage(readUsage(body.usage));
      } catch {
        // Usage is best effort when nothing is rewritten; the bytes already went out unchanged.
      }
      reportUsage();
      return EMPTY;
    },
  };
}

function jsonRewriter(
  ctx: GuardContext,
  factories: Factories,
  noteUsage: (u: Partial<TokenUsage> | undefined) => void,
  reportUsage: () => void,
): ResponseBodyTransformer {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let overflow = false;
  return {
    write(chunk) {
      if (total + chunk.byteLength > MAX_JSON_BYTES) overflow = true;
      else {
        chunks.push(chunk.slice());
        total += chunk.byteLength;
      }
      return EMPTY;
    },
    end() {
      if (overflow) return problemBody(ctx, 'The upstream answer is too large to inspect.');
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(concat(chunks, total)));
      } catch {
        if (total === 0) return EMPTY;
        return problemBody(ctx, 'The upstream answer is not valid JSON.');
      }
      if (isObject(body)) {
        rewriteJsonAnswer(body, factories);
        noteUsage(readUsage(body.usage));
      }
      reportUsage();
      return encoder.encode(JSON.stringify(body));
    },
  };
}

/** Rewrites the text fields of a non-streamed answer in place (all three providers). */
function rewriteJsonAnswer(body: Json, factories: Factories): void {
  if (Array.isArray(body.choices)) {
    for (const choice of body.choices) {
      if (isObject(choice) && isObject(choice.message) && typeof choice.message.content === 'string') {
        choice.message.content = transformWhole(factories, choice.message.content);
      }
    }
  }
  if (Array.isArray(body.output)) {
    for (const item of body.output) {
      if (!isObject(item) || !Array.isArray(item.content)) continue;
      for (const part of item.content) {
        if (isObject(part) && typeof part.text === 'string') part.text = transformWhole(factories, part.text);
      }
    }
  }
  if (Array.isArray(body.content)) {
    for (const block of body.content) {
      if (isObject(block) && block.type === 'text' && typeof block.text === 'string') {
        block.text = transformWhole(factories, block.text);
      }
    }
  }
}

/** Number of times `needle` occurs in `haystack` (stops counting at 2). */
function occurrences(haystack: string, needle: string): number {
  const first = haystack.indexOf(needle);
  if (first < 0) return 0;
  return haystack.indexOf(needle, first + needle.length) < 0 ? 1 : 2;
}

/**
 * An event's JSON around its text literal, in two pieces that end and start with the literal's
 * quotes: the text is left out of every check (a bulk delta is mostly text), and no needle looked
 * for spans the two (none contains `""`).
 */
interface Around {
  readonly before: string;
  readonly after: string;
}

/** Number of times `needle` occurs around the text (stops counting at 2). */
function occurrencesAround(around: Around, needle: string): number {
  return Math.min(2, occurrences(around.before, needle) + occurrences(around.after, needle));
}

/** The integer after `"name":` when it occurs exactly once around the text. */
function singleInteger(around: Around, name: string): number | undefined {
  const key = `"${name}":`;
  if (occurrencesAround(around, key) !== 1) return undefined;
  const raw = around.before.includes(key) ? around.before : around.after;
  let at = raw.indexOf(key) + key.length;
  let value = 0;
  let digits = 0;
  for (; at < raw.length; at++) {
    const code = raw.charCodeAt(at);
    if (code < 48 || code > 57) break;
    value = value * 10 + (code - 48);
    digits++;
  }
  return digits > 0 && digits < 7 ? value : undefined;
}

/**
 * Span of the JSON string literal that opens at `quote` (the index of its `"`), closing quote
 * included. Jumps from quote to quote with `indexOf` (a tenth of the time of reading every
 * character); a quote closes the literal when an even number of backslashes precedes it. Each run of
 * backslashes is counted once, so the search stays linear.
 */
function stringLiteralEnd(raw: string, quote: number): number | undefined {
  let from = quote + 1;
  for (;;) {
    const close = raw.indexOf('"', from);
    if (close < 0) return undefined;
    let before = close - 1;
    while (before > quote && raw.charCodeAt(before) === 92) before--;
    if ((close - 1 - before) % 2 === 0) return close + 1;
    from = close + 1;
  }
}

/**
 * Fast path for the common text-delta events (one text field, no usage, no end of stream): the
 * text literal is located in the raw event, decoded and replaced, and the rest of the event is
 * forwarded byte for byte, without parsing and re-serializing the whole object. `"key":"` cannot
 * occur inside a JSON string (its quotes would be escaped), so the lookup is exact, and the checks
 * on the event's structure read only what surrounds the text (a fraction of a bulk delta). Anything
 * else takes the full parse.
 */
function fastTextDelta(raw: string): { key: string; text: string; start: number; end: number } | undefined {
  let field: string;
  let dialect: 'c' | 'a' | 'r';
  if (raw.startsWith('{"type":"content_block_delta"')) {
    field = '"text":"';
    dialect = 'a';
  } else if (raw.startsWith('{"type":"response.output_text.delta"')) {
    field = '"delta":"';
    dialect = 'r';
  } else if (raw.includes('"chat.completion.chunk"')) {
    field = '"content":"';
    dialect = 'c';
  } else {
    return undefined;
  }
  const at = raw.indexOf(field);
  if (at < 0) return undefined;
  const start = at + field.length - 1;
  const end = stringLiteralEnd(raw, start);
  if (end === undefined) return undefined;
  const around: Around = { before: raw.slice(0, start + 1), after: raw.slice(end - 1) };
  if (occurrencesAround(around, field) !== 1 || occurrencesAround(around, field.slice(0, -1)) !== 1) {
    return undefined;
  }
  let key: string;
  if (dialect === 'c') {
    if (
      occurrencesAround(around, '"finish_reason":null') === 0 ||
      occurrencesAround(around, '"usage"') !== 0 ||
      occurrencesAround(around, '"choices":[') !== 1
    )
      return undefined;
    const index = singleInteger(around, 'index');
    if (index === undefined) return undefined;
    key = `c:${index}`;
  } else if (dialect === 'a') {
    if (occurrencesAround(around, '"type":"text_delta"') === 0) return undefined;
    const index = singleInteger(around, 'index');
    if (index === undefined) return undefined;
    key = `a:${index}`;
  } else {
    const output = singleInteger(around, 'output_index');
    const content = singleInteger(around, 'content_index');
    if (output === undefined || content === undefined) return undefined;
    key = `r:${output}:${content}`;
  }
  let text: unknown;
  try {
    text = JSON.parse(raw.slice(start, end));
  } catch {
    return undefined;
  }
  return typeof text === 'string' ? { key, text, start, end } : undefined;
}

interface SseEvent {
  /** Lines other than `data:` (event, id, retry, comments), kept as they were. */
  readonly fields: string[];
  readonly data: string[];
}

/**
 * SSE rewriter: a streaming UTF-8 decoder and a line splitter (lines and characters may be cut
 * anywhere between chunks), then each complete event is parsed, its text fields run through the
 * per-stream transform chain, and re-serialized at once, so the first byte is not delayed.
 */
function sseTransformer(
  factories: Factories,
  noteUsage: (u: Partial<TokenUsage> | undefined) => void,
  reportUsage: () => void,
): ResponseBodyTransformer {
  const usageOnly = factories.length === 0;
  const decoder = new TextDecoder('utf-8');
  const streams = new Map<string, { chain: TextTransform; emitted: string }>();
  let pending = '';
  let event: SseEvent = { fields: [], data: [] };
  let failed = false;
  let lastChat: Json | undefined;
  /** Item id per Responses text stream, for the delta events the transformer adds itself. */
  const itemIds = new Map<string, unknown>();
  let anthropicSeen = false;

  const stream = (key: string): { chain: TextTransform; emitted: string } => {
    let s = streams.get(key);
    if (s === undefined) {
      s = { chain: chainTransforms(factories), emitted: '' };
      streams.set(key, s);
    }
    return s;
  };
  const push = (key: string, text: string): string => {
    const s = stream(key);
    const out = s.chain.push(text);
    s.emitted += out;
    return out;
  };
  const flush = (key: string): string => {
    const s = streams.get(key);
    if (s === undefined) return '';
    streams.delete(key);
    const out = s.chain.flush();
    s.emitted += out;
    finished.set(key, s.emitted);
    return out;
  };
  const finished = new Map<string, string>();
  const emittedText = (key: string): string | undefined => finished.get(key) ?? streams.get(key)?.emitted;

  const serialize = (e: SseEvent, data: string | undefined): string => {
    let out = '';
    for (const f of e.fields) out += `${f}\n`;
    if (data !== undefined) out += `data: ${data}\n`;
    return `${out}\n`;
  };
  const dataEvent = (name: string | undefined, data: Json): string =>
    `${name === undefined ? '' : `event: ${name}\n`}data: ${JSON.stringify(data)}\n\n`;

  /** Held text of every open stream, as events of the dialect seen, before the stream's end. */
  const flushAll = (): string => {
    let out = '';
    for (const key of [...streams.keys()]) {
      const text = flush(key);
      if (text.length === 0) continue;
      out += syntheticDelta(key, text);
    }
    return out;
  };
  const syntheticDelta = (key: string, text: string): string => {
    const [kind, a, b] = key.split(':');
    if (kind === 'c') {
      const base = lastChat ?? { object: 'chat.completion.chunk' };
      return dataEvent(undefined, {
        ...base,
        choices: [{ index: Number(a), delta: { content: text }, finish_reason: null }],
      });
    }
    if (kind === 'r') {
      return dataEvent('response.output_text.delta', {
        type: 'response.output_text.delta',
        ...(itemIds.has(key) ? { item_id: itemIds.get(key) } : {}),
        output_index: Number(a),
        content_index: Number(b),
        delta: text,
      });
    }
    return dataEvent('content_block_delta', {
      type: 'content_block_delta',
      index: Number(a),
      delta: { type: 'text_delta', text },
    });
  };

  /** Handles one complete event; returns the bytes to send for it. */
  const handle = (e: SseEvent): string => {
    if (e.data.length === 0) return usageOnly ? '' : serialize(e, undefined);
    const raw = e.data.join('\n');
    if (raw.trim() === '[DONE]') {
      if (usageOnly) return '';
      return flushAll() + serialize(e, raw);
    }
    if (usageOnly && !raw.includes('"usage"')) return '';
    if (!usageOnly) {
      const fast = fastTextDelta(raw);
      // A Responses stream's first delta takes the full parse once, to learn its item id.
      if (fast !== undefined && (fast.key[0] !== 'r' || itemIds.has(fast.key))) {
        const text = push(fast.key, fast.text);
        return serialize(e, raw.slice(0, fast.start) + JSON.stringify(text) + raw.slice(fast.end));
      }
    }
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      if (usageOnly) return '';
      failed = true;
      return '';
    }
    if (!isObject(data)) {
      if (usageOnly) return '';
      failed = true;
      return '';
    }
    if (usageOnly) {
      // Chat final chunk / Anthropic message_delta carry `usage`; Responses and message_start nest it.
      noteUsage(readUsage(data.usage));
      if (isObject(data.response)) noteUsage(readUsage(data.response.usage));
      if (isObject(data.message)) noteUsage(readUsage(data.message.usage));
      return '';
    }
    const prefix = rewriteEvent(data);
    return prefix + serialize(e, JSON.stringify(data));
  };

  /** Rewrites an event's text in place; returns events to send before it (held text released). */
  const rewriteEvent = (data: Json): string => {
    if (Array.isArray(data.choices)) {
      // Envelope (id, model, created) for events the transformer has to add itself.
      lastChat ??= {
        id: data.id,
        object: data.object ?? 'chat.completion.chunk',
        created: data.created,
        model: data.model,
      };
      noteUsage(readUsage(data.usage));
      for (const choice of data.choices) {
        if (!isObject(choice)) continue;
        const key = `c:${typeof choice.index === 'number' ? choice.index : 0}`;
        const delta = isObject(choice.delta) ? choice.delta : undefined;
        let text = delta !== undefined && typeof delta.content === 'string' ? push(key, delta.content) : '';
        if (choice.finish_reason !== null && choice.finish_reason !== undefined) text += flush(key);
        if (delta !== undefined && (typeof delta.content === 'string' || text.length > 0))
          delta.content = text;
        else if (text.length > 0) choice.delta = { content: text };
      }
      return '';
    }
    const type = data.type;
    if (typeof type !== 'string') return '';
    if (type.startsWith('response.')) return rewriteResponsesEvent(type, data);
    return rewriteAnthropicEvent(type, data);
  };

  const rewriteResponsesEvent = (type: string, data: Json): string => {
    const key = `r:${String(data.output_index ?? 0)}:${String(data.content_index ?? 0)}`;
    if (type === 'response.output_text.delta' && typeof data.delta === 'string') {
      if (data.item_id !== undefined) itemIds.set(key, data.item_id);
      data.delta = push(key, data.delta);
      return '';
    }
    if (type === 'response.output_text.done') {
      const held = flush(key);
      const full = emittedText(key);
      if (typeof data.text === 'string') data.text = full ?? transformWhole(factories, data.text);
      return held.length > 0 ? syntheticDelta(key, held) : '';
    }
    if (type === 'response.content_part.done' && isObject(data.part) && typeof data.part.text === 'string') {
      const held = flush(key);
      data.part.text = emittedText(key) ?? transformWhole(factories, data.part.text);
      return held.length > 0 ? syntheticDelta(key, held) : '';
    }
    if (type === 'response.output_item.done' && isObject(data.item)) {
      const held = flushAll();
      rewriteResponseItem(data.item, Number(data.output_index ?? 0));
      return held;
    }
    if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed') {
      const held = flushAll();
      const response = isObject(data.response) ? data.response : undefined;
      if (response !== undefined) {
        noteUsage(readUsage(response.usage));
        if (Array.isArray(response.output)) {
          response.output.forEach((item, i) => {
            if (isObject(item)) rewriteResponseItem(item, i);
          });
        }
      }
      return held;
    }
    return '';
  };

  const rewriteResponseItem = (item: Json, outputIndex: number): void => {
    if (!Array.isArray(item.content)) return;
    item.content.forEach((part, contentIndex) => {
      if (!isObject(part) || typeof part.text !== 'string') return;
      part.text = emittedText(`r:${outputIndex}:${contentIndex}`) ?? transformWhole(factories, part.text);
    });
  };

  const rewriteAnthropicEvent = (type: string, data: Json): string => {
    if (type === 'message_start' && isObject(data.message)) {
      anthropicSeen = true;
      noteUsage(readUsage(data.message.usage));
      return '';
    }
    if (type === 'message_delta') {
      noteUsage(readUsage(data.usage));
      return flushAll();
    }
    const key = `a:${String(data.index ?? 0)}`;
    if (
      type === 'content_block_start' &&
      isObject(data.content_block) &&
      typeof data.content_block.text === 'string'
    ) {
      data.content_block.text = push(key, data.content_block.text);
      return '';
    }
    if (type === 'content_block_delta' && isObject(data.delta) && typeof data.delta.text === 'string') {
      data.delta.text = push(key, data.delta.text);
      return '';
    }
    if (type === 'content_block_stop') {
      const held = flush(key);
      return held.length > 0 ? syntheticDelta(key, held) : '';
    }
    if (type === 'message_stop') return flushAll();
    return '';
  };

  /** Splits decoded text into lines; complete events are handled as soon as their blank line arrives. */
  const feed = (text: string): string => {
    pending += text;
    let out = '';
    let at = 0;
    for (;;) {
      const nl = pending.indexOf('\n', at);
      if (nl < 0) break;
      let line = pending.slice(at, nl);
      at = nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (event.data.length > 0 || event.fields.length > 0) out += handle(event);
        event = { fields: [], data: [] };
        if (failed) return out;
        continue;
      }
      if (line.startsWith('data:')) event.data.push(line.slice(line[5] === ' ' ? 6 : 5));
      else event.fields.push(line);
    }
    pending = pending.slice(at);
    if (pending.length > MAX_EVENT_CHARS) failed = true;
    return out;
  };

  let stopped = false;
  const finishFailed = (out: string): Uint8Array => {
    stopped = true;
    return encoder.encode(out + errorEvent2());
  };
  const errorEvent2 = (): string => new TextDecoder().decode(errorEvent());

  return {
    write(chunk) {
      if (usageOnly) {
        feed(decoder.decode(chunk, { stream: true }));
        return chunk;
      }
      if (stopped) return EMPTY;
      const out = feed(decoder.decode(chunk, { stream: true }));
      if (failed) return finishFailed(out);
      // Buffer.from takes small outputs from Node's shared pool; TextEncoder allocates a new
      // ArrayBuffer per event, which costs a sixth of the streaming throughput.
      return out.length === 0 ? EMPTY : Buffer.from(out, 'utf8');
    },
    end() {
      if (usageOnly) {
        feed(`${decoder.decode()}\n\n`);
        reportUsage();
        return EMPTY;
      }
      if (stopped) return EMPTY;
      let out = feed(decoder.decode());
      if (!failed && (event.data.length > 0 || event.fields.length > 0 || pending.length > 0))
        out += feed('\n\n');
      if (failed) return finishFailed(out);
      out += flushAll();
      reportUsage();
      void anthropicSeen;
      return out.length === 0 ? EMPTY : encoder.encode(out);
    },
  };
}
