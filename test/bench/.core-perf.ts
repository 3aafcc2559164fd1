import { Readable } from 'node:stream';
import { createLlmGuard, nodeBodyStream } from '@llmguard/core';
const filler = 'The quick brown fox jumps over the lazy dog while the guard reads every byte. ';
const messages = [
  { role: 'system', content: 'You are a concise assistant for an online bookshop.' },
  { role: 'user', content: 'Which of these titles would you recommend for a long train ride?' },
  { role: 'assistant', content: 'Tell me a little about what you enjoyed reading recently.' },
  { role: 'user', content: '' },
];
const base = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 256, temperature: 0.7, messages });
messages[3]!.content = filler.repeat(60).slice(0, 4096 - base.length);
const BODY = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 256, temperature: 0.7, messages }));
const g = createLlmGuard({ injection: false, pii: false, limits: false, audit: false, identity: false } as never);
const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(BODY.length) };
const header = (n: string) => headers[n];
async function once(mode: string) {
  const body = mode === 'bytes' ? { kind: 'bytes' as const, bytes: BODY } : { kind: 'stream' as const, stream: nodeBodyStream(Readable.from([BODY], { objectMode: false })) };
  const r = await g.handle({ method: 'POST', url: '/v1/chat/completions', header, clientIp: '127.0.0.1', remoteAddress: '127.0.0.1', body, signal: mode === 'signal' ? new AbortController().signal : undefined } as never);
  if (!r.ok) throw new Error(r.body);
  r.finish({ status: 200 });
}
for (const mode of ['bytes', 'stream', 'bytes', 'stream']) {
  const N = 20000;
  for (let i = 0; i < 2000; i++) await once(mode);
  const t = performance.now();
  for (let i = 0; i < N; i++) await once(mode);
  console.log(mode, ((performance.now() - t) * 1000 / N).toFixed(1), 'µs/req');
}
// baseline: decode + parse only
const dec = new TextDecoder();
let t = performance.now();
for (let i = 0; i < 20000; i++) JSON.parse(dec.decode(BODY));
console.log('decode+parse', ((performance.now() - t) * 1000 / 20000).toFixed(1));
