import { PassThrough } from 'node:stream';
import { runCli } from '../index.js';

/** What one CLI run printed and returned. */
export interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in-process on `argv` with captured output, for tests. `stdin` is what the command
 * reads (empty by default); `tty` makes stderr report itself as a terminal (progress bars).
 *
 * @example
 * const { code, stdout } = await runCaptured(['scan', 'hello']);
 */
export async function runCaptured(
  argv: readonly string[],
  options: { readonly stdin?: string; readonly tty?: boolean } = {},
): Promise<CapturedRun> {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty === true });
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  stdin.end(options.stdin ?? '');
  const code = await runCli(argv, { stdout, stderr, stdin });
  return { code, stdout: out, stderr: err };
}
