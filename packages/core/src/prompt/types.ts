/** Who wrote a piece of text the model will read. `tool` and `document` are untrusted third-party content. */
export type PromptRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'document';

/** Request dialects the prompt view understands out of the box. */
export type PromptFormat = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'generic' | 'custom';

/** Location of a string inside the parsed body, as property names and array indexes. */
export type BodyPath = readonly (string | number)[];

/** One text span the model will read. */
export interface PromptSegment {
  readonly role: PromptRole;
  readonly text: string;
  /** Where the text lives in the body; redaction writes back here. */
  readonly path: BodyPath;
  /** Index of the message / input item / turn the segment belongs to. */
  readonly turn: number;
}

/** Read view over the text segments of an LLM request, with write-back into the body. */
export interface PromptView {
  readonly format: PromptFormat;
  readonly segments: readonly PromptSegment[];
  readonly model: string | undefined;
  readonly stream: boolean;
  /** `max_tokens` / `max_output_tokens` / `max_completion_tokens`, when present. */
  readonly maxTokens: number | undefined;
  /** Replaces segment `index`'s text in the body and in this view. */
  replaceText(index: number, text: string): void;
  /**
   * Writes a non-text value into the body (e.g. a clamped `max_tokens`) and marks it modified.
   * Missing intermediate objects are not created: the parent at `path` must exist.
   */
  setValue(path: BodyPath, value: unknown): void;
  /** Whether any `replaceText` changed the body. */
  readonly modified: boolean;
}

/** What a custom extractor returns: the segments it found, or `undefined` if the body is not its dialect. */
export interface ExtractedPrompt {
  readonly format?: PromptFormat;
  readonly segments: readonly Omit<PromptSegment, 'turn'>[] | readonly PromptSegment[];
  readonly model?: string;
  readonly stream?: boolean;
  readonly maxTokens?: number;
}

/** A custom prompt extractor, tried before the built-in dialects. */
export type PromptExtractor = (body: unknown) => ExtractedPrompt | undefined;
