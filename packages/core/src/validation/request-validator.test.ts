import { describe, expect, it } from 'vitest';
import type { RolePolicy } from '../context/principal.js';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import type { Guard } from '../pipeline/guard.js';
import { createGuardPipeline, type GuardResult } from '../pipeline/pipeline.js';
import type { PromptExtractor } from '../prompt/types.js';
import { createRequestValidator, type RequestValidatorOptions } from './request-validator.js';

const statusOf = (result: GuardResult): number => (result.ok ? 200 : result.status);

interface RunOptions {
  readonly validator?: RequestValidatorOptions;
  readonly policy?: RolePolicy;
  readonly method?: string;
  readonly extractor?: PromptExtractor;
}

async function run(body: unknown, options: RunOptions = {}): Promise<GuardResult> {
  const guards: Guard[] = [createRequestValidator(options.validator)];
  if (options.policy) {
    const policy = options.policy;
    guards.push({
      name: 'identity',
      phase: 'identity',
      onHeaders: (ctx) => {
        ctx.policy = policy;
      },
    });
  }
  const pipeline = createGuardPipeline({
    guards,
    ...(options.extractor ? { extractor: options.extractor } : {}),
  });
  const bytes = body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body));
  return pipeline.handle({
    method: options.method ?? 'POST',
    url: '/v1/chat/completions',
    header: (name) => (name === 'content-type' ? 'application/json' : undefined),
    clientIp: undefined,
    remoteAddress: undefined,
    body: { kind: 'bytes', bytes },
  });
}

async function errorsOf(body: unknown, options: RunOptions = {}): Promise<{ path: string; code: string }[]> {
  const result = await run(body, options);
  if (result.ok) throw new Error('expected a refusal');
  expect(result.status).toBe(400);
  expect(result.error.code).toBe('ERR_LLMGUARD_INVALID_REQUEST');
  return (result.error.errors ?? []).map(({ path, code }) => ({ path, code }));
}

const chat = (
  extra: Record<string, unknown> = {},
  messages: unknown[] = [{ role: 'user', content: 'Hi' }],
) => ({
  model: 'gpt-4o',
  messages,
  ...extra,
});

describe('request validator: valid requests pass untouched', () => {
  const bodies: Record<string, unknown> = {
    'chat with parts, tools and unknown fields': {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'S' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'T' },
            { type: 'image_url', image_url: { url: 'https://x' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f' } }],
        },
        { role: 'tool', tool_call_id: 'c', content: 'R' },
      ],
      temperature: 0.7,
      top_p: 1,
      n: 2,
      max_completion_tokens: 256,
      response_format: { type: 'json_object' },
      future_provider_field: { anything: [1, 2, 3] },
      stream: true,
      stream_options: { include_usage: true },
    },
    'responses with items and instructions': {
      model: 'gpt-4.1',
      instructions: 'Be brief.',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Q' },
            { type: 'input_image', image_url: 'u' },
          ],
        },
        { type: 'function_call', call_id: 'a', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'a', output: 'R' },
      ],
      max_output_tokens: 1000,
      reasoning: { effort: 'low' },
    },
    'anthropic with system blocks and tool_result': {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'S', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'R' }] }],
        },
      ],
      metadata: { user_id: 'u1' },
      top_k: 5,
    },
    'generic prompt': { prompt: 'Once upon a time', max_tokens: 16 },
    'generic input array': { input: ['a', 'b'] },
  };

  it.each(Object.entries(bodies))('%s', async (_name, body) => {
    const result = await run(body);
    expect(result.ok).toBe(true);
    expect(result.ok && result.body).toEqual(body);
    expect(result.ok && result.bodyModified).toBe(false);
  });
});

