/**
 * RateLimit header fields per draft-ietf-httpapi-ratelimit-headers (revision 10): both fields are
 * Structured Field Lists (RFC 9651) of policy-name Strings with parameters.
 *
 * - `RateLimit-Policy: "per-minute";q=100;w=60;pk=:…:` — quota `q`, window `w` in seconds,
 *   quota unit `qu` when not requests, partition key `pk`.
 * - `RateLimit: "per-minute";r=42;t=17;pk=:…:` — remaining `r`, seconds until reset `t`.
 */

/** What one policy reports after a decision. */
export interface PolicyReport {
  readonly name: string;
  /** Quota unit (§ Quota units): `requests` is the default and is not written. */
  readonly unit: 'requests' | 'concurrent-requests' | 'llm-tokens';
  readonly quota: number;
  /** Window in ms; omitted for concurrency. */
  readonly windowMs: number | undefined;
  readonly remaining: number;
  readonly resetMs: number;
  /** Hashed partition key (never the raw principal or IP). */
  readonly partitionKey: string;
}

/** Serializes an sf-string (RFC 9651 §4.1.6): only `"` and `\` need escaping in policy names. */
function sfString(value: string): string {
  let out = '"';
  for (const ch of value) out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  return `${out}"`;
}

function sfInteger(value: number): string {
  return String(Math.max(0, Math.min(999_999_999_999_999, Math.floor(value))));
}

/** `RateLimit-Policy` member for one policy. */
export function policyMember(report: PolicyReport): string {
  let out = `${sfString(report.name)};q=${sfInteger(report.quota)}`;
  if (report.unit !== 'requests') out += `;qu=${sfString(report.unit)}`;
  if (report.windowMs !== undefined) out += `;w=${sfInteger(Math.ceil(report.windowMs / 1000))}`;
  return `${out};pk=:${report.partitionKey}:`;
}

/** `RateLimit` member for one policy. */
export function limitMember(report: PolicyReport): string {
  const reset = Math.ceil(Math.max(0, report.resetMs) / 1000);
  return `${sfString(report.name)};r=${sfInteger(report.remaining)};t=${sfInteger(reset)};pk=:${report.partitionKey}:`;
}

/** Writes both fields in `headers` for every policy that applied to the request so far. */
export function writeRateHeaders(
  headers: Record<string, string>,
  reports: readonly PolicyReport[],
  legacy: boolean,
): void {
  if (reports.length === 0) return;
  headers['ratelimit-policy'] = reports.map(policyMember).join(', ');
  headers.ratelimit = reports.map(limitMember).join(', ');
  if (legacy) {
    // The pre-standard trio, for clients that only know it: the tightest policy wins.
    let tightest = reports[0]!;
    for (const r of reports) if (r.remaining / r.quota < tightest.remaining / tightest.quota) tightest = r;
    headers['x-ratelimit-limit'] = sfInteger(tightest.quota);
    headers['x-ratelimit-remaining'] = sfInteger(tightest.remaining);
    headers['x-ratelimit-reset'] = sfInteger(Math.ceil(tightest.resetMs / 1000));
  }
}
