import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenUsage } from '../context/findings.js';
import type { GuardContext } from '../context/guard-context.js';
import { DEFAULT_DETECTORS } from '../pii/pii-guard.js';
import { createPiiScanner } from '../pii/scanner.js';
import { createStreamRedactor, redactText } from '../pii/stream-redactor.js';
import type { ResponseHooks } from '../pipeline/guard.js';
import { createResponseBodyTransformer } from './create-response-transformer.js';

const scanner = createPiiScanner(DEFAULT_DETECTORS);
const ctx = (): GuardContext =>
  ({ requestId: 'r1', path: '/v1/x', usage: undefined }) as unknown as GuardContext;
const redact: ResponseHooks = { textTransform: () => createStreamRedactor(scanner, (m) => `[${m.type}]`) };
const enc = new TextEncoder();
const dec = new TextDecoder();

function run(
  hooks: ResponseHooks[],
  type: string,
  chunks: string[],
  extra: Record<string, string> = {},
  c = ctx(),
): string | null {
  const headers: Record<string, string> = { 'content-type': type, ...extra };
  const t = createResponseBodyTransformer(c, hooks, { status: 200, header: (n) => headers[n] });
  if (t === null) return null;
  let out = '';
  for (const chunk of chunks) out += dec.decode(t.write(enc.encode(chunk)), { stream: true });
  return out + dec.decode(t.end());
}

describe('JSON answers', () => {
  it('rewrites the text fields of all three providers and reports usage', () => {
    const seen: TokenUsage[] = [];
    const hooks = [redact, { onUsage: (u: TokenUsage) => seen.push(u) }];
    const chat = {
      choices: [{ index: 0, message: { role: 'assistant', content: 'mail bob@example.com' } }],
      usage: { prompt_tokens: 3, completion_tokens: 4 },
    };
    const body = JSON.stringify(chat);
    const out = JSON.parse(run(hooks, 'application/json', [body.slice(0, 20), body.slice(20)])!);
    expect(out.choices[0].message.content).toBe('mail [EMAIL]');
    const responses = {
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'ip 10.1.2.3' }] }],
      usage: { input_tokens: 1, output_tokens: 2 },
    };
    expect(
      JSON.parse(run(hooks, 'application/json', [JSON.stringify(responses)])!).output[0].content[0].text,
    ).toBe('ip [IP_ADDRESS]');
    const anthropic = {
      content: [{ type: 'text', text: 'ssn 536-32-3065' }],
      usage: { input_tokens: 5, output_tokens: 6 },
    };
    expect(
      JSON.parse(run(hooks, 'application/json; charset=utf-8', [JSON.stringify(anthropic)])!).content[0].text,
    ).toBe('ssn [US_SSN]');
    expect(seen).toEqual([
      { inputTokens: 3, outputTokens: 4 },
      { inputTokens: 1, outputTokens: 2 },
      { inputTokens: 5, outputTokens: 6 },
    ]);
  });

  it('replaces an unparseable body with a 502 problem and never echoes it', () => {
    const out = JSON.parse(run([redact], 'application/json', ['{"choices": [ bob@example.com'])!);
    expect(out).toMatchObject({ status: 502, code: 'ERR_LLMGUARD_RESPONSE_UNPARSEABLE', requestId: 'r1' });
    expect(JSON.stringify(out)).not.toContain('bob@');
  });
});

