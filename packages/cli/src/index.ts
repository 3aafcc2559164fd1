import type { CliCommand, CliIo } from './io.js';

export type { CliCommand, CliIo } from './io.js';

interface CommandEntry {
  readonly load: () => Promise<{ run: CliCommand }>;
  readonly help: string;
}

/**
 * Subcommands, loaded on demand so `llmguard scan` never pays for what `audit verify` needs.
 * Each module exports `run: CliCommand`.
 */
const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  // --- injection ---
  scan: { load: () => import('./commands/scan.js'), help: 'Score text or JSONL for prompt injection' },
  eval: {
    load: () => import('./commands/eval.js'),
    help: 'Evaluate detectors on labelled JSONL (injection; --pii, --secrets)',
  },
  // --- pii and secrets ---
  // --- identity ---
  'keys create': {
    load: () => import('./commands/keys.js').then((m) => ({ run: m.runCreate })),
    help: 'Create an API key (printed once; the key file keeps its hash)',
  },
  'keys list': {
    load: () => import('./commands/keys.js').then((m) => ({ run: m.runList })),
    help: 'List API key records (no keys, no hashes)',
  },
  'keys revoke': {
    load: () => import('./commands/keys.js').then((m) => ({ run: m.runRevoke })),
    help: 'Revoke an API key by id',
  },
  // --- audit ---
  'audit verify': {
    load: () => import('./commands/audit-verify.js'),
    help: 'Verify the keyed hash chain of audit files',
  },
  'audit export': {
    load: () => import('./commands/audit-export.js'),
    help: 'Export every audit record of one pseudonymous subject',
  },
  'audit prune': {
    load: () => import('./commands/audit-prune.js'),
    help: 'Remove audit files older than a retention period',
  },
  'verify-model': {
    load: () => import('./commands/verify-model.js'),
    help: 'Check a model file against a SHA-256 digest or a detached signature',
  },
};

const USAGE = (): string =>
  [
    'Usage: llmguard <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(16)} ${c.help}`),
    '',
    'Run `llmguard <command> --help` for the options of one command.',
  ].join('\n');

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code:
 * 0 success, 1 a finding or failed check, 2 a usage error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(USAGE() + '\n');
    return first === undefined ? 2 : 0;
  }
  const twoWords = second === undefined ? undefined : `${first} ${second}`;
  const name = twoWords !== undefined && twoWords in COMMANDS ? twoWords : first;
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr.write(`llmguard: unknown command "${first}"\n\n${USAGE()}\n`);
    return 2;
  }
  const rest = argv.slice(name.split(' ').length);
  const { run } = await command.load();
  return run(rest, io);
}
