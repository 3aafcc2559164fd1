import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GuardContext } from '../context/guard-context.js';
import type { ResponseHooks } from '../pipeline/guard.js';
import { createResponseBodyTransformer } from '../response/create-response-transformer.js';
import { DEFAULT_DETECTORS } from './pii-guard.js';
import { createPiiScanner } from './scanner.js';
import { createStreamRedactor, redactText } from './stream-redactor.js';

const scanner = createPiiScanner(DEFAULT_DETECTORS);
const mask = (m: { type: string }): string => `[${m.type}]`;

const VALUES = [
  'bob.smith@example.com',
  '4111 1111 1111 1111',
  '5500-0000-0000-0004',
  '536-32-3065',
  'DE89 3704 0044 0532 0130 00',
  '(415) 555-0132',
  '+44 20 7123 4567',
  '10.20.30.40',
  '2001:db8::8a2e:370:7334',
  '00:1A:2B:3C:4D:5E',
  'AKIAIOSFODNN7EXAMPLF',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  'postgres://admin:s3cr3tP4ss@db.internal:5432/app',
];
const FILLER = ['hello ', 'the card ', 'é ', '日本語 ', '😀 ', 'mail: ', '\n', 'call ', ' and ', '12 ', 'x'];

const textArb = fc
  .array(fc.oneof(fc.constantFrom(...VALUES), fc.constantFrom(...FILLER), fc.string({ maxLength: 8 })), {
    maxLength: 30,
  })
  .map((parts) => parts.join(' '));

/** Every detected value is gone from the output, unless the same characters also occur undetected. */
function expectNoDetectedValue(text: string, out: string): void {
  const { matches } = scanner.scan(text);
  let rest = text;
  for (const m of [...matches].reverse()) rest = rest.slice(0, m.start) + '\u0000' + rest.slice(m.end);
  for (const m of matches) if (!rest.includes(m.value)) expect(out).not.toContain(m.value);
}

function streamed(text: string, cuts: number[]): string {
  const t = createStreamRedactor(scanner, mask);
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let out = '';
  let at = 0;
  for (const p of points) {
    out += t.push(text.slice(at, p));
    at = p;
  }
  return out + t.push(text.slice(at)) + t.flush();
}

describe('streaming redaction', () => {
  it('equals redacting the whole text at once, for every way of cutting it', () => {
    fc.assert(
      fc.property(textArb, fc.array(fc.nat(), { maxLength: 40 }), (text, cuts) => {
        expect(streamed(text, cuts)).toBe(redactText(scanner, text, mask));
      }),
      { numRuns: 300 },
    );
  });

  it('equals the whole-text result with 1-character chunks and never releases a detected value', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const t = createStreamRedactor(scanner, mask);
        let out = '';
        for (const ch of text) out += t.push(ch);
        out += t.flush();
        expect(out).toBe(redactText(scanner, text, mask));
        expectNoDetectedValue(text, out);
      }),
      { numRuns: 150 },
    );
  });

  it('holds a card number split across chunks', () => {
    const t = createStreamRedactor(scanner, mask);
    const first = t.push('pay with 4111 1111 ');
    const rest = t.push('1111 1111 today') + t.flush();
    expect(first + rest).toBe('pay with [CREDIT_CARD] today');
    expect(first).not.toContain('4111');
  });
});

function ctx(): GuardContext {
  return { requestId: 'r', path: '/v1/chat/completions' } as unknown as GuardContext;
}

/** Runs an SSE body through a response transformer with `hooks`, cut at `cuts` (taken modulo its length). */
function transformSse(hooks: readonly ResponseHooks[], bytes: Uint8Array, cuts: readonly number[]): string {
  const transformer = createResponseBodyTransformer(ctx(), hooks, {
    status: 200,
    header: (n) => (n === 'content-type' ? 'text/event-stream' : undefined),
  })!;
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    chunks.push(transformer.write(bytes.slice(at, p)));
    at = p;
  }
  chunks.push(transformer.write(bytes.slice(at)), transformer.end());
  return new TextDecoder().decode(Buffer.concat(chunks));
}