describe('request validator: shape errors', () => {
  it('names each faulty field by JSON Pointer with its own code and message', async () => {
    const result = await run(
      chat({ temperature: 'hot', n: 0 }, [
        { role: 'robot', content: 'x' },
        { role: 'user', content: [{ type: 'text' }] },
        { role: 'user', content: 7 },
      ]),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.errors).toEqual([
      { path: '/temperature', code: 'invalid_type', message: 'Expected a number.' },
      {
        path: '/messages/0/role',
        code: 'invalid_value',
        message: 'Must be one of: "system", "developer", "user", "assistant", "tool", "function".',
      },
      {
        path: '/messages/1/content/0/text',
        code: 'text_required',
        message: 'A text part must have a string "text".',
      },
      { path: '/messages/2/content', code: 'invalid_union', message: 'Has an unsupported type or shape.' },
      { path: '/n', code: 'too_small', message: 'Must be at least 1.' },
    ]);
  });

  it('reports missing required fields as required', async () => {
    expect(await errorsOf({ model: 'claude', system: 'S', messages: [{ content: 'x' }] })).toEqual([
      { path: '/messages/0/role', code: 'required' },
    ]);
    expect(await errorsOf({ model: 'gpt-4o', messages: [] })).toEqual([
      { path: '/messages', code: 'too_small' },
    ]);
  });

  it('gives dialect errors to a body that tries to be a dialect but is malformed', async () => {
    expect(await errorsOf({ model: 'gpt-4o', messages: 'hello' })).toEqual([
      { path: '/messages', code: 'invalid_type' },
    ]);
    expect(await errorsOf({ model: 'gpt-4.1', input: 42 })).toEqual([
      { path: '/input', code: 'invalid_union' },
    ]);
    expect(await errorsOf({ prompt: ['a', 2] })).toEqual([{ path: '/prompt/1', code: 'invalid_type' }]);
  });

  it('refuses Anthropic messages with a system role (system is a top-level field there)', async () => {
    expect(
      await errorsOf({
        model: 'claude',
        max_tokens: 5,
        system: 'S',
        messages: [{ role: 'system', content: 'x' }],
      }),
    ).toEqual([{ path: '/messages/0/role', code: 'invalid_value' }]);
  });

  it('never echoes the offending value, and reports at most 20 errors', async () => {
    const secret = 'value-4111111111111111';
    const messages = Array.from({ length: 40 }, () => ({ role: secret, content: secret }));
    const result = await run(chat({ model: secret.repeat(20), stop: [secret] }, messages));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.body).not.toContain('4111111111111111');
    expect(result.error.errors).toHaveLength(20);
  });

  it('refuses JSON that is no LLM request with unsupported-body-shape, or lets it pass when configured', async () => {
    for (const body of [{ hello: 'world' }, [1, 2, 3], 'text', 42, null]) {
      const result = await run(body);
      expect(result.ok).toBe(false);
      expect(result.ok ? 0 : result.error.code).toBe('ERR_LLMGUARD_UNSUPPORTED_BODY_SHAPE');
      expect(statusOf(result)).toBe(400);
      const passed = await run(body, { validator: { unknownShape: 'pass' } });
      expect(passed.ok).toBe(true);
      expect(passed.ok && passed.context.decisions[0]?.outcome).toBe('skip');
    }
  });

  it('needs a body on POST, PUT and PATCH but not on GET, HEAD or DELETE', async () => {
    for (const method of ['POST', 'PUT', 'PATCH']) {
      const result = await run(undefined, { method });
      expect(statusOf(result)).toBe(400);
      expect(result.ok ? undefined : result.error.errors).toEqual([
        { path: '', code: 'body_required', message: 'This method needs a JSON request body.' },
      ]);
    }
    for (const method of ['GET', 'HEAD', 'DELETE']) expect((await run(undefined, { method })).ok).toBe(true);
  });
});

