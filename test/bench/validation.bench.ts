// Validation benchmark: in-process cost per request of the core pipeline (body parse, prompt view)
// alone, with the request validator, and with the validator's text cleaning on, for a 4 KB Chat
// Completions body and a 64 KB Anthropic body, measured side by side in interleaved rounds.
// Run: node --conditions=dev-source --import tsx test/bench/validation.bench.ts
import { createGuardPipeline, createRequestValidator, type Guard, type GuardRequest } from '@llmguard/core';
import { median, writeBenchSection } from './report.js';

const COMMAND = 'node --conditions=dev-source --import tsx test/bench/validation.bench.ts';
const ROUNDS = 7;
const OPS = 4000;

function chatBody(targetBytes: number): Uint8Array {
  const messages: { role: string; content: string }[] = [];
  const sentence = 'The quick brown fox jumps over the lazy dog, then asks about the weather in Zürich. ';
  let size = 0;
  for (let i = 0; size < targetBytes - 200; i++) {
    const content = sentence.repeat(4);
    messages.push({ role: i % 2 === 0 ? 'user' : 'assistant', content });
    size += content.length + 40;
  }
  return new TextEncoder().encode(JSON.stringify({ model: 'gpt-4o-mini', messages, temperature: 0.3 }));
}

function anthropicBody(targetBytes: number): Uint8Array {
  const text = 'Quarterly report: revenue grew, costs fell, and the outlook is steady. ';
  const blocks: unknown[] = [];
  let size = 0;
  while (size < targetBytes - 300) {
    blocks.push({
      type: 'tool_result',
      tool_use_id: `t${blocks.length}`,
      content: [{ type: 'text', text: text.repeat(8) }],
    });
    size += text.length * 8 + 80;
  }
  return new TextEncoder().encode(
    JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'Summarise the tool results.' }],
      messages: [{ role: 'user', content: blocks }],
    }),
  );
}

function request(bytes: Uint8Array): GuardRequest {
  return {
    method: 'POST',
    url: '/v1/chat/completions',
    header: (name) => (name === 'content-type' ? 'application/json' : undefined),
    clientIp: '127.0.0.1',
    remoteAddress: '127.0.0.1',
    body: { kind: 'bytes', bytes },
  };
}

const variants: Record<string, readonly Guard[]> = {
  'pipeline only (parse + prompt view)': [],
  'validator (defaults)': [createRequestValidator()],
  'validator + stripControlChars + NFKC': [
    createRequestValidator({ stripControlChars: true, normalize: 'NFKC' }),
  ],
};

async function measure(bytes: Uint8Array): Promise<Map<string, number>> {
  const pipelines = Object.entries(variants).map(
    ([name, guards]) => [name, createGuardPipeline({ guards })] as const,
  );
  const samples = new Map<string, number[]>(pipelines.map(([name]) => [name, []]));
  for (const [, pipeline] of pipelines) {
    for (let i = 0; i < 500; i++) {
      const result = await pipeline.handle(request(bytes));
      if (!result.ok) throw new Error(`benchmark body refused: ${result.body}`);
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, pipeline] of pipelines) {
      const started = process.cpuUsage();
      for (let i = 0; i < OPS; i++) await pipeline.handle(request(bytes));
      const used = process.cpuUsage(started);
      samples.get(name)!.push((used.user + used.system) / OPS);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

const bodies = [
  ['Chat Completions, 4 KB', chatBody(4096)],
  ['Anthropic tool results, 64 KB', anthropicBody(64 * 1024)],
] as const;

const rows: string[] = [];
for (const [label, bytes] of bodies) {
  const results = await measure(bytes);
  const base = results.get('pipeline only (parse + prompt view)')!;
  for (const [name, micros] of results) {
    rows.push(
      `| ${label} (${bytes.byteLength} B) | ${name} | ${micros.toFixed(1)} | ${(micros / base).toFixed(2)} |`,
    );
  }
}

const markdown = `
In-process, no HTTP: \`pipeline.handle()\` on a body the framework already read as bytes. CPU
microseconds per request (user + system), median of ${ROUNDS} interleaved rounds of ${OPS} requests
per variant after a warmup. "×" is relative to the pipeline alone, which parses the JSON, enforces
the body caps and builds the prompt view; the HTTP overhead section measures the whole middleware.

| body | variant | CPU µs/req | × |
|---|---|---:|---:|
${rows.join('\n')}
`;

console.log(markdown);
writeBenchSection('validation', 'Request validation (in-process)', COMMAND, markdown);
