import { describe, expect, it } from 'vitest';
import type { GuardPass } from '../pipeline/pipeline.js';
import { createGuardPipeline } from '../pipeline/pipeline.js';
import type { GuardRequest } from '../pipeline/request.js';
import { createPiiGuard } from './pii-guard.js';

function request(body: unknown): GuardRequest {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(bytes.byteLength),
  };
  return {
    method: 'POST',
    url: '/v1/chat/completions',
    header: (n: string) => headers[n],
    clientIp: '127.0.0.1',
    remoteAddress: '127.0.0.1',
    body: { kind: 'bytes' as const, bytes },
  };
}

describe('createPiiGuard', () => {
  it('pseudonymizes the prompt and restores the values in a streamed answer', async () => {
    const pipeline = createGuardPipeline({ guards: [createPiiGuard({ pii: 'pseudonymize' })] });
    const result = (await pipeline.handle(
      request({
        model: 'm',
        messages: [{ role: 'user', content: 'write to jane@example.com and bob@example.org' }],
      }),
    )) as GuardPass;
    expect(result.ok).toBe(true);
    const sent = JSON.stringify(result.body);
    expect(sent).toContain('write to [EMAIL_1] and [EMAIL_2]');
    const t = result.startResponse({
      status: 200,
      header: (n) => (n === 'content-type' ? 'text/event-stream' : undefined),
    })!;
    const sse = ['Sure, [EMA', 'IL_2] and [EMAIL_1', '] are done'].map(
      (c) =>
        `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: c }, finish_reason: null }] })}\n\n`,
    );
    let out = '';
    for (const e of sse) out += new TextDecoder().decode(t.write(new TextEncoder().encode(e)));
    out += new TextDecoder().decode(t.end());
    const text = out
      .split('\n\n')
      .filter((b) => b.startsWith('data: '))
      .map((b) => JSON.parse(b.slice(6)).choices[0].delta.content ?? '')
      .join('');
    expect(text).toBe('Sure, bob@example.org and jane@example.com are done');
  });

  it('refuses a secret with the type and never the value', async () => {
    const pipeline = createGuardPipeline({ guards: [createPiiGuard()] });
    const result = await pipeline.handle(
      request({
        model: 'm',
        messages: [{ role: 'user', content: 'token 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' }],
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(403);
    expect(result.body).toContain('GITHUB_TOKEN');
    expect(result.body).not.toContain('ghp_');
  });

  it('hashes stably and needs a key', async () => {
    expect(() => createPiiGuard({ actions: { EMAIL: 'hash' } })).toThrow(/hashKey/);
    const key = 'k'.repeat(32);
    const hashed = async (hashKey: string): Promise<string> => {
      const pipeline = createGuardPipeline({
        guards: [createPiiGuard({ actions: { EMAIL: 'hash' }, hashKey })],
      });
      const result = (await pipeline.handle(
        request({ model: 'm', messages: [{ role: 'user', content: 'to jane@example.com' }] }),
      )) as GuardPass;
      return JSON.stringify(result.body);
    };
    const first = await hashed(key);
    expect(first).toMatch(/to \[EMAIL:[0-9a-f]{16}\]/);
    expect(first).not.toContain('jane');
    expect(await hashed(key)).toBe(first);
    expect(await hashed('z'.repeat(32))).not.toBe(first);
  });

  it('keeps each request’s pseudonyms to itself under concurrency', async () => {
    const pipeline = createGuardPipeline({ guards: [createPiiGuard({ pii: 'pseudonymize' })] });
    const emails = Array.from({ length: 20 }, (_, i) => `user${i}@example.com`);
    const answers = await Promise.all(
      emails.map(async (email) => {
        const result = (await pipeline.handle(
          request({ model: 'm', messages: [{ role: 'user', content: `mail ${email}` }] }),
        )) as GuardPass;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        const t = result.startResponse({
          status: 200,
          header: (n) => (n === 'content-type' ? 'application/json' : undefined),
        })!;
        t.write(
          new TextEncoder().encode(
            JSON.stringify({ content: [{ type: 'text', text: 'sent to [EMAIL_1]' }] }),
          ),
        );
        return JSON.parse(new TextDecoder().decode(t.end())).content[0].text as string;
      }),
    );
    expect(answers).toEqual(emails.map((email) => `sent to ${email}`));
  });

  it('replaces a compressed answer with a problem body (fail closed)', async () => {
    const pipeline = createGuardPipeline({ guards: [createPiiGuard()] });
    const result = (await pipeline.handle(
      request({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    )) as GuardPass;
    const t = result.startResponse({
      status: 200,
      header: (n) => ({ 'content-type': 'application/json', 'content-encoding': 'gzip' })[n],
    })!;
    t.write(new Uint8Array([1, 2, 3]));
    const body = JSON.parse(new TextDecoder().decode(t.end()));
    expect(body.code).toBe('ERR_LLMGUARD_RESPONSE_UNPARSEABLE');
  });
});

describe('custom detectors with anchors', () => {
  it('mask the same values as without anchors, in prose and in text dense with them', async () => {
    const detector = { type: 'EMPLOYEE_ID', pattern: 'EMP#[0-9]{6}', action: 'mask' as const };
    const prose = 'Ask EMP#123456 about it, then EMP#654321. EMP# alone is not one, nor EMP#12.';
    const dense = `${'id EMP#111111;'.repeat(12)} and x${'y'.repeat(1500)}EMP#222222`;
    for (const content of [prose, dense]) {
      const sent: string[] = [];
      for (const anchors of [undefined, ['#']]) {
        const guard = createPiiGuard({ detectors: [{ ...detector, ...(anchors ? { anchors } : {}) }] });
        const result = (await createGuardPipeline({ guards: [guard] }).handle(
          request({ model: 'm', messages: [{ role: 'user', content }] }),
        )) as GuardPass;
        sent.push((result.body as { messages: { content: string }[] }).messages[0]!.content);
      }
      expect(sent[1]).toBe(sent[0]);
      expect(sent[1]).not.toMatch(/EMP#\d{6}/);
    }
  });

  it('refuses anchors that are empty', () => {
    expect(() => createPiiGuard({ detectors: [{ type: 'X_ID', pattern: 'x', anchors: [''] }] })).toThrow(
      /anchors/,
    );
  });
});
