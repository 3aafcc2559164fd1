import { z } from 'zod';
import type { PromptFormat } from '../prompt/types.js';

/** Numeric bounds the request schemas are compiled with (resolved validator options). */
export interface SchemaBounds {
  readonly maxMessages: number;
  readonly maxTokens: { readonly min: number; readonly max: number };
  readonly temperature: { readonly min: number; readonly max: number };
  readonly topP: { readonly min: number; readonly max: number };
  readonly maxChoices: number;
  readonly maxModelLength: number;
}

/**
 * Which schema validates a body: the dialect, with the generic shape split by the key that holds
 * the prompt (`{prompt}` or `{input}`). `custom` extractors get the text bounds only.
 */
export type SchemaKey = Exclude<PromptFormat, 'custom' | 'generic'> | 'generic-prompt' | 'generic-input';

const range = (bounds: { readonly min: number; readonly max: number }) =>
  z.number().min(bounds.min).max(bounds.max).nullable().optional();
const intRange = (bounds: { readonly min: number; readonly max: number }) =>
  z.number().int().min(bounds.min).max(bounds.max).nullable().optional();

// Parts and blocks stay loose: providers add new types (images, audio, files) all the time, and
// anything we do not read must pass through untouched. A part that says it is text must carry text.
const textPart = z
  .looseObject({ type: z.string().min(1).max(64), text: z.string().optional() })
  .refine((part) => !part.type.endsWith('text') || typeof part.text === 'string', {
    path: ['text'],
    params: { code: 'text_required' },
  });

const STOP = z
  .union([z.string(), z.array(z.string()).max(16)])
  .nullable()
  .optional();

/**
 * Compiles the zod schema of each request dialect once, with the configured bounds baked in.
 * Objects are loose: unknown provider fields are accepted and never stripped (the validator checks,
 * it does not rebuild the body).
 *
 * @example
 * const schemas = buildRequestSchemas({ maxMessages: 256, maxTokens: { min: 1, max: 200_000 }, … });
 * schemas['openai-chat'].safeParse(body);
 */
export function buildRequestSchemas(bounds: SchemaBounds): Record<SchemaKey, z.ZodType> {
  const model = z.string().min(1).max(bounds.maxModelLength);
  const common = {
    model: model.optional(),
    temperature: range(bounds.temperature),
    top_p: range(bounds.topP),
    stream: z.boolean().nullable().optional(),
  };

  const chatMessage = z.looseObject({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z
      .union([z.string(), z.array(textPart)])
      .nullable()
      .optional(),
    name: z.string().max(256).optional(),
    tool_call_id: z.string().max(256).optional(),
  });
  const openaiChat = z.looseObject({
    ...common,
    messages: z.array(chatMessage).min(1).max(bounds.maxMessages),
    max_tokens: intRange(bounds.maxTokens),
    max_completion_tokens: intRange(bounds.maxTokens),
    n: z.number().int().min(1).max(bounds.maxChoices).nullable().optional(),
    stop: STOP,
  });

  const responsesItem = z.union([
    z.string(),
    z.looseObject({
      type: z.string().min(1).max(64).optional(),
      role: z.enum(['system', 'developer', 'user', 'assistant']).optional(),
      content: z.union([z.string(), z.array(textPart)]).optional(),
      output: z.union([z.string(), z.array(textPart)]).optional(),
    }),
  ]);
  const openaiResponses = z.looseObject({
    ...common,
    input: z.union([z.string(), z.array(responsesItem).max(bounds.maxMessages)]),
    instructions: z.string().nullable().optional(),
    max_output_tokens: intRange(bounds.maxTokens),
  });

  const anthropicBlock = z
    .looseObject({
      type: z.string().min(1).max(64),
      text: z.string().optional(),
      content: z.union([z.string(), z.array(z.looseObject({ type: z.string().min(1).max(64) }))]).optional(),
    })
    .refine((block) => block.type !== 'text' || typeof block.text === 'string', {
      path: ['text'],
      params: { code: 'text_required' },
    });
  const anthropicMessages = z.looseObject({
    ...common,
    messages: z
      .array(
        z.looseObject({
          role: z.enum(['user', 'assistant']),
          content: z.union([z.string(), z.array(anthropicBlock)]),
        }),
      )
      .min(1)
      .max(bounds.maxMessages),
    system: z.union([z.string(), z.array(anthropicBlock)]).optional(),
    max_tokens: intRange(bounds.maxTokens),
    top_k: z.number().int().min(0).nullable().optional(),
    stop_sequences: z.array(z.string()).max(16).optional(),
  });

  const promptValue = z.union([z.string(), z.array(z.string()).min(1).max(bounds.maxMessages)]);
  const genericFields = {
    ...common,
    max_tokens: intRange(bounds.maxTokens),
    n: intRange({ min: 1, max: bounds.maxChoices }),
    stop: STOP,
  };

  return {
    'openai-chat': openaiChat,
    'openai-responses': openaiResponses,
    'anthropic-messages': anthropicMessages,
    'generic-prompt': z.looseObject({ ...genericFields, prompt: promptValue }),
    'generic-input': z.looseObject({ ...genericFields, input: promptValue }),
  };
}
