// HTTP overhead of the guard with validation only: bare Express / Hono / Fastify against the same app
// behind llmGuard() with every other group switched off. Each server runs in its own process; the
// load generator (autocannon) runs here. Variants are interleaved round by round so drift on a shared
// machine hits all of them alike.
// It measures what users run: `pnpm build` runs first (tsdown writes packages/*/dist), then every
// server, bare and guarded alike, starts as `node --import tsx <server file>` without the dev-source
// condition, so its @llmguard/* imports load the built dist/index.js, not the TypeScript sources
// (tsx only transpiles the small server file itself).
//   node --conditions=dev-source --import tsx test/bench/http-overhead.bench.ts
// Environment: BENCH_ROUNDS (default 3), BENCH_SECONDS per run (default 5), BENCH_CONNECTIONS (default 10),
// BENCH_SKIP_BUILD=1 to reuse packages/*/dist from an earlier `pnpm build`.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { median, writeBenchSection } from './report.js';

type Framework = 'express' | 'hono' | 'fastify';
type Variant = 'bare' | 'guarded';

const FRAMEWORKS: readonly Framework[] = ['express', 'hono', 'fastify'];
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
const WARMUP_SECONDS = 2;
const SERVER = fileURLToPath(new URL('./servers/http-overhead-server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMMAND = `${ROUNDS === 3 ? '' : `BENCH_ROUNDS=${ROUNDS} `}node --conditions=dev-source --import tsx test/bench/http-overhead.bench.ts`;

/** A realistic 4 KB Chat Completions body: a system prompt and a few turns. */
function chatBody(targetBytes: number): string {
  const filler = 'The quick brown fox jumps over the lazy dog while the guard reads every byte. ';
  const messages = [
    { role: 'system', content: 'You are a concise assistant for an online bookshop.' },
    { role: 'user', content: 'Which of these titles would you recommend for a long train ride?' },
    { role: 'assistant', content: 'Tell me a little about what you enjoyed reading recently.' },
    { role: 'user', content: '' },
  ];
  const base = JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 256, temperature: 0.7, messages });
  const last = messages[3]!;
  last.content = filler.repeat(Math.ceil(targetBytes / filler.length)).slice(0, targetBytes - base.length);
  return JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 256, temperature: 0.7, messages });
}

const BODY = chatBody(4096);

interface Server {
  readonly framework: Framework;
  readonly variant: Variant;
  readonly url: string;
  readonly child: ChildProcess;
  /** Server process CPU time (µs) and requests handled so far. */
  stats(): Promise<{ readonly cpuMicros: number; readonly requests: number }>;
}

async function startServer(framework: Framework, variant: Variant): Promise<Server> {
  // No dev-source condition: @llmguard/* resolve to the built dist files, as in a user's install.
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, framework, variant], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const replies: ((line: Record<string, number>) => void)[] = [];
  let onPort: ((port: number) => void) | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let message: Record<string, number>;
    try {
      message = JSON.parse(line) as Record<string, number>;
    } catch {
      return; // not one of our protocol lines
    }
    if (typeof message['port'] === 'number') onPort?.(message['port']);
    else if (typeof message['cpuMicros'] === 'number') replies.shift()?.(message);
  });
  const port = await new Promise<number>((resolve, reject) => {
    onPort = resolve;
    child.once('exit', (code) =>
      reject(new Error(`${framework}/${variant} server exited with code ${String(code)} before listening`)),
    );
  });
  return {
    framework,
    variant,
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    child,
    stats: () =>
      new Promise((resolve) => {
        replies.push((message) =>
          resolve({ cpuMicros: message['cpuMicros'] ?? 0, requests: message['requests'] ?? 0 }),
        );
        child.stdin!.write('stats\n');
      }),
  };
}

interface Sample {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Server CPU time per request, in µs: less sensitive than req/s to other load on the machine. */
  readonly cpuPerRequest: number;
}

