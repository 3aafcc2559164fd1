import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLlmGuardError, LlmGuardError } from '../errors/llm-guard-error.js';
import type { GuardPipeline, GuardResult } from '../pipeline/pipeline.js';
import type { GuardRequest } from '../pipeline/request.js';
import { createLlmGuard } from '../preset.js';
import { parseJsonBody } from './parse-json.js';
import { readBody } from './read-body.js';

// Acceptance: whatever arrives — random bytes, random JSON, deep nesting, any chunking — the
// pipeline answers with a pass or a 4xx problem; never a 500, never a thrown non-LlmGuardError.

const encoder = new TextEncoder();
const limits = { maxBytes: 64 * 1024, maxDepth: 64, maxKeys: 10_000 };

/** Splits bytes at the given cut points (fast-check picks them). */
function chunk(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.byteLength + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let previous = 0;
  for (const point of [...points, bytes.byteLength]) {
    if (point > previous) out.push(bytes.subarray(previous, point));
    previous = point;
  }
  return out;
}

async function* streamOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

interface Framing {
  readonly contentType: string | undefined;
  readonly lengthMode: 'honest' | 'short' | 'long' | 'none' | 'garbage';
  readonly method: string;
}

const framing: fc.Arbitrary<Framing> = fc.record({
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    undefined,
  ),
  lengthMode: fc.constantFrom('honest', 'honest', 'honest', 'short', 'long', 'none', 'garbage'),
  method: fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'GET'),
});

function requestOf(bytes: Uint8Array, cuts: readonly number[], frame: Framing, ip: string): GuardRequest {
  const headers: Record<string, string> = {};
  if (frame.contentType !== undefined) headers['content-type'] = frame.contentType;
  const n = bytes.byteLength;
  if (frame.lengthMode === 'honest') headers['content-length'] = String(n);
  if (frame.lengthMode === 'short') headers['content-length'] = String(Math.max(0, n - 1));
  if (frame.lengthMode === 'long') headers['content-length'] = String(n + 7);
  if (frame.lengthMode === 'garbage') headers['content-length'] = '12abc';
  if (frame.lengthMode === 'none') headers['transfer-encoding'] = 'chunked';
  return {
    method: frame.method,
    url: '/v1/chat/completions',
    header: (name) => headers[name],
    clientIp: ip,
    remoteAddress: ip,
    body: { kind: 'stream', stream: streamOf(chunk(bytes, cuts)) },
  };
}

/** Runs one request and checks the acceptance invariant; returns the result for further checks. */
async function handleSafely(pipeline: GuardPipeline, request: GuardRequest): Promise<GuardResult> {
  let result: GuardResult;
  try {
    result = await pipeline.handle(request);
  } catch (error) {
    throw new Error(`handle() threw ${isLlmGuardError(error) ? 'an LlmGuardError' : String(error)}`);
  }
  if (result.ok) {
    result.finish({ status: 200 });
  } else {
    expect(result.error).toBeInstanceOf(LlmGuardError);
    expect(result.status, result.body).toBeGreaterThanOrEqual(400);
    expect(result.status, result.body).toBeLessThan(500);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(() => JSON.parse(result.body) as unknown).not.toThrow();
  }
  return result;
}

const ipOf = fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `198.51.${a}.${b}`);
const cutsOf = fc.array(fc.nat(100_000), { maxLength: 12 });

// A JSON value shaped like one of the dialects, with random values in every slot.
const anyValue = fc.jsonValue({ maxDepth: 3 });
const textOrParts = fc.oneof(
  fc.string(),
  fc.array(fc.oneof(fc.record({ type: fc.constant('text'), text: fc.string() }), anyValue), { maxLength: 4 }),
  anyValue,
);
const llmShaped = fc.oneof(
  fc.record(
    {
      model: fc.oneof(fc.constantFrom('gpt-4o', 'claude-sonnet-4-5'), fc.string(), anyValue),
      messages: fc.array(
        fc.record(
          {
            role: fc.oneof(fc.constantFrom('system', 'user', 'assistant', 'tool', 'developer'), fc.string()),
            content: textOrParts,
          },
          { requiredKeys: [] },
        ),
        { maxLength: 5 },
      ),
      max_tokens: fc.oneof(fc.integer(), fc.double(), anyValue),
      temperature: fc.oneof(fc.double({ noNaN: true }), anyValue),
      n: fc.oneof(fc.integer({ min: -2, max: 10 }), anyValue),
      system: textOrParts,
    },
    { requiredKeys: ['messages'] },
  ),
  fc.record(
    {
      model: fc.string(),
      instructions: fc.oneof(fc.string(), anyValue),
      input: fc.oneof(
        fc.string(),
        fc.array(fc.oneof(fc.string(), fc.record({ role: fc.string(), content: textOrParts }))),
      ),
      max_output_tokens: fc.oneof(fc.integer(), anyValue),
    },
    { requiredKeys: ['input'] },
  ),
  fc.record({ prompt: fc.oneof(fc.string(), fc.array(fc.string()), anyValue) }),
);

