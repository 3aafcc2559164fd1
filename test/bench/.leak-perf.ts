import { createLlmGuard } from '@llmguard/core';
const filler = 'The quick brown fox jumps over the lazy dog while the guard reads every byte. ';
const BODY = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 256, messages: [{ role: 'user', content: filler.repeat(50) }] }));
const g = createLlmGuard({ injection: false, pii: false, limits: false, audit: false, identity: false } as never);
const headers: Record<string, string> = { 'content-type': 'application/json' };
const header = (n: string) => headers[n];
async function once() {
  const r = await g.handle({ method: 'POST', url: '/v1/chat/completions', header, clientIp: '127.0.0.1', remoteAddress: '127.0.0.1', body: { kind: 'bytes', bytes: BODY } } as never);
  if (!r.ok) throw new Error(r.body);
  r.finish({ status: 200 });
}
for (let round = 0; round < 4; round++) {
  for (let i = 0; i < 20000; i++) await once();
  (globalThis as { gc?: () => void }).gc?.();
  console.log('heap MB', (process.memoryUsage().heapUsed / 1e6).toFixed(1));
}
