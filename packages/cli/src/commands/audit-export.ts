import { auditPseudonymKey, exportSubjectRecords, pseudonymize } from '@llmguard/core';
import { parseCommandLine } from '../command-line.js';
import type { CliCommand } from '../io.js';
import { collectKeys, expandAuditFiles, KEY_ARG_OPTIONS, UsageError } from './audit-keys-args.js';

const HELP = `Usage: llmguard audit export (--subject <p_…> | --principal <id> [--tenant <t>] | --client <ip>) <file|dir>...

Prints every audit record about one pseudonymous subject as JSON lines (subject access request).
With --principal or --client the pseudonym is computed from the id with the audit key
(LLMGUARD_AUDIT_KEY, or --key-env / --key-file / --key as for verify; use the pseudonym key if one
was configured separately).

Options:
  --subject <p_…>     the pseudonym as it appears in the log
  --principal <id>    the principal id (JWT sub, API key id); --tenant <t> if it has a tenant
  --client <ip>       the client address
`;

/**
 * `llmguard audit export --principal user-42 /var/log/llmguard > user-42.jsonl`.
 */
export const run: CliCommand = async (argv, io) => {
  const parsed = parseCommandLine(
    argv,
    {
      ...KEY_ARG_OPTIONS,
      subject: { type: 'string' },
      principal: { type: 'string' },
      tenant: { type: 'string' },
      client: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'audit export',
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  try {
    const chosen = [values.subject, values.principal, values.client].filter((v) => v !== undefined);
    if (chosen.length !== 1) throw new UsageError('give exactly one of --subject, --principal, --client');
    if (positionals.length === 0) throw new UsageError('name at least one audit file');
    let subject = values.subject;
    if (subject === undefined) {
      const [key] = collectKeys(values);
      const pseudoKey = auditPseudonymKey(key!);
      subject =
        values.principal !== undefined
          ? pseudonymize(pseudoKey, values.principal, values.tenant)
          : pseudonymize(pseudoKey, values.client!, '\0ip');
    }
    let count = 0;
    for await (const record of exportSubjectRecords(expandAuditFiles(positionals), subject)) {
      io.stdout.write(JSON.stringify(record) + '\n');
      count += 1;
    }
    io.stderr.write(`${count} record(s) for ${subject}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`llmguard audit export: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
};
