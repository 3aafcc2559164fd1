import { readAuditLines } from './read-records.js';

/**
 * Every record about one pseudonymous subject (principal or client pseudonym), in log order:
 * the answer to a data subject access request. Pass the pseudonym (`p_…`), computed with
 * `pseudonymize(auditPseudonymKey(key), id, tenant)` or `llmguard audit export --principal`.
 *
 * @example
 * for await (const record of exportSubjectRecords(files, 'p_Yk3…')) out.write(JSON.stringify(record) + '\n');
 */
export async function* exportSubjectRecords(
  files: readonly string[],
  pseudonym: string,
): AsyncGenerator<Record<string, unknown>> {
  for (const file of files) {
    for await (const { record } of readAuditLines(file)) {
      if (record !== undefined && mentions(record, pseudonym)) yield record;
    }
  }
}

function mentions(record: Record<string, unknown>, pseudonym: string): boolean {
  const principal = record.principal;
  if (typeof principal === 'string' && principal === pseudonym) return true;
  if (
    typeof principal === 'object' &&
    principal !== null &&
    (principal as { id?: unknown }).id === pseudonym
  ) {
    return true;
  }
  return record.client === pseudonym || record.subject === pseudonym;
}
