import { describe, expect, it } from 'vitest';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import type { GuardPipeline } from '../pipeline/pipeline.js';
import { createLlmGuard } from '../preset.js';

async function send(pipeline: GuardPipeline, body: unknown): Promise<number> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const result = await pipeline.handle({
    method: 'POST',
    url: '/v1/chat/completions',
    header: (name) => (name === 'content-type' ? 'application/json' : undefined),
    clientIp: '192.0.2.1',
    remoteAddress: '192.0.2.1',
    body: { kind: 'bytes', bytes },
  });
  if (result.ok) result.finish({ status: 200 });
  return result.ok ? 200 : result.status;
}

describe('llmGuard() preset: validation group', () => {
  it('validates requests by default', async () => {
    const pipeline = createLlmGuard({ limits: false });
    expect(pipeline.guards.some((g) => g.name === 'validation')).toBe(true);
    expect(await send(pipeline, { hello: 'world' })).toBe(400);
    expect(
      await send(pipeline, { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 9 }),
    ).toBe(400);
  });

  it('passes its options to the validator', async () => {
    const pipeline = createLlmGuard({ limits: false, validation: { allowedModels: ['gpt-4o-mini'] } });
    expect(await send(pipeline, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })).toBe(400);
    expect(await send(pipeline, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).toBe(
      200,
    );
  });

  it('switches validation off with false', async () => {
    const pipeline = createLlmGuard({ limits: false, validation: false });
    expect(pipeline.guards.some((g) => g.name === 'validation')).toBe(false);
    expect(await send(pipeline, { hello: 'world' })).toBe(200);
  });

  it('names a misspelled validation option at construction', () => {
    expect(() => createLlmGuard({ validation: { maxMesages: 5 } as never })).toThrow(LlmGuardError);
    expect(() => createLlmGuard({ validation: { maxMesages: 5 } as never })).toThrow(/maxMesages/);
    expect(() => createLlmGuard({ validation: true as never })).toThrow(/validation/);
    expect(() => createLlmGuard({ body: { maxBytes: -1 } })).toThrow(/body\.maxBytes/);
  });
});
