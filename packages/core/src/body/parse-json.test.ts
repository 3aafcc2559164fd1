import { describe, expect, it } from 'vitest';
import { LlmGuardError } from '../errors/llm-guard-error.js';
import { inspectParsedBody, parseJsonBody } from './parse-json.js';

const limits = { maxBytes: 1 << 20, maxDepth: 8, maxKeys: 50 };
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function refused(run: () => unknown): LlmGuardError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LlmGuardError);
    return error as LlmGuardError;
  }
  throw new Error('expected a refusal');
}

describe('parseJsonBody', () => {
  it('parses a JSON object', () => {
    expect(parseJsonBody(bytes('{"model":"m","n":[1,2]}'), limits)).toEqual({ model: 'm', n: [1, 2] });
  });

  it('refuses invalid UTF-8 with 400 invalid-utf8', () => {
    const error = refused(() => parseJsonBody(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), limits));
    expect(error.code).toBe('ERR_LLMGUARD_INVALID_UTF8');
    expect(error.status).toBe(400);
  });

  it('refuses an overlong UTF-8 encoding and lone surrogates', () => {
    expect(refused(() => parseJsonBody(new Uint8Array([0x22, 0xc0, 0xaf, 0x22]), limits)).code).toBe(
      'ERR_LLMGUARD_INVALID_UTF8',
    );
    expect(refused(() => parseJsonBody(new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]), limits)).code).toBe(
      'ERR_LLMGUARD_INVALID_UTF8',
    );
  });

  it.each(['{', '{"a":}', "{'a':1}", '{"a":1,}', 'NaN', '{"a":1}{"b":2}', '\u0000'])(
    'refuses the malformed JSON %j without quoting it',
    (text) => {
      const error = refused(() => parseJsonBody(bytes(text), limits));
      expect(error.code).toBe('ERR_LLMGUARD_INVALID_JSON');
      expect(error.status).toBe(400);
      expect(JSON.stringify(error.problem())).not.toContain('Unexpected');
    },
  );

  it('refuses nesting deeper than maxDepth and accepts exactly maxDepth', () => {
    const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
    expect(() => parseJsonBody(bytes(nested(8)), limits)).not.toThrow();
    const error = refused(() => parseJsonBody(bytes(nested(9)), limits));
    expect(error.code).toBe('ERR_LLMGUARD_BODY_TOO_COMPLEX');
  });

  it('survives 500,000 levels of nesting without a stack overflow', () => {
    const deep = '['.repeat(500_000) + ']'.repeat(500_000);
    expect(refused(() => parseJsonBody(bytes(deep), { ...limits, maxDepth: 64 })).code).toBe(
      'ERR_LLMGUARD_BODY_TOO_COMPLEX',
    );
  });

  it('counts keys and array items against maxKeys', () => {
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])));
    expect(refused(() => parseJsonBody(bytes(wide), limits)).code).toBe('ERR_LLMGUARD_BODY_TOO_COMPLEX');
    expect(refused(() => parseJsonBody(bytes(JSON.stringify(new Array(51).fill(0))), limits)).code).toBe(
      'ERR_LLMGUARD_BODY_TOO_COMPLEX',
    );
    expect(() => parseJsonBody(bytes(JSON.stringify(new Array(50).fill(0))), limits)).not.toThrow();
  });

  it('refuses __proto__ at any depth and leaves Object.prototype untouched', () => {
    for (const [text, path] of [
      ['{"__proto__":{"polluted":true}}', ''],
      ['{"messages":[{"role":"user","content":"x","__proto__":{"polluted":true}}]}', ''],
    ] as const) {
      const error = refused(() => parseJsonBody(bytes(text), limits));
      expect(error.code).toBe('ERR_LLMGUARD_INVALID_REQUEST');
      expect(error.errors?.[0]).toMatchObject({ path, code: 'forbidden_key' });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses constructor.prototype but accepts an ordinary "constructor" field', () => {
    const error = refused(() =>
      parseJsonBody(bytes('{"a/b":{"constructor":{"prototype":{"x":1}}}}'), limits),
    );
    expect(error.errors?.[0]).toMatchObject({ path: '', code: 'forbidden_key' });
    expect(parseJsonBody(bytes('{"constructor":"Ada"}'), limits)).toEqual({ constructor: 'Ada' });
  });

  it('inspects bodies a framework already parsed with the same caps', () => {
    const parsed = JSON.parse('{"x":{"__proto__":1}}') as unknown;
    expect(refused(() => inspectParsedBody(parsed, limits)).code).toBe('ERR_LLMGUARD_INVALID_REQUEST');
    expect(() => inspectParsedBody('plain string', limits)).not.toThrow();
  });
});