describe('SSE byte stream property', () => {
  it('redacts OpenAI chat SSE identically for every byte cut, including inside UTF-8 sequences and lines', () => {
    const hooks = [{ textTransform: () => createStreamRedactor(scanner, mask) }];
    fc.assert(
      fc.property(
        textArb,
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        (text, cuts, piece) => {
          const deltas: string[] = [];
          for (let i = 0; i < text.length; i += piece) deltas.push(text.slice(i, i + piece));
          const sse =
            deltas
              .map(
                (d) =>
                  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: d }, finish_reason: null }] })}\n\n`,
              )
              .join('') +
            `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;
          const bytes = new TextEncoder().encode(sse);
          const out = transformSse(hooks, bytes, cuts);
          let joined = '';
          let done = false;
          for (const block of out.split('\n\n')) {
            if (!block.startsWith('data: ')) continue;
            const data = block.slice(6);
            if (data === '[DONE]') {
              done = true;
              continue;
            }
            const parsed = JSON.parse(data) as { choices: { delta: { content?: string } }[] };
            joined += parsed.choices[0]?.delta.content ?? '';
          }
          expect(done).toBe(true);
          expect(joined).toBe(redactText(scanner, text, mask));
          expectNoDetectedValue(text, out);
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** Anthropic and Responses streams: deltas must add up to the whole-text result before the end events. */
const DIALECTS = {
  anthropic: {
    events: (deltas: string[]): string =>
      `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { usage: { input_tokens: 1, output_tokens: 1 } } })}\n\n` +
      `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n` +
      deltas
        .map(
          (d) =>
            `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: d } })}\n\n`,
        )
        .join('') +
      `event: content_block_stop\ndata: ${JSON.stringify({ type: 'content_block_stop', index: 0 })}\n\n` +
      `event: message_stop\ndata: ${JSON.stringify({ type: 'message_stop' })}\n\n`,
    text: (event: Record<string, unknown>): string =>
      event.type === 'content_block_delta' ? (event.delta as { text: string }).text : '',
    end: 'content_block_stop',
  },
  responses: {
    events: (deltas: string[]): string =>
      deltas
        .map(
          (d) =>
            `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: d })}\n\n`,
        )
        .join('') +
      `event: response.output_text.done\ndata: ${JSON.stringify({ type: 'response.output_text.done', item_id: 'msg_1', output_index: 0, content_index: 0, text: deltas.join('') })}\n\n`,
    text: (event: Record<string, unknown>): string =>
      event.type === 'response.output_text.delta' ? (event.delta as string) : '',
    end: 'response.output_text.done',
  },
} as const;

describe.each(Object.keys(DIALECTS) as (keyof typeof DIALECTS)[])(
  '%s SSE byte stream property',
  (dialect) => {
    it('releases the same text as whole-text redaction before the end event, for every byte cut', () => {
      const hooks = [{ textTransform: () => createStreamRedactor(scanner, mask) }];
      const spec = DIALECTS[dialect];
      fc.assert(
        fc.property(
          textArb,
          fc.array(fc.nat(), { maxLength: 30 }),
          fc.integer({ min: 1, max: 9 }),
          (text, cuts, piece) => {
            const deltas: string[] = [];
            for (let i = 0; i < text.length; i += piece) deltas.push(text.slice(i, i + piece));
            const bytes = new TextEncoder().encode(spec.events(deltas));
            const out = transformSse(hooks, bytes, cuts);
            let joined = '';
            let ended = false;
            for (const block of out.split('\n\n')) {
              const data = block.split('\n').find((l) => l.startsWith('data: '));
              if (data === undefined) continue;
              const event = JSON.parse(data.slice(6)) as Record<string, unknown>;
              if (event.type === spec.end) {
                ended = true;
                if (dialect === 'responses') expect(event.text).toBe(redactText(scanner, text, mask));
                continue;
              }
              if (!ended) joined += spec.text(event);
            }
            expect(ended).toBe(true);
            expect(joined).toBe(redactText(scanner, text, mask));
            expectNoDetectedValue(text, out);
          },
        ),
        { numRuns: 100 },
      );
    });
  },
);

describe('streaming redaction cost', () => {
  it('holds back only its window during a flood of look-alike digits, then redacts what follows', () => {
    const t = createStreamRedactor(scanner, mask);
    const text = `${'4'.repeat(200_000)} card 4111 1111 1111 1111 end`;
    let out = '';
    let maxHeld = 0;
    for (let i = 0; i < text.length; i += 64) {
      out += t.push(text.slice(i, i + 64));
      maxHeld = Math.max(maxHeld, Math.min(i + 64, text.length) - out.length);
    }
    out += t.flush();
    // The window plus 24 characters of right context, plus one scan batch of four 64-character pieces.
    expect(maxHeld).toBeLessThanOrEqual(scanner.window + 24 + 4 * 64 + 64);
    expect(out).toBe(redactText(scanner, text, mask));
    expect(out.endsWith(' card [CREDIT_CARD] end')).toBe(true);
  });

  it('stays linear while a long token keeps growing in small pieces', () => {
    const t = createStreamRedactor(scanner, mask);
    const header = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIx';
    let out = t.push(`token ${header}`);
    const piece = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldY';
    for (let i = 0; i < 20_000; i++) out += t.push(piece);
    out += t.push(' done') + t.flush();
    expect(out).toBe('token [JWT] done');
  });
});