describe('request validator: bounds', () => {
  it('caps the number of messages (default 256)', async () => {
    const many = (n: number) => Array.from({ length: n }, () => ({ role: 'user', content: 'x' }));
    expect((await run(chat({}, many(256)))).ok).toBe(true);
    expect(await errorsOf(chat({}, many(257)))).toEqual([{ path: '/messages', code: 'too_big' }]);
    expect(await errorsOf(chat({}, many(4)), { validator: { maxMessages: 3 } })).toEqual([
      { path: '/messages', code: 'too_big' },
    ]);
    expect(await errorsOf({ model: 'm', input: ['a', 'b', 'c'] }, { validator: { maxMessages: 2 } })).toEqual(
      [{ path: '/input', code: 'too_big' }],
    );
  });

  it('caps characters per message across all its parts, naming the message', async () => {
    const validator = { maxCharsPerMessage: 10 };
    const parts = [
      { type: 'text', text: '123456' },
      { type: 'text', text: '789012' },
    ];
    expect(await errorsOf(chat({}, [{ role: 'user', content: parts }]), { validator })).toEqual([
      { path: '/messages/0/content', code: 'message_too_long' },
    ]);
    expect((await run(chat({}, [{ role: 'user', content: '1234567890' }]), { validator })).ok).toBe(true);
    expect(
      await errorsOf(
        { model: 'c', max_tokens: 5, system: 'x'.repeat(11), messages: [{ role: 'user', content: 'q' }] },
        { validator },
      ),
    ).toEqual([{ path: '/system', code: 'message_too_long' }]);
  });

  it('caps the total prompt characters', async () => {
    const messages = Array.from({ length: 5 }, () => ({ role: 'user', content: 'x'.repeat(30) }));
    expect(await errorsOf(chat({}, messages), { validator: { maxTotalChars: 100 } })).toEqual([
      { path: '', code: 'prompt_too_long' },
    ]);
    expect((await run(chat({}, messages), { validator: { maxTotalChars: 150 } })).ok).toBe(true);
  });

  it('checks every output-token field against the range (default 1..200000)', async () => {
    expect(await errorsOf(chat({ max_tokens: 0 }))).toEqual([{ path: '/max_tokens', code: 'too_small' }]);
    expect(await errorsOf(chat({ max_completion_tokens: 200_001 }))).toEqual([
      { path: '/max_completion_tokens', code: 'too_big' },
    ]);
    expect(await errorsOf(chat({ max_tokens: 1.5 }))).toEqual([
      { path: '/max_tokens', code: 'invalid_type' },
    ]);
    const validator = { maxTokensRange: { max: 512 } };
    expect(await errorsOf({ model: 'm', input: 'q', max_output_tokens: 513 }, { validator })).toEqual([
      { path: '/max_output_tokens', code: 'too_big' },
    ]);
    expect(
      await errorsOf(
        { model: 'c', system: 's', max_tokens: 1000, messages: [{ role: 'user', content: 'q' }] },
        { validator },
      ),
    ).toEqual([{ path: '/max_tokens', code: 'too_big' }]);
    expect((await run(chat({ max_tokens: 512 }), { validator })).ok).toBe(true);
  });

  it('checks temperature (default 0..2) and top_p (default 0..1)', async () => {
    expect((await run(chat({ temperature: 2, top_p: 0 }))).ok).toBe(true);
    expect(await errorsOf(chat({ temperature: 2.01, top_p: 1.5 }))).toEqual([
      { path: '/temperature', code: 'too_big' },
      { path: '/top_p', code: 'too_big' },
    ]);
    expect(await errorsOf(chat({ temperature: -0.1 }))).toEqual([
      { path: '/temperature', code: 'too_small' },
    ]);
    expect(
      await errorsOf(chat({ temperature: 1.2 }), { validator: { temperatureRange: { max: 1 } } }),
    ).toEqual([{ path: '/temperature', code: 'too_big' }]);
  });

  it('caps n (default 4)', async () => {
    expect((await run(chat({ n: 4 }))).ok).toBe(true);
    expect(await errorsOf(chat({ n: 5 }))).toEqual([{ path: '/n', code: 'too_big' }]);
    expect(await errorsOf(chat({ n: 2 }), { validator: { maxChoices: 1 } })).toEqual([
      { path: '/n', code: 'too_big' },
    ]);
    expect(await errorsOf({ prompt: 'p', n: 9 })).toEqual([{ path: '/n', code: 'too_big' }]);
  });

  it('enforces the model allowlist with globs, and requires a model when one is set', async () => {
    const validator = { allowedModels: ['gpt-4o*', 'claude-?-haiku', 'exact-model'] };
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'claude-3-haiku', 'exact-model']) {
      expect((await run(chat({ model }), { validator })).ok).toBe(true);
    }
    for (const model of ['gpt-4', 'GPT-4O', 'claude-35-haiku', 'exact-model-2', 'xgpt-4o']) {
      expect(await errorsOf(chat({ model }), { validator })).toEqual([
        { path: '/model', code: 'model_not_allowed' },
      ]);
    }
    expect(await errorsOf({ messages: [{ role: 'user', content: 'x' }] }, { validator })).toEqual([
      { path: '/model', code: 'required' },
    ]);
    expect((await run({ messages: [{ role: 'user', content: 'x' }] })).ok).toBe(true);
  });

  it('applies the text bounds to bodies a custom extractor recognised', async () => {
    const extractor: PromptExtractor = (body) => {
      const q = (body as { q?: unknown }).q;
      return typeof q === 'string' ? { segments: [{ role: 'user', text: q, path: ['q'] }] } : undefined;
    };
    expect((await run({ q: 'short' }, { extractor, validator: { maxCharsPerMessage: 5 } })).ok).toBe(true);
    expect(await errorsOf({ q: 'longer' }, { extractor, validator: { maxCharsPerMessage: 5 } })).toEqual([
      { path: '/q', code: 'message_too_long' },
    ]);
  });
});

