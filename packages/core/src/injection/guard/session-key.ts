import { createHash } from 'node:crypto';
import type { GuardContext } from '../../context/guard-context.js';

/** Where the multi-turn session key comes from, in order: callback, header, principal. */
export interface SessionKeySource {
  readonly sessionKey?: (ctx: GuardContext) => string | undefined;
  /** Lower-case header name; `false` disables header sessions. */
  readonly sessionHeader: string | false;
}

/**
 * Resolves the trajectory key of a request, or `undefined` when the request has no session.
 * Raw ids are hashed so store keys stay short and never hold caller-chosen text.
 * Header sessions are chosen by the client: an attacker can rotate them, so a principal
 * (identity guard) is the stronger key when both exist — the callback decides otherwise.
 */
export function resolveSessionKey(ctx: GuardContext, source: SessionKeySource): string | undefined {
  let raw: string | undefined;
  const custom = source.sessionKey?.(ctx);
  if (typeof custom === 'string' && custom.length > 0) raw = `c:${custom}`;
  else if (ctx.principal !== undefined && ctx.principal.kind !== 'anonymous') {
    raw = `p:${ctx.principal.tenant ?? ''}:${ctx.principal.id}`;
  } else if (source.sessionHeader !== false) {
    const value = ctx.header(source.sessionHeader);
    if (value !== undefined && value.length > 0 && value.length <= 256) raw = `h:${value}`;
  }
  if (raw === undefined) return undefined;
  return `llmguard:injection:trajectory:${createHash('sha256').update(raw).digest('base64url').slice(0, 32)}`;
}
