import { verifyAuditFiles } from '@llmguard/core';
import { parseCommandLine } from '../command-line.js';
import type { CliCommand } from '../io.js';
import { collectKeys, expandAuditFiles, KEY_ARG_OPTIONS, UsageError } from './audit-keys-args.js';

const HELP = `Usage: llmguard audit verify [options] <file|dir>...

Checks the keyed hash chain of audit files given in chain order (a directory means its *.jsonl
files, sorted). Reports the first edited, missing, reordered or inserted record, a missing file
after a rotation, and a truncated tail. Exit 0 when intact, 1 when not, 2 on usage errors.

Options:
  --key-env <VAR>     read a key from this variable (repeatable; default LLMGUARD_AUDIT_KEY)
  --key-file <path>   read a key from a file (repeatable, for rotated keys)
  --key <secret>      a key on the command line (visible to other users: prefer the above)
  --partial           the chain may start mid-way (older files removed by retention)
  --open              the last file may still be written to (no audit.close yet)
  --allow-unclean     accept a restart after a crash
  --json              print the result as JSON
`;

/**
 * `llmguard audit verify <file...>`.
 *
 * @example
 * LLMGUARD_AUDIT_KEY=… llmguard audit verify /var/log/llmguard
 */
export const run: CliCommand = async (argv, io) => {
  const parsed = parseCommandLine(
    argv,
    {
      ...KEY_ARG_OPTIONS,
      partial: { type: 'boolean' },
      open: { type: 'boolean' },
      'allow-unclean': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'audit verify',
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  try {
    if (positionals.length === 0) throw new UsageError('name at least one audit file');
    const keys = collectKeys(values);
    const files = expandAuditFiles(positionals);
    if (files.length === 0) throw new UsageError('no .jsonl files found');
    const started = performance.now();
    const result = await verifyAuditFiles(files, {
      keys,
      allowPartial: values.partial ?? false,
      allowOpenTail: values.open ?? false,
      allowUnclean: values['allow-unclean'] ?? false,
    });
    const ms = Math.round(performance.now() - started);
    if (values.json) io.stdout.write(JSON.stringify({ ...result, ms }) + '\n');
    else if (result.ok) {
      io.stdout.write(
        `ok: ${result.records} records in ${result.files} file(s), ${result.chains} chain(s), seq ${result.firstSeq}..${result.lastSeq} (${ms} ms)\n`,
      );
    } else {
      io.stdout.write(`FAILED after ${result.records} intact record(s): ${result.problem?.message}\n`);
    }
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`llmguard audit verify: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
};
