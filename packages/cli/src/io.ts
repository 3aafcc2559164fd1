/** Streams a command reads and writes; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream;
}

/** A subcommand: takes its own argv (after the command words) and returns the exit code. */
export type CliCommand = (argv: readonly string[], io: CliIo) => Promise<number>;
