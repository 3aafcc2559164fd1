import type { Provider } from './mock-llm.js';

/** Where to forward one provider's calls. */
export interface UpstreamTarget {
  /**
   * Base URL. OpenAI style includes the version (`https://api.openai.com/v1`); Anthropic style does
   * not (`https://api.anthropic.com`), exactly as the official SDKs read `*_BASE_URL`.
   */
  readonly baseUrl: string;
  readonly apiKey: string;
}

/** Real upstreams the gateway forwards to; a provider left out is answered by the mock LLM. */
export interface GatewayUpstreams {
  /** Serves `/v1/chat/completions` and `/v1/responses`. */
  readonly openai?: UpstreamTarget;
  /** Serves `/v1/messages`. */
  readonly anthropic?: UpstreamTarget;
}

const OPENAI_DEFAULT_BASE = 'https://api.openai.com/v1';
const ANTHROPIC_DEFAULT_BASE = 'https://api.anthropic.com';
const ANTHROPIC_DEFAULT_VERSION = '2023-06-01';

/**
 * Reads `OPENAI_BASE_URL` / `OPENAI_API_KEY` and `ANTHROPIC_BASE_URL` / `ANTHROPIC_API_KEY`. A
 * provider is forwarded when its key or its base URL is set (a local OpenAI-compatible server often
 * needs no key); the base URL defaults to the provider's public API.
 *
 * @example
 * upstreamsFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' });
 * // { openai: { baseUrl: 'http://127.0.0.1:11434/v1', apiKey: '' } }
 */
export function upstreamsFromEnv(env: Readonly<Record<string, string | undefined>>): GatewayUpstreams {
  const target = (base: string | undefined, key: string | undefined, fallback: string) =>
    base || key ? { baseUrl: trimSlash(base || fallback), apiKey: key ?? '' } : undefined;
  const openai = target(env['OPENAI_BASE_URL'], env['OPENAI_API_KEY'], OPENAI_DEFAULT_BASE);
  const anthropic = target(env['ANTHROPIC_BASE_URL'], env['ANTHROPIC_API_KEY'], ANTHROPIC_DEFAULT_BASE);
  return { ...(openai ? { openai } : {}), ...(anthropic ? { anthropic } : {}) };
}

/** The upstream configured for `provider`, if any. */
export function targetFor(upstreams: GatewayUpstreams, provider: Provider): UpstreamTarget | undefined {
  return provider === 'anthropic-messages' ? upstreams.anthropic : upstreams.openai;
}

/** Request headers the client may set that the provider needs to see (never its credentials). */
const FORWARDED_REQUEST_HEADERS = ['accept', 'anthropic-version', 'anthropic-beta', 'openai-beta'];

/** Answer headers worth passing back; hop-by-hop and encoding headers are re-made by this server. */
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'cache-control',
  'retry-after',
  'x-request-id',
  'request-id',
  'openai-processing-ms',
];

/**
 * Sends the sanitized `body` to the provider with the gateway's own key and returns its answer with
 * the body streamed through as it arrives (SSE stays SSE). The client's `Authorization` is never
 * forwarded: it authenticates the client to this gateway, not to the provider.
 */
export async function forwardToUpstream(
  provider: Provider,
  target: UpstreamTarget,
  body: unknown,
  header: (name: string) => string | undefined,
  signal: AbortSignal,
): Promise<Response> {
  const path =
    provider === 'openai-chat'
      ? '/chat/completions'
      : provider === 'openai-responses'
        ? '/responses'
        : '/v1/messages';
  const headers = new Headers({ 'content-type': 'application/json' });
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = header(name);
    if (value !== undefined) headers.set(name, value);
  }
  if (provider === 'anthropic-messages') {
    if (target.apiKey) headers.set('x-api-key', target.apiKey);
    if (!headers.has('anthropic-version')) headers.set('anthropic-version', ANTHROPIC_DEFAULT_VERSION);
  } else if (target.apiKey) {
    headers.set('authorization', `Bearer ${target.apiKey}`);
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${target.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal,
    });
  } catch {
    return badGateway();
  }
  const out = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) out.set(name === 'x-request-id' ? 'x-upstream-request-id' : name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: out });
}

function badGateway(): Response {
  return new Response(
    JSON.stringify({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
      detail: 'The upstream LLM could not be reached.',
    }),
    { status: 502, headers: { 'content-type': 'application/problem+json' } },
  );
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
