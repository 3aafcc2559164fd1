import { extractBuiltIn } from '@llmguard/core';
import { estimateTokens, jsonReply, mockAnswerText, type Provider, sseChunks } from './mock-llm.js';

/** How the embedded mock model answers. */
export interface MockAnswerOptions {
  /** Pause between streamed events, in milliseconds. Default 0. */
  readonly chunkDelayMs?: number;
  /** Characters per streamed delta. Default 12. */
  readonly pieceSize?: number;
  /** Model reported when the request names none. Default `'mock-model'`. */
  readonly defaultModel?: string;
}

/**
 * Answers a request body the way the real provider would, from the deterministic mock model:
 * JSON, or `text/event-stream` when the body says `stream: true`. The model sees the last user turn.
 *
 * @example
 * const response = mockAnswer('openai-chat', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
 */
export function mockAnswer(provider: Provider, body: unknown, options: MockAnswerOptions = {}): Response {
  const fields = isRecord(body) ? body : {};
  const extracted = extractBuiltIn(body);
  const segments = extracted?.segments ?? [];
  const text = mockAnswerText(lastUserText(segments));
  const model =
    typeof fields['model'] === 'string' ? fields['model'] : (options.defaultModel ?? 'mock-model');
  const usage = {
    model,
    inputTokens: estimateTokens(segments.map((segment) => segment.text).join('\n')),
    outputTokens: estimateTokens(text),
  };
  if (fields['stream'] !== true) {
    return Response.json(jsonReply(provider, text, usage));
  }
  const streamOptions = isRecord(fields['stream_options']) ? fields['stream_options'] : {};
  const events = sseChunks(provider, text, {
    ...usage,
    ...(options.pieceSize === undefined ? {} : { pieceSize: options.pieceSize }),
    includeUsage: streamOptions['include_usage'] === true,
  });
  return new Response(eventStream(events, options.chunkDelayMs ?? 0), {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
  });
}

type Segment = { readonly role: string; readonly text: string; readonly turn?: number };

/** Text of the last user turn (all its parts), or of the last segment when no role says `user`. */
function lastUserText(segments: readonly Segment[]): string {
  let lastTurn: number | undefined;
  const parts: string[] = [];
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    if (segment.role !== 'user') continue;
    const turn = segment.turn ?? i;
    if (lastTurn !== undefined && turn !== lastTurn) break;
    lastTurn = turn;
    parts.unshift(segment.text);
  }
  if (parts.length > 0) return parts.join('\n');
  return segments.at(-1)?.text ?? '';
}

function eventStream(events: readonly string[], delayMs: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index >= events.length) {
        controller.close();
        return;
      }
      if (delayMs > 0 && index > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      controller.enqueue(encoder.encode(events[index++]));
    },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
