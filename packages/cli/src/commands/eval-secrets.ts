import { createPiiScanner, DEFAULT_DETECTORS, type PiiScanner } from '@llmguard/core';
import type { CliCommand } from '../io.js';
import { flagValues, readJsonl } from './eval-pii.js';

interface SecretRow {
  readonly text: string;
  readonly label: 'secret' | 'no_secret';
}

/** What `eval --secrets --json` prints. */
export interface SecretEvalReport {
  /** Share of `secret` rows where any credential detector fired. */
  readonly detectionRate: number;
  /** Share of `no_secret` rows where any credential detector fired. */
  readonly falsePositiveRate: number;
  readonly n: number;
  readonly secrets: number;
  readonly nonSecrets: number;
}

/**
 * Scores the credential detectors on `{text, label: secret|no_secret}` rows. A row counts as
 * flagged when any detector of category `secret` fires on it.
 *
 * @example
 * evaluateSecrets([{ text: 'AKIAIOSFODNN7EXAMPLE', label: 'secret' }], scanner).detectionRate; // 1
 */
export function evaluateSecrets(rows: readonly SecretRow[], scanner: PiiScanner): SecretEvalReport {
  let secrets = 0;
  let detected = 0;
  let nonSecrets = 0;
  let falsePositives = 0;
  for (const row of rows) {
    const flagged = scanner.scan(row.text).matches.some((m) => m.category === 'secret');
    if (row.label === 'secret') {
      secrets++;
      if (flagged) detected++;
    } else {
      nonSecrets++;
      if (flagged) falsePositives++;
    }
  }
  const rate = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);
  return {
    detectionRate: rate(detected, secrets),
    falsePositiveRate: rate(falsePositives, nonSecrets),
    n: rows.length,
    secrets,
    nonSecrets,
  };
}

const HELP = `Usage: llmguard eval --secrets FILE [--json]

Scores the credential detectors on JSONL rows {text, label: "secret" | "no_secret"}: the share of
secret rows detected and the share of no_secret rows flagged.`;

/** `llmguard eval --secrets FILE`: detection rate and false-positive rate. */
export const run: CliCommand = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const file = flagValues(argv, '--secrets')[0];
  if (file === undefined) {
    io.stderr.write(`llmguard eval: --secrets needs a file\n\n${HELP}\n`);
    return 2;
  }
  let rows: SecretRow[];
  try {
    rows = await readJsonl<SecretRow>(file);
  } catch (error) {
    io.stderr.write(`llmguard eval: ${(error as Error).message}\n`);
    return 2;
  }
  const report = evaluateSecrets(rows, createPiiScanner(DEFAULT_DETECTORS));
  if (argv.includes('--json')) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(
    `${report.n} rows (${report.secrets} secret, ${report.nonSecrets} no_secret)\n` +
      `detection rate:      ${report.detectionRate.toFixed(4)}\nfalse-positive rate: ${report.falsePositiveRate.toFixed(4)}\n`,
  );
  return 0;
};
