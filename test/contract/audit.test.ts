import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReply, type Provider, sseChunks } from '../../examples/gateway/src/mock-llm.js';
import { ADAPTERS, type RunningApp, startApp } from '../helpers/apps.js';

// Sensitive values sent in prompts, headers and answers. Not one may appear in the audit output.
const SECRETS = {
  email: 'jane.doe.audit@example.com',
  email2: 'ops-team@corp-mail.example.org',
  card: '4111 1111 1111 1111',
  cardDigits: '4111111111111111',
  amex: '378282246310005',
  ssn: '123-45-6789',
  awsKeyId: 'AKIAIOSFODNN7EXAMPLE',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhdWRpdC11c2VyLTc3IiwibmFtZSI6IkphbmUgRG9lIn0.c2lnbmF0dXJlLW5vdC1yZWFsLWJ1dC1sb25nLWVub3VnaA',
  apiKey: 'sk-live-4f9d2c7b1a8e6f3d0c5b9a7e2d4f6a8c',
  headerKey: 'llmg_test_9Qz7Xv2Lp4Rt8Wn6Ks3Hd5Fj',
  phone: '+1 415 555 0134',
  iban: 'DE89370400440532013000',
  secretWord: 'aurora-borealis-unique-phrase',
} as const;

const prompt = [
  `My email is ${SECRETS.email}, cc ${SECRETS.email2}.`,
  `Card ${SECRETS.card}, also ${SECRETS.amex}. SSN ${SECRETS.ssn}. Phone ${SECRETS.phone}. IBAN ${SECRETS.iban}.`,
  `aws_access_key_id=${SECRETS.awsKeyId} aws_secret_access_key=${SECRETS.awsSecret}`,
  `token: ${SECRETS.jwt}`,
  `OPENAI_API_KEY=${SECRETS.apiKey}`,
  `The code word is ${SECRETS.secretWord}.`,
].join('\n');

const bodies: Record<Provider, { path: string; body: unknown }> = {
  'openai-chat': {
    path: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] },
  },
  'openai-responses': {
    path: '/v1/responses',
    body: { model: 'gpt-4o-mini', input: prompt, instructions: `Reply to ${SECRETS.email2}` },
  },
  'anthropic-messages': {
    path: '/v1/messages',
    body: {
      model: 'claude-sonnet-4-5',
      max_tokens: 200,
      system: `Operator ${SECRETS.email}`,
      messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
    },
  },
};

const headers = {
  'content-type': 'application/json',
  authorization: `Bearer ${SECRETS.apiKey}`,
  'x-api-key': SECRETS.headerKey,
  cookie: `session=${SECRETS.jwt}`,
};

function collector(): { stream: Writable; text: () => string; count: (type: string) => number } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk, _e, cb) {
        chunks.push(String(chunk));
        cb();
      },
    }),
    text: () => chunks.join(''),
    count: (type) =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.includes(`"type":"${type}"`)).length,
  };
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

const CONFIGS = [
  // Default preset: secrets blocked, PII masked (requests with secrets are refused).
  ['default guards', {}],
  // Guards that would catch the values switched off: the audit alone must still hold.
  ['pii and injection off', { pii: false, injection: false }],
] as const;

const maskable = `Reach me at ${SECRETS.email}, card ${SECRETS.card}, SSN ${SECRETS.ssn}, phone ${SECRETS.phone}.`;

