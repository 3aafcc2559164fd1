import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../../packages/cli/src/testing/run-captured.js';

// Acceptance B of the identity layer: an API key's plaintext never appears in logs (the audit
// trail and anything else the server prints), in error bodies, in CLI output other than the one
// `keys create`, or in the key file. The server runs in a child process so every byte it writes to
// stdout and stderr (pino writes straight to the file descriptor) is captured.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
let file: string;
let child: ChildProcess;
let output = '';
let urls: string[] = [];
const cliOutput: string[] = [];

const cli = (...argv: string[]) => runCaptured(argv);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmguard-secrets-'));
  file = join(dir, 'keys.json');
  child = spawn(
    process.execPath,
    ['--conditions=dev-source', '--import', 'tsx', 'test/security/fixtures/identity-app.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, LLMGUARD_KEY_FILE: file, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const deadline = Date.now() + 25_000;
  while (!output.includes('READY ') && Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const line = output.split('\n').find((l) => l.startsWith('READY '));
  if (line === undefined) throw new Error(`server did not start: ${output}`);
  urls = JSON.parse(line.slice('READY '.length)) as string[];
});

async function stopServer(): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

afterAll(async () => {
  await stopServer();
  await rm(dir, { recursive: true, force: true });
});

describe('API key plaintext never leaks', () => {
  it('is absent from server logs, error bodies, CLI output and the key file', async () => {
    const created = await cli('keys', 'create', '--file', file, '--role', 'user', '--tenant', 'acme');
    const viewer = await cli('keys', 'create', '--file', file, '--role', 'viewer');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    const viewerKey = viewer.stdout.trim();
    const id = key.split('_')[1]!;
    cliOutput.push(created.stderr, viewer.stderr);

    const bodies: string[] = [];
    const typo = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    const call = async (url: string, path: string, headers: Record<string, string>, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      bodies.push(text, JSON.stringify([...response.headers]));
      return response.status;
    };
    const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] };
    const statuses: number[] = [];
    for (const url of urls) {
      statuses.push(await call(url, '/v1/chat/completions', { 'x-api-key': key }, chat));
      statuses.push(await call(url, '/v1/chat/completions', { authorization: `Bearer ${key}` }, chat));
      statuses.push(await call(url, '/v1/chat/completions', { 'x-api-key': typo }, chat));
      statuses.push(await call(url, '/v1/chat/completions', { authorization: `Bearer ${typo}` }, chat));
      statuses.push(
        await call(url, '/v1/chat/completions', { authorization: `Basic ${btoa(`x:${key}`)}` }, chat),
      );
      statuses.push(await call(url, '/v1/chat/completions', { 'x-api-key': viewerKey }, chat));
      statuses.push(await call(url, '/v1/models', { 'x-api-key': typo }));
      statuses.push(await call(url, '/v1/chat/completions', { 'x-api-key': key }, { model: 1 }));
      // Keys are never read from the query string (URLs end up in logs); the request has no credential.
      statuses.push(await call(url, `/v1/chat/completions?api_key=${key}`, {}, chat));
    }
    const perAdapter = [200, 200, 401, 401, 401, 403, 401, 400, 401];
    expect(statuses).toEqual(urls.flatMap(() => perAdapter));

    const listed = await cli('keys', 'list', '--file', file);
    const listedJson = await cli('keys', 'list', '--file', file, '--json');
    const revoked = await cli('keys', 'revoke', id, '--file', file);
    cliOutput.push(listed.stdout, listed.stderr, listedJson.stdout, revoked.stdout, revoked.stderr);
    for (const url of urls)
      statuses.push(await call(url, '/v1/chat/completions', { 'x-api-key': key }, chat));
    expect(statuses.slice(-urls.length)).toEqual(urls.map(() => 401));

    // Stop the server so the audit logger flushes everything it buffered before the output is read.
    await stopServer();
    const keyFile = await readFile(file, 'utf8');
    const secret = key.slice(key.lastIndexOf('_') + 1, -6);
    const haystacks: [string, string][] = [
      ['server output', output],
      ['error bodies and headers', bodies.join('\n')],
      ['CLI output after create', cliOutput.join('\n')],
      ['key file', keyFile],
    ];
    // The audit trail did record the refusals: the grep below looks at real log lines about these keys.
    expect(output).toContain('llmguard audit');
    expect(output).toContain('ERR_LLMGUARD_INVALID_CREDENTIALS');
    expect(output).toContain('ERR_LLMGUARD_FORBIDDEN');
    expect(keyFile).toContain(id);
    for (const [where, text] of haystacks) {
      for (const needle of [key, typo, secret, viewerKey, btoa(`x:${key}`)]) {
        expect(text.includes(needle), `${where} contains a key`).toBe(false);
      }
    }
  });
});
