import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReply, type Provider, sseChunks } from '../../examples/gateway/src/mock-llm.js';
import { ADAPTERS, type AdapterName, type RunningApp, startApp } from '../helpers/apps.js';

const CARD = '4111 1111 1111 1111';
const EMAIL = 'jane.doe@example.com';
const ANSWER = `Your card ${CARD} is on file and we wrote to ${EMAIL} today.`;
const MASKED = 'Your card [CREDIT_CARD] is on file and we wrote to [EMAIL] today.';

const ROUTES: Record<Provider, string> = {
  'openai-chat': '/v1/chat/completions',
  'openai-responses': '/v1/responses',
  'anthropic-messages': '/v1/messages',
};

function requestBody(provider: Provider, text: string, stream: boolean): unknown {
  if (provider === 'openai-responses') return { model: 'gpt-test', input: text, stream };
  if (provider === 'anthropic-messages')
    return { model: 'claude-test', max_tokens: 100, messages: [{ role: 'user', content: text }], stream };
  return { model: 'gpt-test', messages: [{ role: 'user', content: text }], stream };
}

/** Concatenates the answer text of an SSE body, whatever the provider. */
function sseText(body: string): string {
  let text = '';
  for (const block of body.split('\n\n')) {
    const data = block
      .split('\n')
      .find((l) => l.startsWith('data: '))
      ?.slice(6);
    if (data === undefined || data === '[DONE]') continue;
    // biome-ignore lint/suspicious/noExplicitAny: provider events are read by known paths in this test.
    const event = JSON.parse(data) as Record<string, any>;
    if (Array.isArray(event.choices)) text += event.choices[0]?.delta?.content ?? '';
    else if (event.type === 'response.output_text.delta') text += event.delta;
    else if (event.type === 'content_block_delta') text += event.delta?.text ?? '';
  }
  return text;
}

// biome-ignore lint/suspicious/noExplicitAny: provider bodies are read by known paths in this test.
function jsonText(provider: Provider, body: any): string {
  if (provider === 'openai-chat') return body.choices[0].message.content;
  if (provider === 'openai-responses') return body.output[0].content[0].text;
  return body.content[0].text;
}

const results = new Map<string, unknown>();

describe.each(ADAPTERS)('%s: pii and secrets', (adapter: AdapterName) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(adapter, {
      upstream: (call) => {
        const provider = (Object.entries(ROUTES).find(([, p]) => p === call.path)?.[0] ??
          'openai-chat') as Provider;
        const stream = (call.body as { stream?: boolean }).stream === true;
        // Small pieces so the card number and the email straddle chunk boundaries.
        if (stream)
          return {
            sse: sseChunks(provider, ANSWER, { model: 'm', inputTokens: 9, outputTokens: 20, pieceSize: 5 }),
          };
        return { json: jsonReply(provider, ANSWER, { model: 'm', inputTokens: 9, outputTokens: 20 }) };
      },
    });
  });
  afterAll(() => app.close());

  it('masks personal data in the prompt before the host sees it', async () => {
    const r = await fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(requestBody('openai-chat', `card ${CARD}, mail ${EMAIL}, ssn 536-32-3065`, false)),
    });
    expect(r.status).toBe(200);
    const seen = JSON.stringify(app.calls.at(-1)?.body);
    expect(seen).toContain('card [CREDIT_CARD], mail [EMAIL], ssn [US_SSN]');
    expect(seen).not.toContain('4111');
  });

  it('refuses a prompt with a credential, naming the type and never the value', async () => {
    const r = await fetch(`${app.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(requestBody('anthropic-messages', 'use key AKIAIOSFODNN7EXAMPLF please', false)),
    });
    expect(r.status).toBe(403);
    const problem = (await r.json()) as Record<string, unknown>;
    expect(problem.code).toBe('ERR_LLMGUARD_SENSITIVE_DATA');
    expect(problem['sensitive-types']).toEqual(['AWS_ACCESS_KEY']);
    expect(JSON.stringify(problem)).not.toContain('AKIAIOSFODNN7EXAMPLF');
    const { requestId: _id, ...rest } = problem;
    results.set(`${adapter}:refusal`, rest);
  });

  for (const provider of Object.keys(ROUTES) as Provider[]) {
    it(`masks the ${provider} answer as JSON`, async () => {
      const r = await fetch(`${app.url}${ROUTES[provider]}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(requestBody(provider, 'hello', false)),
      });
      expect(r.status).toBe(200);
      const text = jsonText(provider, await r.json());
      expect(text).toBe(MASKED);
      results.set(`${adapter}:${provider}:json`, text);
    });

    it(`masks the ${provider} answer streamed, with values split across chunks`, async () => {
      const r = await fetch(`${app.url}${ROUTES[provider]}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(requestBody(provider, 'hello', true)),
      });
      expect(r.status).toBe(200);
      const body = await r.text();
      expect(body).not.toContain('4111');
      expect(body).not.toContain('jane.doe');
      expect(sseText(body)).toBe(MASKED);
      results.set(`${adapter}:${provider}:sse`, sseText(body));
    });
  }
});

describe('pii across adapters', () => {
  it('gives identical results on every adapter', () => {
    for (const key of [
      'refusal',
      'openai-chat:json',
      'openai-chat:sse',
      'anthropic-messages:sse',
      'openai-responses:sse',
    ]) {
      const values = ADAPTERS.map((a) => JSON.stringify(results.get(`${a}:${key}`)));
      expect(new Set(values).size).toBe(1);
    }
  });
});
