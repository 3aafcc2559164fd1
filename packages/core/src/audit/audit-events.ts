import type { GuardContext } from '../context/guard-context.js';
import type { AuditFields } from './audit-chain.js';

/** A custom audit event a guard attaches to the request it is handling. */
export interface AuditEventInput {
  /** Dotted lower-case type, e.g. `identity.key-revoked`, `limits.store-down`. */
  readonly type: string;
  /** Short identifier-like values only: codes, names, counts, flags. Never request content. */
  readonly fields?: Readonly<Record<string, string | number | boolean>>;
}

const EVENTS = Symbol('llmguard.audit.events');

const TYPE = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

/**
 * Adds an audit event to the current request; the audit guard writes it (with the request id and
 * principal pseudonym) when the request finishes. Without an audit guard it is ignored.
 * String values longer than 128 characters are cut; types starting with `audit.` are reserved and
 * ignored.
 *
 * @example
 * addAuditEvent(ctx, { type: 'limits.store-fail-open', fields: { store: 'redis' } });
 */
export function addAuditEvent(ctx: GuardContext, event: AuditEventInput): void {
  // Types are written by guard code, not users; a constant JS regex over them is fine.
  // `audit.*` records steer verification (rotation, close): only the log itself writes them.
  if (event.type.length > 64 || !TYPE.test(event.type) || event.type.startsWith('audit.')) return;
  ctx.state<AuditEventInput[]>(EVENTS, () => []).push(event);
}

/** The events added to a request, as audit fields. */
export function takeAuditEvents(ctx: GuardContext): { type: string; fields: AuditFields }[] {
  const events = ctx.state<AuditEventInput[]>(EVENTS, () => []);
  return events.map((e) => {
    const fields: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(e.fields ?? {}).slice(0, 32)) {
      if (k.length > 64) continue;
      fields[k] = typeof v === 'string' ? v.slice(0, 128) : v;
    }
    return { type: e.type, fields };
  });
}
