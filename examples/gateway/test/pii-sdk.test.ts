import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockAnswerText } from '../src/mock-llm.js';
import { type RunningGateway, startGateway } from '../src/server.js';

const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';
const PROMPT = `Write to ${EMAIL} about card ${CARD} please.`;

const openai = (url: string): OpenAI =>
  new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
const anthropic = (url: string): Anthropic =>
  new Anthropic({ baseURL: url, apiKey: 'sk-ant-test', maxRetries: 0 });

async function chatStream(url: string): Promise<string> {
  const stream = await openai(url).chat.completions.create({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: PROMPT }],
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

async function responsesStream(url: string): Promise<{ deltas: string; final: string }> {
  const stream = await openai(url).responses.create({ model: 'gpt-4o-mini', input: PROMPT, stream: true });
  let deltas = '';
  let final = '';
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') deltas += event.delta;
    if (event.type === 'response.completed') {
      for (const item of event.response.output) {
        if (item.type !== 'message') continue;
        for (const part of item.content) if (part.type === 'output_text') final += part.text;
      }
    }
  }
  return { deltas, final };
}

async function messagesStream(url: string): Promise<{ deltas: string; final: string }> {
  const stream = anthropic(url).messages.stream({
    model: 'claude-sonnet-4-5',
    max_tokens: 200,
    messages: [{ role: 'user', content: PROMPT }],
  });
  let deltas = '';
  stream.on('text', (t) => {
    deltas += t;
  });
  const message = await stream.finalMessage();
  const final = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  return { deltas, final };
}

describe('official SDKs streaming through the gateway: answers masked', () => {
  let gateway: RunningGateway;
  // Prompts of user turns pass unscanned here (only system text is scanned), so the mock model
  // echoes the raw values and the answer direction must mask them in every provider's stream.
  beforeAll(async () => {
    gateway = await startGateway({
      port: 0,
      guard: { pii: { roles: ['system'] }, audit: false },
      mock: { pieceSize: 3 },
    });
  });
  afterAll(() => gateway.close());

  const masked = mockAnswerText('Write to [EMAIL] about card [CREDIT_CARD] please.');

  it('OpenAI Chat Completions stream', async () => {
    expect(await chatStream(gateway.url)).toBe(masked);
  });

  it('OpenAI Responses stream: deltas and the completed response agree', async () => {
    const { deltas, final } = await responsesStream(gateway.url);
    expect(deltas).toBe(masked);
    expect(final).toBe(masked);
  });

  it('Anthropic Messages stream: deltas and the final message agree', async () => {
    const { deltas, final } = await messagesStream(gateway.url);
    expect(deltas).toBe(masked);
    expect(final).toBe(masked);
  });
});

describe('official SDKs streaming through the gateway: pseudonymize', () => {
  let restoring: RunningGateway;
  let raw: RunningGateway;
  beforeAll(async () => {
    restoring = await startGateway({
      port: 0,
      guard: { pii: { pii: 'pseudonymize' }, audit: false },
      mock: { pieceSize: 4 },
    });
    // Same policy without answer restoring: shows exactly what the model received.
    raw = await startGateway({
      port: 0,
      guard: { pii: { pii: 'pseudonymize', response: false }, audit: false },
      mock: { pieceSize: 4 },
    });
  });
  afterAll(async () => {
    await restoring.close();
    await raw.close();
  });

  it('the model sees placeholders, never the values', async () => {
    const seen = await chatStream(raw.url);
    expect(seen).toBe(mockAnswerText('Write to [EMAIL_1] about card [CREDIT_CARD_1] please.'));
  });

  it('the OpenAI client gets its own values back', async () => {
    expect(await chatStream(restoring.url)).toBe(mockAnswerText(PROMPT));
    const { deltas, final } = await responsesStream(restoring.url);
    expect(deltas).toBe(mockAnswerText(PROMPT));
    expect(final).toBe(mockAnswerText(PROMPT));
  });

  it('the Anthropic client gets its own values back', async () => {
    const { deltas, final } = await messagesStream(restoring.url);
    expect(deltas).toBe(mockAnswerText(PROMPT));
    expect(final).toBe(mockAnswerText(PROMPT));
  });
});
