import { describe, expect, it } from 'vitest';
import { createPromptView, extractBuiltIn } from './extract-prompt.js';
import type { PromptExtractor } from './types.js';

const texts = (body: unknown) =>
  createPromptView(body)?.segments.map(({ role, text, path, turn }) => ({ role, text, path, turn }));

describe('prompt view: OpenAI Chat Completions', () => {
  it('extracts string and content-part messages with roles and paths', () => {
    const body = {
      model: 'gpt-4o',
      max_completion_tokens: 99,
      stream: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'No links.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look:' },
            { type: 'image_url', image_url: { url: 'https://x.test/a.png' } },
            { type: 'text', text: 'what is it?' },
          ],
        },
        { role: 'assistant', content: null, tool_calls: [{ id: 't1' }] },
        { role: 'tool', tool_call_id: 't1', content: 'tool says hi' },
      ],
    };
    const view = createPromptView(body)!;
    expect(view.format).toBe('openai-chat');
    expect(view.model).toBe('gpt-4o');
    expect(view.stream).toBe(true);
    expect(view.maxTokens).toBe(99);
    expect(texts(body)).toEqual([
      { role: 'system', text: 'Be brief.', path: ['messages', 0, 'content'], turn: 0 },
      { role: 'developer', text: 'No links.', path: ['messages', 1, 'content', 0, 'text'], turn: 1 },
      { role: 'user', text: 'Look:', path: ['messages', 2, 'content', 0, 'text'], turn: 2 },
      { role: 'user', text: 'what is it?', path: ['messages', 2, 'content', 2, 'text'], turn: 2 },
      { role: 'tool', text: 'tool says hi', path: ['messages', 4, 'content'], turn: 4 },
    ]);
  });

  it('writes replacements back into string and part messages, leaving other fields alone', () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'mail a@b.test' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'call 555' },
            { type: 'image_url', image_url: { url: 'u' } },
          ],
        },
      ],
    };
    const view = createPromptView(body)!;
    expect(view.modified).toBe(false);
    view.replaceText(0, 'mail [EMAIL]');
    view.replaceText(1, 'call [PHONE]');
    expect(view.modified).toBe(true);
    expect(body.messages[0]!.content).toBe('mail [EMAIL]');
    expect(body.messages[1]!.content).toEqual([
      { type: 'text', text: 'call [PHONE]' },
      { type: 'image_url', image_url: { url: 'u' } },
    ]);
    expect(view.segments[0]!.text).toBe('mail [EMAIL]');
  });

  it('does not mark the body modified when the replacement is identical', () => {
    const body = { messages: [{ role: 'user', content: 'same' }] };
    const view = createPromptView(body)!;
    view.replaceText(0, 'same');
    expect(view.modified).toBe(false);
  });

  it('throws a RangeError for a segment that does not exist', () => {
    const view = createPromptView({ messages: [{ role: 'user', content: 'x' }] })!;
    expect(() => view.replaceText(5, 'y')).toThrow(RangeError);
  });

  it('writes non-text values with setValue and marks the body modified', () => {
    const body: Record<string, unknown> = { messages: [{ role: 'user', content: 'x' }], max_tokens: 9000 };
    const view = createPromptView(body)!;
    view.setValue(['max_tokens'], 100);
    expect(body.max_tokens).toBe(100);
    expect(view.modified).toBe(true);
    expect(() => view.setValue([], 1)).toThrow(RangeError);
  });
});

describe('prompt view: OpenAI Responses', () => {
  it('extracts instructions and a string input', () => {
    const body = { model: 'gpt-4.1', instructions: 'You are terse.', input: 'Hello', max_output_tokens: 50 };
    const view = createPromptView(body)!;
    expect(view.format).toBe('openai-responses');
    expect(view.maxTokens).toBe(50);
    expect(texts(body)).toEqual([
      { role: 'system', text: 'You are terse.', path: ['instructions'], turn: -1 },
      { role: 'user', text: 'Hello', path: ['input'], turn: 0 },
    ]);
  });

  it('extracts message items, content parts and function call output, and writes back', () => {
    const body = {
      model: 'gpt-4.1',
      input: [
        { role: 'developer', content: 'Rules.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Summarise' }] },
        { type: 'function_call', call_id: 'c1', name: 'fetch', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'page text' },
      ],
    };
    const view = createPromptView(body)!;
    expect(texts(body)).toEqual([
      { role: 'developer', text: 'Rules.', path: ['input', 0, 'content'], turn: 0 },
      { role: 'user', text: 'Summarise', path: ['input', 1, 'content', 0, 'text'], turn: 1 },
      { role: 'tool', text: 'page text', path: ['input', 3, 'output'], turn: 3 },
    ]);
    view.replaceText(2, 'clean text');
    view.replaceText(1, 'Summarize');
    expect(body.input[3]).toEqual({ type: 'function_call_output', call_id: 'c1', output: 'clean text' });
    expect(body.input[1]).toEqual({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'Summarize' }],
    });
  });

  it('is not the Responses dialect without model or instructions', () => {
    expect(extractBuiltIn({ input: { nested: true } })).toBeUndefined();
  });
});

