import type { GuardPipeline, LlmGuardOptions } from '@llmguard/core';
import { type LlmGuardEnv, llmGuard } from '@llmguard/hono';
import { Hono } from 'hono';
import { type MockAnswerOptions, mockAnswer } from './mock-answer.js';
import type { Provider } from './mock-llm.js';
import { forwardToUpstream, type GatewayUpstreams, targetFor } from './upstreams.js';

/** Options of {@link createGatewayApp}. */
export interface GatewayOptions {
  /**
   * Passed to `llmGuard()` for every `/v1/*` route: preset options, or a pipeline built with
   * `createLlmGuard()`. Default `{}`: the preset's safe defaults.
   */
  readonly guard?: LlmGuardOptions | GuardPipeline;
  /** Real providers to forward to (see `upstreamsFromEnv`). Default: none, the mock answers everything. */
  readonly upstreams?: GatewayUpstreams;
  /** Tuning of the embedded mock model. */
  readonly mock?: MockAnswerOptions;
}

/** The provider endpoints the gateway serves, each in its provider's own dialect. */
export const GATEWAY_ROUTES: ReadonlyArray<{ readonly path: string; readonly provider: Provider }> = [
  { path: '/v1/chat/completions', provider: 'openai-chat' },
  { path: '/v1/responses', provider: 'openai-responses' },
  { path: '/v1/messages', provider: 'anthropic-messages' },
];

/**
 * An OpenAI- and Anthropic-compatible gateway: every `/v1/*` request passes `llmGuard()` first, then
 * is answered by the embedded mock model or forwarded to the configured upstream. `GET /health`
 * stays outside the guard.
 *
 * @example
 * import { serve } from '@hono/node-server';
 * const app = createGatewayApp({ guard: { validation: { maxMessages: 50 } } });
 * serve({ fetch: app.fetch, port: 8787, hostname: '127.0.0.1' });
 */
export function createGatewayApp(options: GatewayOptions = {}): Hono<LlmGuardEnv> {
  const upstreams = options.upstreams ?? {};
  const app = new Hono<LlmGuardEnv>();

  app.get('/health', (c) => c.text('ok'));
  app.use('/v1/*', llmGuard(options.guard ?? {}));

  for (const { path, provider } of GATEWAY_ROUTES) {
    app.post(path, async (c) => {
      // The sanitized body, read the usual Hono way: redaction has already been written into it.
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json(
          { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'The body must be JSON.' },
          400,
          { 'content-type': 'application/problem+json' },
        );
      }
      const target = targetFor(upstreams, provider);
      if (target === undefined) return mockAnswer(provider, body, options.mock);
      return forwardToUpstream(provider, target, body, (name) => c.req.header(name), c.req.raw.signal);
    });
  }

  app.notFound((c) =>
    c.json({ type: 'about:blank', title: 'Not Found', status: 404 }, 404, {
      'content-type': 'application/problem+json',
    }),
  );
  return app;
}
