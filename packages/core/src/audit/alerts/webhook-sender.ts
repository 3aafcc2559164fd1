import { randomUUID } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { LlmGuardError } from '../../errors/llm-guard-error.js';
import { type AddressAllowance, addressRefusal } from './blocked-addresses.js';
import { signWebhook, WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER } from './webhook-signature.js';

/** Resolves a host name to addresses; inject one in tests, default `dns.lookup(all)`. */
export type WebhookResolver = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export interface WebhookOptions {
  /** `https://` (or `http://`) URL of the receiver. No credentials in the URL. */
  readonly url: string;
  /** Shared secret for the `llmguard-signature` header (≥ 32 bytes). */
  readonly secret: string;
  /** Per attempt. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, on network errors, 429 and 5xx. Default 3. */
  readonly retries?: number;
  /** First backoff; doubles per retry with full jitter, capped at 10 s. Default 250 ms. */
  readonly backoffMs?: number;
  /** Address ranges the receiver may resolve to anyway. Default: none (public addresses only). */
  readonly allow?: AddressAllowance;
  /** Host name resolver (tests inject one). Default `dns.lookup` with `all: true`. */
  readonly resolver?: WebhookResolver;
}

/** Outcome of one delivery (never throws). */
export interface WebhookDelivery {
  readonly ok: boolean;
  readonly id: string;
  readonly attempts: number;
  readonly status?: number;
  /** Why it failed: `refused:<category>`, `timeout`, `http:<status>`, or a network error code. */
  readonly error?: string;
}

export interface WebhookSender {
  /** Origin of the receiver, safe to log: the path is left out because webhook paths often carry secrets. */
  readonly origin: string;
  send(payload: unknown): Promise<WebhookDelivery>;
}

const defaultResolver: WebhookResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function invalid(detail: string): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_INVALID_OPTIONS', { detail });
}

function refused(category: string): LlmGuardError {
  return new LlmGuardError('ERR_LLMGUARD_WEBHOOK_REFUSED', {
    detail: `The webhook host resolves to a ${category} address.`,
    extensions: { category },
  });
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Creates a signed webhook sender with an SSRF guard. The address check runs inside the socket's
 * `lookup`, on the very addresses the connection then uses, so DNS that changes between a check
 * and the connect (rebinding) cannot slip a private target through. Literal IP hosts are checked
 * before any connection. Redirects are not followed.
 *
 * @example
 * const hook = createWebhookSender({ url: 'https://alerts.example.com/llmguard', secret: process.env.HOOK_SECRET! });
 * await hook.send({ type: 'llmguard.alert', rule: 'injection-burst' });
 */
export function createWebhookSender(options: WebhookOptions): WebhookSender {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw invalid('Invalid option "webhook.url": not a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid('Invalid option "webhook.url": only http and https are allowed.');
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('Invalid option "webhook.url": credentials in the URL are not allowed.');
  }
  if (Buffer.byteLength(options.secret) < 32) {
    throw invalid('Invalid option "webhook.secret": use at least 32 bytes.');
  }
  const allow = options.allow ?? {};
  const resolver = options.resolver ?? defaultResolver;
  const timeoutMs = options.timeoutMs ?? 5000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 250;
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = isIP(hostname) !== 0;

  /** Resolves and judges every address; any refused address refuses the whole name. */
  async function resolveChecked(): Promise<LookupAddress[]> {
    if (literal) {
      const reason = addressRefusal(hostname, allow);
      if (reason !== undefined) throw refused(reason);
      return [{ address: hostname, family: isIP(hostname) }];
    }
    const addresses = await resolver(hostname);
    if (addresses.length === 0) throw refused('unresolvable');
    for (const a of addresses) {
      const reason = addressRefusal(a.address, allow);
      if (reason !== undefined) throw refused(reason);
    }
    return addresses.map((a) => ({ address: a.address, family: a.family }));
  }

  // Connect-time check: net.connect calls this and connects to exactly what it returns.
  function connectLookup(
    _host: string,
    opts: { all?: boolean },
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void {
    resolveChecked().then(
      (addresses) => {
        if (opts.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: Error) => callback(error, ''),
    );
  }

  function attempt(body: string, id: string): Promise<number> {
    const signature = signWebhook(options.secret, body, Math.floor(Date.now() / 1000));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          agent: false,
          lookup: connectLookup as never,
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'llmguard-webhook',
            [WEBHOOK_SIGNATURE_HEADER]: signature,
            [WEBHOOK_ID_HEADER]: id,
          },
        },
        (res: IncomingMessage) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }

  return {
    origin: url.origin,
    async send(payload: unknown): Promise<WebhookDelivery> {
      const body = JSON.stringify(payload);
      const id = randomUUID();
      let lastError = 'unknown';
      let lastStatus: number | undefined;
      // Early check: a refused target fails at once, without retries. It is not the safeguard;
      // the connect-time lookup below checks again the addresses actually used.
      try {
        await resolveChecked();
      } catch (error) {
        if (error instanceof LlmGuardError) {
          return { ok: false, id, attempts: 0, error: `refused:${String(error.extensions.category)}` };
        }
      }
      for (let n = 0; n <= retries; n++) {
        if (n > 0) await delay(Math.random() * Math.min(10_000, backoffMs * 2 ** (n - 1)));
        try {
          const status = await attempt(body, id);
          lastStatus = status;
          if (status >= 200 && status < 300) return { ok: true, id, attempts: n + 1, status };
          lastError = `http:${status}`;
          // Other 4xx (and 3xx: redirects are not followed) will not improve by retrying.
          if (status !== 429 && status < 500)
            return { ok: false, id, attempts: n + 1, status, error: lastError };
        } catch (error) {
          if (error instanceof LlmGuardError && error.code === 'ERR_LLMGUARD_WEBHOOK_REFUSED') {
            return { ok: false, id, attempts: n + 1, error: `refused:${String(error.extensions.category)}` };
          }
          const code = (error as NodeJS.ErrnoException).code;
          lastError = code === 'ETIMEDOUT' ? 'timeout' : (code ?? 'network');
        }
      }
      return {
        ok: false,
        id,
        attempts: retries + 1,
        error: lastError,
        ...(lastStatus === undefined ? {} : { status: lastStatus }),
      };
    },
  };
}