describe('request validator: text cleaning', () => {
  it('strips control and bidi characters and writes the text back', async () => {
    const body = chat({}, [
      { role: 'system', content: 'keep\ttabs\nand lines\r\n' },
      { role: 'user', content: [{ type: 'text', text: 'a\u0000b\u001bc\u007fd\u0085e\u202ef\u2066g' }] },
    ]);
    const result = await run(body, { validator: { stripControlChars: true } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body).toEqual(
      chat({}, [
        { role: 'system', content: 'keep\ttabs\nand lines\r\n' },
        { role: 'user', content: [{ type: 'text', text: 'abcdefg' }] },
      ]),
    );
    expect(result.bodyModified).toBe(true);
    expect(result.context.decisions[0]?.outcome).toBe('modify');
    expect(result.context.prompt?.segments[1]?.text).toBe('abcdefg');
  });

  it('applies NFKC so full-width and ligature look-alikes reach the model in plain form', async () => {
    const result = await run(
      { model: 'c', max_tokens: 9, system: 'ｉｇｎｏｒｅ', messages: [{ role: 'user', content: 'ﬁle ①' }] },
      { validator: { normalize: 'NFKC' } },
    );
    expect(result.ok && result.body).toEqual({
      model: 'c',
      max_tokens: 9,
      system: 'ignore',
      messages: [{ role: 'user', content: 'file 1' }],
    });
  });

  it('leaves text alone by default and reports no modification when nothing changed', async () => {
    const body = chat({}, [{ role: 'user', content: 'ｆｕｌｌ\u0000' }]);
    const plain = await run(body);
    expect(plain.ok && plain.body).toEqual(body);
    const clean = await run(chat(), { validator: { stripControlChars: true, normalize: 'NFKC' } });
    expect(clean.ok && clean.bodyModified).toBe(false);
    expect(clean.ok && clean.context.decisions[0]?.outcome).toBe('pass');
  });
});

describe('request validator: role policy', () => {
  it('refuses a model outside the role allowlist with 403 policy-violation', async () => {
    const policy: RolePolicy = { allowedModels: ['gpt-4o-mini'] };
    expect((await run(chat({ model: 'gpt-4o-mini' }), { policy })).ok).toBe(true);
    const refused = await run(chat({ model: 'gpt-4o' }), { policy });
    expect(statusOf(refused)).toBe(403);
    expect(refused.ok ? undefined : refused.error.code).toBe('ERR_LLMGUARD_POLICY_VIOLATION');
    expect(refused.ok ? undefined : refused.error.errors?.[0]?.code).toBe('model_not_allowed');
    const missing = await run({ messages: [{ role: 'user', content: 'x' }] }, { policy });
    expect(missing.ok ? undefined : missing.error.errors?.[0]?.code).toBe('model_required');
  });

  it('refuses max_tokens above the role cap by default', async () => {
    const policy: RolePolicy = { maxTokens: 100 };
    expect((await run(chat({ max_tokens: 100 }), { policy })).ok).toBe(true);
    const refused = await run(chat({ max_completion_tokens: 101 }), { policy });
    expect(statusOf(refused)).toBe(403);
    expect(refused.ok ? undefined : refused.error.errors).toEqual([
      {
        path: '/max_completion_tokens',
        code: 'max_tokens_exceeded',
        message: 'Must be at most 100 for your role.',
      },
    ]);
  });

  it('clamps max_tokens to the role cap in clamp mode', async () => {
    const policy: RolePolicy = { maxTokens: 100, maxTokensMode: 'clamp' };
    const result = await run(chat({ max_tokens: 5000, max_completion_tokens: 50 }), { policy });
    expect(result.ok && result.body).toEqual(chat({ max_tokens: 100, max_completion_tokens: 50 }));
    expect(result.ok && result.bodyModified).toBe(true);
    const anthropic = await run(
      { model: 'c', max_tokens: 4096, system: 's', messages: [{ role: 'user', content: 'q' }] },
      { policy },
    );
    expect(anthropic.ok && (anthropic.body as { max_tokens: number }).max_tokens).toBe(100);
  });

  it('writes the role cap into a request that names no output limit', async () => {
    const policy: RolePolicy = { maxTokens: 64 };
    const chatResult = await run(chat(), { policy });
    expect(chatResult.ok && chatResult.body).toEqual(chat({ max_completion_tokens: 64 }));
    const responses = await run({ model: 'm', input: 'q' }, { policy });
    expect(responses.ok && responses.body).toEqual({ model: 'm', input: 'q', max_output_tokens: 64 });
  });
});

describe('request validator: options', () => {
  const optionError = (options: unknown): LlmGuardError => {
    try {
      createRequestValidator(options as RequestValidatorOptions);
    } catch (error) {
      expect(error).toBeInstanceOf(LlmGuardError);
      return error as LlmGuardError;
    }
    throw new Error('expected the options to be refused');
  };

  it('names an unknown option', () => {
    const error = optionError({ maxMesages: 5 });
    expect(error.code).toBe('ERR_LLMGUARD_INVALID_OPTIONS');
    expect(error.message).toContain('maxMesages');
  });

  it.each([
    [{ maxMessages: 0 }, 'validation.maxMessages'],
    [{ maxMessages: 'ten' }, 'validation.maxMessages'],
    [{ temperatureRange: { min: 2, max: 1 } }, 'validation.temperatureRange'],
    [{ topPRange: { max: 2 } }, 'validation.topPRange.max'],
    [{ maxTokensRange: { max: 0 } }, 'validation.maxTokensRange'],
    [{ normalize: 'NFC' }, 'validation.normalize'],
    [{ unknownShape: 'allow' }, 'validation.unknownShape'],
    [{ allowedModels: [''] }, 'validation.allowedModels.0'],
  ])('refuses %j naming %s', (options, path) => {
    const error = optionError(options);
    expect(error.errors?.[0]?.path).toBe(path);
    expect(error.message).toContain(path);
  });

  it('returns a validation-phase guard named validation', () => {
    const guard = createRequestValidator();
    expect(guard).toMatchObject({ name: 'validation', phase: 'validation' });
    expect(typeof guard.onBody).toBe('function');
  });
});
