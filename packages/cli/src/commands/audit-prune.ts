import { parseArgs } from 'node:util';
import { pruneAuditFiles } from '@llmguard/core';
import type { CliCommand } from '../io.js';

const HELP = `Usage: llmguard audit prune --dir <dir> --max-age-days <n> [--prefix audit] [--dry-run]

Retention by age: removes whole audit files, oldest first, whose newest record is older than the
limit. The newest file always stays, and what remains is one unbroken chain (verify it with
\`llmguard audit verify --partial\`).
`;

/**
 * `llmguard audit prune --dir /var/log/llmguard --max-age-days 90`.
 */
export const run: CliCommand = async (argv, io) => {
  const parse = () =>
    parseArgs({
      args: [...argv],
      options: {
        dir: { type: 'string' },
        'max-age-days': { type: 'string' },
        prefix: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    io.stderr.write(`llmguard audit prune: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const days = Number(values['max-age-days']);
  if (values.dir === undefined || !Number.isFinite(days) || days <= 0) {
    io.stderr.write(`llmguard audit prune: give --dir and a positive --max-age-days\n`);
    return 2;
  }
  let removed: string[];
  try {
    removed = await pruneAuditFiles({
      dir: values.dir,
      maxAgeMs: days * 86_400_000,
      ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
      dryRun: values['dry-run'] ?? false,
    });
  } catch {
    io.stderr.write(`llmguard audit prune: cannot read ${values.dir}\n`);
    return 2;
  }
  for (const file of removed) io.stdout.write(`${values['dry-run'] ? 'would remove' : 'removed'} ${file}\n`);
  io.stdout.write(`${removed.length} file(s) ${values['dry-run'] ? 'to remove' : 'removed'}\n`);
  return 0;
};