describe('SSE answers', () => {
  const anthropic = [
    `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { usage: { input_tokens: 7, output_tokens: 1 } } })}\n\n`,
    `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`,
    `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'card 4111 1111 ' } })}\n\n`,
    `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '1111 1111' } })}\n\n`,
    `event: content_block_stop\ndata: ${JSON.stringify({ type: 'content_block_stop', index: 0 })}\n\n`,
    `event: message_delta\ndata: ${JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } })}\n\n`,
    `event: message_stop\ndata: ${JSON.stringify({ type: 'message_stop' })}\n\n`,
  ];

  it('releases a block’s held text before its content_block_stop and reads usage', () => {
    const seen: TokenUsage[] = [];
    const out = run([redact, { onUsage: (u) => seen.push(u) }], 'text/event-stream', anthropic)!;
    const events = out.split('\n\n').filter(Boolean);
    const stopAt = events.findIndex((e) => e.includes('content_block_stop'));
    const text = events
      .slice(0, stopAt)
      .filter((e) => e.includes('content_block_delta'))
      .map((e) => JSON.parse(e.split('data: ')[1]!).delta.text)
      .join('');
    expect(text).toBe('card [CREDIT_CARD]');
    expect(out).not.toContain('4111');
    expect(seen).toEqual([{ inputTokens: 7, outputTokens: 9 }]);
  });

  it('passes bytes through unchanged when hooks only need usage', () => {
    const seen: TokenUsage[] = [];
    const body = anthropic.join('');
    const out = run([{ onUsage: (u) => seen.push(u) }], 'text/event-stream', [
      body.slice(0, 33),
      body.slice(33),
    ]);
    expect(out).toBe(body);
    expect(seen).toEqual([{ inputTokens: 7, outputTokens: 9 }]);
  });

  it('ends the stream with an error event when an event is not JSON (fail closed)', () => {
    const out = run([redact], 'text/event-stream', [
      'data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n',
      'data: bob@example.com\n\n',
      'data: {"x":1}\n\n',
    ])!;
    expect(out).toContain('event: error');
    expect(out).toContain('ERR_LLMGUARD_RESPONSE_UNPARSEABLE');
    expect(out).not.toContain('bob@');
    expect(out).not.toContain('"x":1');
  });

  it('refuses to pass a compressed stream it cannot inspect', () => {
    const out = run([redact], 'text/event-stream', ['\u001f\u008b binary'], { 'content-encoding': 'gzip' })!;
    expect(out).toContain('event: error');
    expect(out).not.toContain('binary');
  });

  /** Text pieces that look like the JSON around a delta's text once they are escaped into it. */
  const trickyText = fc
    .array(
      fc.constantFrom(
        'plain words ',
        '"',
        '\\',
        '\\"',
        '"usage":{"x":1}',
        '"content":"',
        '"index":7,',
        '"finish_reason":null',
        '"type":"text_delta"',
        'é ✓ 🙂',
        'bob@example.com ',
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join(''));
  const events = {
    chat: (text: string) =>
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`,
    chatReordered: (text: string) =>
      `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ finish_reason: null, index: 1, delta: { content: text } }], id: 'c2' })}\n\n`,
    anthropic: (text: string) =>
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })}\n\n`,
    responses: (text: string) =>
      `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: text })}\n\n`,
  };
  const deltaText: Record<keyof typeof events, (data: string) => string> = {
    chat: (data) => JSON.parse(data).choices[0].delta.content,
    chatReordered: (data) => JSON.parse(data).choices[0].delta.content,
    anthropic: (data) => JSON.parse(data).delta.text,
    responses: (data) => JSON.parse(data).delta,
  };

  it('reads each delta’s text exactly, whatever quotes, backslashes or JSON-like words it holds', () => {
    const identity: ResponseHooks = { textTransform: () => ({ push: (t) => t, flush: () => '' }) };
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(events) as (keyof typeof events)[])),
        fc.array(trickyText, { minLength: 1, maxLength: 6 }),
        (dialect, texts) => {
          const body = texts.map((t) => events[dialect](t)).join('');
          // An unchanged text leaves every event as it came, byte for byte.
          expect(run([identity], 'text/event-stream', [body])).toBe(body);
        },
      ),
    );
  });

  it('redacts delta texts with escapes like the whole text, in every dialect', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(events) as (keyof typeof events)[])),
        fc.array(trickyText, { minLength: 1, maxLength: 6 }),
        (dialect, texts) => {
          const out = run([redact], 'text/event-stream', [texts.map((t) => events[dialect](t)).join('')])!;
          const released = out
            .split('\n\n')
            .filter((e) => e.includes('data: '))
            .map((e) => deltaText[dialect](e.slice(e.indexOf('data: ') + 6)))
            .join('');
          expect(released).toBe(redactText(scanner, texts.join(''), (m) => `[${m.type}]`));
          expect(out).not.toContain('bob@');
        },
      ),
    );
  });

  it('leaves other content types alone', () => {
    expect(run([redact], 'text/plain', ['bob@example.com'])).toBeNull();
  });
});
