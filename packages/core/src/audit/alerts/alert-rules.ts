import { LRUCache } from 'lru-cache';

/** When an alert fires: `threshold` matching events from one subject within `windowMs`. */
export interface AlertRule {
  /** Stable rule id, sent in the alert. */
  readonly id: string;
  /** Which audit events count. Every given member must match. */
  readonly match: {
    /** Audit event type, e.g. `request`, `auth.failure`, `limit.violation`, `policy.fail-open`. Default `request`. */
    readonly type?: string;
    /** Error code of the refusal, e.g. `ERR_LLMGUARD_PROMPT_INJECTION`. */
    readonly code?: string;
    /** A finding kind present on the request, e.g. `prompt-injection`. */
    readonly findingKind?: string;
    readonly outcome?: 'allowed' | 'refused' | 'aborted';
  };
  /** Default 1 (every matching event). */
  readonly threshold?: number;
  /** Default 60,000 ms. */
  readonly windowMs?: number;
  /** Count per principal pseudonym (default), per client address pseudonym, or globally. */
  readonly per?: 'principal' | 'client' | 'global';
}

/** What the evaluator sees of one audit event. */
export interface AlertObservation {
  readonly type: string;
  readonly requestId: string | undefined;
  readonly code: string | undefined;
  readonly outcome: string | undefined;
  readonly findingKinds: readonly string[];
  readonly principal: string | undefined;
  readonly client: string | undefined;
}

/** A fired alert. Holds pseudonyms and request ids only. */
export interface FiredAlert {
  readonly rule: string;
  readonly subject: string;
  readonly count: number;
  readonly windowMs: number;
  readonly requestIds: readonly string[];
}

interface Window {
  times: number[];
  requestIds: string[];
}

/**
 * Sliding-window counters per rule and subject, bounded to 10,000 subjects per rule (least
 * recently seen are forgotten first). After firing, a subject's window starts afresh.
 *
 * @example
 * const alerts = createAlertEvaluator([{ id: 'injection-burst', match: { findingKind: 'prompt-injection' }, threshold: 5, windowMs: 60_000 }]);
 */
export function createAlertEvaluator(rules: readonly AlertRule[]): {
  observe(event: AlertObservation, now?: number): FiredAlert[];
} {
  const compiled = rules.map((rule) => ({
    rule,
    type: rule.match.type ?? 'request',
    threshold: rule.threshold ?? 1,
    windowMs: rule.windowMs ?? 60_000,
    per: rule.per ?? 'principal',
    windows: new LRUCache<string, Window>({ max: 10_000 }),
  }));
  return {
    observe(event: AlertObservation, now: number = Date.now()): FiredAlert[] {
      const fired: FiredAlert[] = [];
      for (const c of compiled) {
        const m = c.rule.match;
        if (event.type !== c.type) continue;
        if (m.code !== undefined && event.code !== m.code) continue;
        if (m.outcome !== undefined && event.outcome !== m.outcome) continue;
        if (m.findingKind !== undefined && !event.findingKinds.includes(m.findingKind)) continue;
        const subject =
          c.per === 'global'
            ? 'global'
            : c.per === 'client'
              ? (event.client ?? 'unknown')
              : (event.principal ?? event.client ?? 'anonymous');
        let w = c.windows.get(subject);
        if (w === undefined) {
          w = { times: [], requestIds: [] };
          c.windows.set(subject, w);
        }
        while (w.times.length > 0 && now - w.times[0]! > c.windowMs) {
          w.times.shift();
          w.requestIds.shift();
        }
        w.times.push(now);
        w.requestIds.push(event.requestId ?? '');
        if (w.times.length >= c.threshold) {
          fired.push({
            rule: c.rule.id,
            subject,
            count: w.times.length,
            windowMs: c.windowMs,
            requestIds: w.requestIds.slice(-10).filter((id) => id !== ''),
          });
          c.windows.delete(subject);
        }
      }
      return fired;
    },
  };
}