async function load(server: Server, seconds: number): Promise<Sample> {
  const before = await server.stats();
  const result = await autocannon({
    url: server.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
    connections: CONNECTIONS,
    duration: seconds,
  });
  const after = await server.stats();
  const ok = result['2xx'];
  if (result.non2xx > 0 || result.errors > 0 || ok === 0) {
    throw new Error(
      `${server.framework}/${server.variant}: ${result.non2xx} non-2xx answers and ${result.errors} errors ` +
        `out of ${ok + result.non2xx}: the benchmark would measure refusals, not the guard`,
    );
  }
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerRequest: (after.cpuMicros - before.cpuMicros) / Math.max(1, after.requests - before.requests),
  };
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(0)}`;
}

/** Builds every package so the servers load the dist folders, the code users install. */
function build(): void {
  if (process.env['BENCH_SKIP_BUILD'] === '1') return;
  console.log('pnpm build …');
  const result = spawnSync('pnpm', ['build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`pnpm build failed with status ${String(result.status)}`);
}

async function main(): Promise<void> {
  build();
  console.log(
    `Body ${Buffer.byteLength(BODY)} bytes, ${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s per variant`,
  );
  const servers: Server[] = [];
  try {
    for (const framework of FRAMEWORKS) {
      for (const variant of ['bare', 'guarded'] as const) servers.push(await startServer(framework, variant));
    }
    for (const server of servers) await load(server, WARMUP_SECONDS);

    const samples = new Map<Server, Sample[]>(servers.map((server) => [server, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which variant goes first so neither always runs on a warmer machine.
      for (const framework of FRAMEWORKS) {
        const pair = servers.filter((server) => server.framework === framework);
        if (round % 2 === 1) pair.reverse();
        for (const server of pair) {
          const sample = await load(server, SECONDS);
          samples.get(server)!.push(sample);
          console.log(
            `round ${round + 1} ${framework.padEnd(7)} ${server.variant.padEnd(7)} ` +
              `${sample.rps.toFixed(0).padStart(6)} req/s  p50 ${sample.p50} ms  p99 ${sample.p99} ms  ` +
              `${sample.cpuPerRequest.toFixed(0)} µs CPU/req`,
          );
        }
      }
    }

    const rows = FRAMEWORKS.map((framework) => {
      const stat = (variant: Variant) => {
        const list = samples.get(servers.find((s) => s.framework === framework && s.variant === variant)!)!;
        return {
          rps: median(list.map((s) => s.rps)),
          p50: median(list.map((s) => s.p50)),
          p99: median(list.map((s) => s.p99)),
          cpu: median(list.map((s) => s.cpuPerRequest)),
        };
      };
      const bare = stat('bare');
      const guarded = stat('guarded');
      return { framework, bare, guarded, ratio: guarded.rps / bare.rps };
    });

    const table = [
      '| framework | bare req/s | guarded req/s | ratio | bare p50 / p99 (ms) | guarded p50 / p99 (ms) | server CPU µs/req bare → guarded |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.framework} | ${r.bare.rps.toFixed(0)} | ${r.guarded.rps.toFixed(0)} | ${r.ratio.toFixed(2)} | ` +
          `${r.bare.p50} / ${r.bare.p99} | ${r.guarded.p50} / ${r.guarded.p99} | ` +
          `${r.bare.cpu.toFixed(0)} → ${r.guarded.cpu.toFixed(0)} |`,
      ),
    ].join('\n');
    const markdown = [
      `POST /v1/chat/completions with a ${Buffer.byteLength(BODY)}-byte Chat Completions body; the handler reads`,
      'the parsed body the framework\'s usual way and answers a small JSON. "Guarded" is the same app behind',
      '`llmGuard()` with validation only (every other group switched off with `false`). Servers run in',
      `their own processes, autocannon in another with ${CONNECTIONS} connections; ${ROUNDS} interleaved rounds of`,
      `${SECONDS} s per variant after a ${WARMUP_SECONDS} s warmup, medians reported. Ratio = guarded / bare req/s.`,
      'The packages are built first (`pnpm build`) and every server, bare and guarded alike, starts as',
      '`node --import tsx <server file>` without the `dev-source` condition, so `@llmguard/*` load the',
      'published `dist/` JavaScript, not the TypeScript sources.',
      "Server CPU per request is the server process's CPU time over the requests it handled in the run;",
      'it moves less than req/s when other work shares the machine.',
      '',
      table,
      '',
      `Server CPU the guard adds per request: ${rows
        .map((r) => `${r.framework} ${signed(r.guarded.cpu - r.bare.cpu)} µs`)
        .join(', ')}. The bare handlers do no work`,
      'at all, so the ratio is the guard against an empty route; next to a real model call (hundreds of',
      'milliseconds) the added microseconds are what matters.',
    ].join('\n');
    console.log(`\n${table}`);
    writeBenchSection('http-overhead', 'HTTP overhead (validation only)', COMMAND, markdown);
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
  }
}

await main();
