import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKeyVerifier, FileKeyStore, isLlmGuardError, parseApiKey } from '@llmguard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../testing/run-captured.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmguard-cli-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (...argv: string[]) => runCaptured(argv);

describe('llmguard keys', () => {
  it('creates a key that the guard accepts, prints it once and stores only its hash', async () => {
    const file = join(dir, 'keys.json');
    const created = await cli(
      'keys',
      'create',
      '--file',
      file,
      '--role',
      'operator',
      '--role',
      'user',
      '--tenant',
      'acme',
      '--expires',
      '7d',
      '--name',
      'ci-bot',
    );
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    const parsed = parseApiKey(key);
    expect(parsed).toBeDefined();
    expect(created.stderr).toContain(`Created key ${parsed!.id}`);
    expect(created.stderr).not.toContain(key);

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(key);
    const principal = await createApiKeyVerifier({ store: new FileKeyStore(file) })(key);
    expect(principal).toMatchObject({ id: parsed!.id, roles: ['operator', 'user'], tenant: 'acme' });

    const listed = await cli('keys', 'list', '--file', file);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(parsed!.id);
    expect(listed.stdout).toContain('active');
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain('sha256:');

    expect((await cli('keys', 'revoke', parsed!.id, '--file', file)).code).toBe(0);
    const after = await cli('keys', 'list', '--file', file, '--json');
    const row = JSON.parse(after.stdout.trim()) as { status: string; revokedAt?: string };
    expect(row.status).toBe('revoked');
    expect(row.revokedAt).toBeDefined();
    try {
      await createApiKeyVerifier({ store: new FileKeyStore(file) })(key);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(isLlmGuardError(error) && error.status).toBe(401);
    }
  });

  it('prints JSON on request, defaulting the role to user', async () => {
    const file = join(dir, 'json.json');
    const created = await cli('keys', 'create', '--file', file, '--json');
    const body = JSON.parse(created.stdout) as { key: string; id: string; roles: string[]; status: string };
    expect(body.roles).toEqual(['user']);
    expect(body.status).toBe('active');
    expect(parseApiKey(body.key)?.id).toBe(body.id);
  });

  it('reports usage errors with exit code 2 and unknown ids with exit code 1', async () => {
    const file = join(dir, 'errors.json');
    expect((await cli('keys', 'create')).code).toBe(2);
    expect((await cli('keys', 'create', '--file', file, '--expires', 'soon')).code).toBe(2);
    expect((await cli('keys', 'create', '--file', file, '--expires', '2001-01-01')).code).toBe(2);
    expect((await cli('keys', 'create', '--file', file, '--bogus')).code).toBe(2);
    expect((await cli('keys', 'revoke', '--file', file)).code).toBe(2);
    const unknown = await cli('keys', 'revoke', 'nope', '--file', file);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no key with id');
    expect((await cli('keys', 'list', '--file', join(dir, 'none.json'))).stderr).toContain('No keys.');
    const help = await cli('keys', 'create', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--expires');
  });
});
