import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CliIo } from './io.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; options: O }>
>;

/**
 * Parses a command's argv with `node:util` `parseArgs`. Bad arguments print the message and the
 * command's help to stderr and give exit code 2; `--help` prints the help and gives 0. Otherwise
 * the parsed values and positionals come back.
 *
 * @example
 * const parsed = parseCommandLine(argv, { json: { type: 'boolean' }, help: { type: 'boolean' } }, 'audit verify', HELP, io);
 * if (typeof parsed === 'number') return parsed;
 */
export function parseCommandLine<const O extends OptionsConfig>(
  argv: readonly string[],
  options: O,
  command: string,
  help: string,
  io: CliIo,
): Parsed<O> | number {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options });
  } catch (error) {
    io.stderr.write(`llmguard ${command}: ${(error as Error).message}\n\n${help}`);
    return 2;
  }
  if ((parsed.values as Record<string, unknown>).help === true) {
    io.stdout.write(help);
    return 0;
  }
  return parsed;
}
