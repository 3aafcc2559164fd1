import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'llmguard-signature';
/** Header carrying the delivery id (the same on every retry of one alert, for de-duplication). */
export const WEBHOOK_ID_HEADER = 'llmguard-webhook-id';

/**
 * Signs a webhook body: HMAC-SHA256 over `timestamp + '.' + body` with the shared secret.
 * Binding the timestamp into the MAC lets receivers refuse replays outside a tolerance.
 *
 * @example
 * signWebhook(secret, body, Math.floor(Date.now() / 1000)); // 't=1700000000,v1=5f…'
 */
export function signWebhook(secret: string | Uint8Array, body: string, timestampSec: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${mac}`;
}

export interface WebhookVerifyInput {
  readonly secret: string | Uint8Array;
  /** Value of the `llmguard-signature` header. */
  readonly header: string | undefined;
  /** The raw request body, exactly as received. */
  readonly body: string;
  /** Largest accepted age (and clock skew) of the timestamp, in seconds. Default 300. */
  readonly toleranceSec?: number;
  /** Current time in seconds. Default `Date.now() / 1000`. */
  readonly nowSec?: number;
}

export type WebhookVerifyResult =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'expired' | 'mismatch' };

/**
 * Receiver side of the recipe: parse `t` and `v1`, refuse timestamps outside the tolerance
 * (replays), recompute the HMAC over `t + '.' + body` and compare in constant time.
 *
 * @example
 * const check = verifyWebhookSignature({ secret, header: req.headers['llmguard-signature'], body: raw });
 * if (!check.ok) return res.status(401).end();
 */
export function verifyWebhookSignature(input: WebhookVerifyInput): WebhookVerifyResult {
  const header = input.header;
  if (header === undefined || header.length > 512) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return { ok: false, reason: 'malformed' };
  const now = input.nowSec ?? Date.now() / 1000;
  if (Math.abs(now - timestamp) > (input.toleranceSec ?? 300)) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(
    createHmac('sha256', input.secret).update(`${timestamp}.${input.body}`).digest('hex'),
  );
  // Several v1 entries allow secret rotation on the sender side.
  for (const candidate of candidates) {
    if (timingSafeEqual(expected, Buffer.from(candidate))) return { ok: true, timestamp };
  }
  return { ok: false, reason: 'mismatch' };
}
