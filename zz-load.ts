import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
const filler = 'The quick brown fox jumps over the lazy dog while the guard reads every byte. ';
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'x' }, { role: 'user', content: filler.repeat(50) }] });
for (const round of [1, 2]) for (const fw of ['express', 'hono', 'fastify']) for (const v of ['bare', 'guarded']) {
  const child = spawn('node', ['--conditions=dev-source', '--import', 'tsx', 'zz-srv.ts', fw, v], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((r) => child.stdout.once('data', (d) => r(Number(String(d).trim()))));
  await autocannon({ url: `http://127.0.0.1:${port}/v1/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 10, duration: 1 });
  child.stdin.write('x\n'); await new Promise((r) => child.stdout.once('data', r));
  const res = await autocannon({ url: `http://127.0.0.1:${port}/v1/chat/completions`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 10, duration: 3 });
  child.stdin.write('x\n'); const cpu = await new Promise<number>((r) => child.stdout.once('data', (d) => r(Number(String(d).trim()))));
  console.log(round, fw, v, Math.round(res.requests.average), 'req/s', 'non2xx', res.non2xx, Math.round(cpu / res.requests.total), 'µs CPU/req');
  child.kill();
}