describe('prompt view: Anthropic Messages', () => {
  it('extracts system blocks, text blocks, tool_result content and text documents', () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'You are careful.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'tu1', name: 'search', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'tu1', content: [{ type: 'text', text: 'result text' }] },
            { type: 'tool_result', tool_use_id: 'tu2', content: 'plain result' },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'doc body' } },
            { type: 'text', text: 'What now?' },
          ],
        },
      ],
    };
    const view = createPromptView(body)!;
    expect(view.format).toBe('anthropic-messages');
    expect(view.maxTokens).toBe(1024);
    expect(texts(body)).toEqual([
      { role: 'system', text: 'You are careful.', path: ['system', 0, 'text'], turn: -1 },
      { role: 'user', text: 'Hi', path: ['messages', 0, 'content'], turn: 0 },
      {
        role: 'tool',
        text: 'result text',
        path: ['messages', 2, 'content', 0, 'content', 0, 'text'],
        turn: 2,
      },
      { role: 'tool', text: 'plain result', path: ['messages', 2, 'content', 1, 'content'], turn: 2 },
      { role: 'document', text: 'doc body', path: ['messages', 2, 'content', 2, 'source', 'data'], turn: 2 },
      { role: 'user', text: 'What now?', path: ['messages', 2, 'content', 3, 'text'], turn: 2 },
    ]);
    view.replaceText(0, 'SYS');
    view.replaceText(2, 'RESULT');
    view.replaceText(3, 'PLAIN');
    view.replaceText(4, 'DOC');
    expect(body.system[0]).toEqual({ type: 'text', text: 'SYS', cache_control: { type: 'ephemeral' } });
    const blocks = body.messages[2]!.content as { content?: unknown; source?: { data: string } }[];
    expect(blocks[0]!.content).toEqual([{ type: 'text', text: 'RESULT' }]);
    expect(blocks[1]!.content).toBe('PLAIN');
    expect(blocks[2]!.source!.data).toBe('DOC');
  });

  it('recognises a system string and writes back into it', () => {
    const body = {
      model: 'claude',
      max_tokens: 5,
      system: 'Sys',
      messages: [{ role: 'user', content: 'x' }],
    };
    const view = createPromptView(body)!;
    expect(view.segments[0]).toMatchObject({ role: 'system', text: 'Sys', path: ['system'] });
    view.replaceText(0, 'New');
    expect(body.system).toBe('New');
  });

  it('recognises Anthropic by tool_result blocks even without a system prompt', () => {
    const body = {
      messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 'r' }] }],
    };
    expect(createPromptView(body)?.format).toBe('anthropic-messages');
  });
});

describe('prompt view: generic and custom', () => {
  it('extracts {prompt} strings and string arrays, and {input}', () => {
    const body = { prompt: ['one', 'two'], max_tokens: 3 };
    const view = createPromptView(body)!;
    expect(view.format).toBe('generic');
    expect(texts(body)).toEqual([
      { role: 'user', text: 'one', path: ['prompt', 0], turn: 0 },
      { role: 'user', text: 'two', path: ['prompt', 1], turn: 1 },
    ]);
    view.replaceText(1, 'TWO');
    expect(body.prompt).toEqual(['one', 'TWO']);
    const input = { input: 'hello' };
    const inputView = createPromptView(input)!;
    inputView.replaceText(0, 'bye');
    expect(input).toEqual({ input: 'bye' });
  });

  it('returns undefined for bodies that are no known dialect', () => {
    for (const body of [null, 'text', 42, [1, 2], {}, { prompt: 5 }, { prompt: ['a', 1] }, { foo: 'bar' }]) {
      expect(createPromptView(body)).toBeUndefined();
    }
  });

  it('tries a custom extractor first and falls back to the built-ins when it declines', () => {
    const extractor: PromptExtractor = (body) => {
      const b = body as { query?: unknown };
      return typeof b.query === 'string'
        ? { segments: [{ role: 'user', text: b.query, path: ['query'] }] }
        : undefined;
    };
    const body = { query: 'search this' };
    const view = createPromptView(body, extractor)!;
    expect(view.format).toBe('custom');
    expect(view.segments[0]).toMatchObject({ text: 'search this', turn: 0 });
    view.replaceText(0, 'redacted');
    expect(body.query).toBe('redacted');
    expect(createPromptView({ prompt: 'p' }, extractor)?.format).toBe('generic');
  });
});

describe('prompt view: write-back safety', () => {
  it('refuses paths that leave the body or point at prototype keys', () => {
    const extractor: PromptExtractor = () => ({
      segments: [
        { role: 'user', text: 'a', path: ['__proto__', 'polluted'] },
        { role: 'user', text: 'b', path: ['missing', 'deep'] },
        { role: 'user', text: 'c', path: ['constructor'] },
      ],
    });
    const view = createPromptView({ q: 'x' }, extractor)!;
    expect(() => view.replaceText(0, 'yes')).toThrow(RangeError);
    expect(() => view.replaceText(1, 'yes')).toThrow(RangeError);
    expect(() => view.replaceText(2, 'yes')).toThrow(RangeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(view.modified).toBe(false);
  });
});
