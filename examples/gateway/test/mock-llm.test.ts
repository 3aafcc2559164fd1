import { describe, expect, it } from 'vitest';
import { jsonReply, mockAnswerText, type Provider, sseChunks } from '../src/mock-llm.js';

const OPTS = { model: 'm', inputTokens: 7, outputTokens: 3, created: 1_700_000_000 };

/** Text carried by the delta events of a mock stream, whatever the dialect. */
function streamedText(events: readonly string[]): string {
  let text = '';
  for (const event of events) {
    const line = event.split('\n').find((l) => l.startsWith('data: '))!;
    const payload = line.slice('data: '.length);
    if (payload === '[DONE]') continue;
    const data = JSON.parse(payload) as {
      type?: string;
      delta?: string | { text?: string };
      choices?: { delta?: { content?: string } }[];
    };
    if (data.choices) text += data.choices[0]?.delta?.content ?? '';
    else if (data.type === 'response.output_text.delta') text += data.delta as string;
    else if (data.type === 'content_block_delta') text += (data.delta as { text: string }).text;
  }
  return text;
}

describe('mock LLM', () => {
  it('echoes the prompt with whitespace collapsed, placeholders intact', () => {
    expect(mockAnswerText('  Mail  [EMAIL_1]\n\tnow ')).toBe('Mock answer. You said: "Mail [EMAIL_1] now"');
    expect(mockAnswerText(' \n ')).toBe('Mock answer. You said nothing.');
  });

  it('caps the echo at 400 characters', () => {
    const answer = mockAnswerText('a'.repeat(1000));
    expect(answer).toBe(`Mock answer. You said: "${'a'.repeat(400)}…"`);
  });

  it('is deterministic: same prompt and options, same bodies and events', () => {
    for (const provider of ['openai-chat', 'openai-responses', 'anthropic-messages'] as Provider[]) {
      expect(jsonReply(provider, 'hi', OPTS)).toEqual(jsonReply(provider, 'hi', OPTS));
      expect(sseChunks(provider, 'hi', OPTS)).toEqual(sseChunks(provider, 'hi', OPTS));
    }
  });

  it.each(['openai-chat', 'openai-responses', 'anthropic-messages'] as Provider[])(
    '%s: every event is complete and the deltas add up to the text, emoji never split',
    (provider) => {
      const text = 'Snow ☃ and 🦊 foxes: [EMAIL_1]';
      for (const pieceSize of [1, 2, 5, 100]) {
        const events = sseChunks(provider, text, { ...OPTS, pieceSize });
        for (const event of events) expect(event.endsWith('\n\n')).toBe(true);
        expect(streamedText(events)).toBe(text);
        for (const event of events) expect(event).not.toMatch(/\\ud83e"/);
      }
    },
  );

  it('OpenAI chat: ends with [DONE] and adds the usage chunk only when asked', () => {
    const plain = sseChunks('openai-chat', 'hello', OPTS);
    expect(plain.at(-1)).toBe('data: [DONE]\n\n');
    expect(plain.some((e) => e.includes('"total_tokens"'))).toBe(false);
    const withUsage = sseChunks('openai-chat', 'hello', { ...OPTS, includeUsage: true });
    const usage = JSON.parse(withUsage.at(-2)!.slice('data: '.length)) as {
      choices: unknown[];
      usage: unknown;
    };
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
  });

  it('Responses and Anthropic name every event, in protocol order', () => {
    const names = (events: string[]) => events.map((e) => /^event: (\S+)/.exec(e)?.[1]);
    expect(names(sseChunks('openai-responses', 'hi', OPTS))).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(names(sseChunks('anthropic-messages', 'hi', OPTS))).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });
});