describe.each(ADAPTERS.flatMap((a) => CONFIGS.map(([name, guard]) => [a, name, guard] as const)))(
  '%s, %s: audit output carries no sensitive values',
  (adapter, _name, guardOptions) => {
    let app: RunningApp;
    const sink = collector();

    beforeAll(async () => {
      app = await startApp(adapter, {
        guard: {
          ...guardOptions,
          audit: {
            key: 'contract-audit-key-0123456789abcdef0123456',
            destination: sink.stream,
            prompt: 'hash',
            flushOnExit: false,
          },
        },
        upstream: (call) => {
          const provider: Provider = call.path.endsWith('/messages')
            ? 'anthropic-messages'
            : call.path.endsWith('/responses')
              ? 'openai-responses'
              : 'openai-chat';
          // The answers leak every value too: the audit must not pick them up from the response side.
          const answer = `Sure. ${prompt}`;
          const opts = { model: 'gpt-4o-mini', inputTokens: 120, outputTokens: 80 };
          const body = call.body as { stream?: boolean };
          return body.stream === true
            ? { sse: sseChunks(provider, answer, { ...opts, includeUsage: true }) }
            : { json: jsonReply(provider, answer, opts) };
        },
      });
    });
    afterAll(() => app.close());

    it('audits JSON and streamed requests in all three dialects, plus refusals, without one value', async () => {
      let sent = 0;
      const send = async (path: string, init: RequestInit): Promise<void> => {
        await (await fetch(`${app.url}${path}`, { method: 'POST', ...init })).text();
        sent += 1;
      };
      for (const { path, body } of Object.values(bodies)) {
        for (const stream of [false, true]) {
          await send(path, { headers, body: JSON.stringify({ ...(body as object), stream }) });
        }
      }
      // Only maskable PII: passes the default guards, so the answer path runs too.
      for (const stream of [false, true]) {
        await send('/v1/chat/completions', {
          headers,
          body: JSON.stringify({
            model: 'gpt-4o-mini',
            stream,
            messages: [{ role: 'user', content: maskable }],
          }),
        });
      }
      // Malformed JSON and a wrong media type carrying secrets are refused and audited too.
      await send('/v1/chat/completions', { headers, body: `{"x": "${SECRETS.ssn}` });
      await send('/v1/chat/completions', {
        headers: { ...headers, 'content-type': 'text/plain' },
        body: prompt,
      });
      await waitFor(() => sink.count('request') >= sent);

      const output = sink.text();
      expect(sink.count('request')).toBe(sent);
      for (const [name, value] of Object.entries(SECRETS)) {
        expect(output.includes(value), `${name} leaked into the audit log`).toBe(false);
      }
      // Nor recognisable fragments of them.
      for (const fragment of [
        'jane.doe',
        '1111 1111',
        '45-6789',
        'AKIAIOSFODNN',
        'eyJhbGci',
        'sk-live',
        'aurora-borealis',
      ]) {
        expect(output.includes(fragment), fragment).toBe(false);
      }
      const records = output
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { audit: Record<string, unknown> }).audit);
      const requests = records.filter((r) => r.type === 'request');
      expect(requests.some((r) => r.outcome === 'allowed')).toBe(true);
      expect(requests.every((r) => typeof r.requestId === 'string' && typeof r.status === 'number')).toBe(
        true,
      );
      // The prompt appears only as a keyed hash.
      const prompts = requests.filter((r) => r.prompt !== undefined).map((r) => String(r.prompt));
      expect(prompts.length).toBeGreaterThan(0);
      expect(prompts.every((p) => /^h_[A-Za-z0-9_-]{43}$/.test(p))).toBe(true);
    });

    it('loses no event under a burst of 300 concurrent requests (count in = count out)', async () => {
      const before = sink.count('request');
      const statuses = await Promise.all(
        Array.from({ length: 300 }, async (_, i) => {
          const res = await fetch(`${app.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-request-id': `burst-${adapter}-${i}` },
            body: JSON.stringify({
              model: 'gpt-4o-mini',
              messages: [{ role: 'user', content: `question ${i}` }],
            }),
          });
          await res.text();
          return res.status;
        }),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
      await waitFor(() => sink.count('request') - before >= 300);
      const ids = new Set(
        sink
          .text()
          .split('\n')
          .filter((l) => l.includes(`"requestId":"burst-${adapter}-`) && l.includes('"type":"request"'))
          .map((l) => (JSON.parse(l) as { audit: { requestId: string } }).audit.requestId),
      );
      expect(ids.size).toBe(300);
    });
  },
);