describe('property: the whole pipeline never fails with a 500', () => {
  const pipeline = createLlmGuard({ body: limits });

  it('random bytes, random framing and chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2048 }),
        cutsOf,
        framing,
        ipOf,
        async (bytes, cuts, frame, ip) => {
          await handleSafely(pipeline, requestOf(bytes, cuts, frame, ip));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), cutsOf, ipOf, async (value, cuts, ip) => {
        const bytes = encoder.encode(JSON.stringify(value));
        const frame: Framing = { contentType: 'application/json', lengthMode: 'honest', method: 'POST' };
        await handleSafely(pipeline, requestOf(bytes, cuts, frame, ip));
      }),
      { numRuns: 300 },
    );
  });

  it('random LLM-shaped bodies with wrong values in every slot', async () => {
    await fc.assert(
      fc.asyncProperty(llmShaped, cutsOf, ipOf, async (value, cuts, ip) => {
        const bytes = encoder.encode(JSON.stringify(value));
        const frame: Framing = { contentType: 'application/json', lengthMode: 'none', method: 'POST' };
        await handleSafely(pipeline, requestOf(bytes, cuts, frame, ip));
      }),
      { numRuns: 300 },
    );
  });

  it('the same random values when a framework already parsed them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(llmShaped, fc.jsonValue({ maxDepth: 5 })), ipOf, async (value, ip) => {
        await handleSafely(pipeline, {
          method: 'POST',
          url: '/v1/messages',
          header: (name) => (name === 'content-type' ? 'application/json' : undefined),
          clientIp: ip,
          remoteAddress: ip,
          body: { kind: 'parsed', value },
        });
      }),
      { numRuns: 200 },
    );
  });

  it('deep nesting of arrays and objects, far past the cap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom('array', 'object', 'messages'),
        cutsOf,
        ipOf,
        async (depth, kind, cuts, ip) => {
          let text =
            kind === 'array'
              ? '['.repeat(depth) + ']'.repeat(depth)
              : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
          if (kind === 'messages') text = `{"model":"m","messages":[{"role":"user","content":${text}}]}`;
          const bytes = encoder.encode(text);
          const frame: Framing = { contentType: 'application/json', lengthMode: 'honest', method: 'POST' };
          const result = await handleSafely(pipeline, requestOf(bytes, cuts, frame, ip));
          if (depth > 70)
            expect(result.ok ? undefined : result.error.code).toBe('ERR_LLMGUARD_BODY_TOO_COMPLEX');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('any chunking of a valid request gives the same result as one chunk', async () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: [{ type: 'text', text: 'Quel temps fait-il à Zürich ? ☀️' }] },
      ],
      temperature: 0.2,
    };
    const bytes = encoder.encode(JSON.stringify(body));
    await fc.assert(
      fc.asyncProperty(cutsOf, ipOf, async (cuts, ip) => {
        const frame: Framing = { contentType: 'application/json', lengthMode: 'honest', method: 'POST' };
        const result = await handleSafely(pipeline, requestOf(bytes, cuts, frame, ip));
        expect(result.ok).toBe(true);
        expect(result.ok && result.body).toEqual(body);
      }),
      { numRuns: 150 },
    );
  });
});

describe('property: body reader and JSON parser', () => {
  it('returns exactly the bytes sent under the cap, refuses over it, and pulls at most one chunk past it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 3000 }),
        async (chunks, maxBytes) => {
          let pulled = 0;
          async function* source(): AsyncGenerator<Uint8Array> {
            for (const c of chunks) {
              pulled += c.byteLength;
              yield c;
            }
          }
          const total = chunks.reduce((sum, c) => sum + c.byteLength, 0);
          try {
            const bytes = await readBody(source(), { maxBytes });
            expect(total).toBeLessThanOrEqual(maxBytes);
            expect(Buffer.from(bytes).equals(Buffer.concat(chunks))).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(LlmGuardError);
            expect((error as LlmGuardError).status).toBe(413);
            expect(total).toBeGreaterThan(maxBytes);
            expect(pulled).toBeLessThanOrEqual(maxBytes + 300);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random bytes either parse to what JSON.parse gives or are refused with a 400 LlmGuardError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 512 }),
          fc.string().map((s) => encoder.encode(s)),
        ),
        (bytes) => {
          try {
            const value = parseJsonBody(bytes, limits);
            expect(value).toEqual(JSON.parse(new TextDecoder().decode(bytes)));
          } catch (error) {
            expect(error).toBeInstanceOf(LlmGuardError);
            expect((error as LlmGuardError).status).toBe(400);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('serialized random JSON always parses back to an equal value (within the caps)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (value) => {
        const text = JSON.stringify(value);
        if (text.includes('"__proto__"')) return;
        expect(parseJsonBody(encoder.encode(text), limits)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });
});
