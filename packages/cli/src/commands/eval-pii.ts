import { readFile } from 'node:fs/promises';
import { createPiiScanner, DEFAULT_DETECTORS, type PiiScanner } from '@llmguard/core';
import type { CliCommand } from '../io.js';

/** Presidio entity names (as used by public PII corpora) → llmguard types. */
export const PRESIDIO_TYPE_MAP: Readonly<Record<string, string>> = {
  EMAIL_ADDRESS: 'EMAIL',
  EMAIL: 'EMAIL',
  PHONE_NUMBER: 'PHONE',
  CREDIT_CARD: 'CREDIT_CARD',
  US_SSN: 'US_SSN',
  IBAN_CODE: 'IBAN',
  IP_ADDRESS: 'IP_ADDRESS',
  URL: 'URL',
  DOMAIN_NAME: 'URL',
  MAC_ADDRESS: 'MAC_ADDRESS',
  US_PASSPORT: 'PASSPORT',
  US_DRIVER_LICENSE: 'DRIVER_LICENSE',
};

/**
 * Names other public PII corpora give the same types, keyed in normal form (upper case, anything
 * but letters and digits as `_`): `credit_card_number`, `CREDITCARDNUMBER`, `ipv4`, `dob`, ….
 * Country-specific types (`TR_PHONE_NUMBER`, `UK_PASSPORT`) are left out: their formats differ
 * from what our detectors look for, and scoring them under our type would be wrong either way.
 */
export const COMMON_TYPE_ALIASES: Readonly<Record<string, string>> = {
  EMAILADDRESS: 'EMAIL',
  E_MAIL: 'EMAIL',
  PHONENUMBER: 'PHONE',
  PHONE_NUM: 'PHONE',
  TELEPHONE: 'PHONE',
  TELEPHONENUM: 'PHONE',
  TELEPHONE_NUMBER: 'PHONE',
  CREDITCARD: 'CREDIT_CARD',
  CREDITCARDNUMBER: 'CREDIT_CARD',
  CREDIT_CARD_NUMBER: 'CREDIT_CARD',
  CARD_NUMBER: 'CREDIT_CARD',
  SSN: 'US_SSN',
  SOCIALNUM: 'US_SSN',
  SOCIAL_SECURITY_NUMBER: 'US_SSN',
  IBAN_NUMBER: 'IBAN',
  IP: 'IP_ADDRESS',
  IPV4: 'IP_ADDRESS',
  IPV6: 'IP_ADDRESS',
  IPV4_ADDRESS: 'IP_ADDRESS',
  IPV6_ADDRESS: 'IP_ADDRESS',
  URI: 'URL',
  MAC: 'MAC_ADDRESS',
  PASSPORT_NUMBER: 'PASSPORT',
  PASSPORTNUM: 'PASSPORT',
  DRIVERS_LICENSE: 'DRIVER_LICENSE',
  DRIVER_LICENSE_NUMBER: 'DRIVER_LICENSE',
  DRIVERLICENSE: 'DRIVER_LICENSE',
  DRIVERLICENSENUM: 'DRIVER_LICENSE',
  DOB: 'DATE_OF_BIRTH',
  DATEOFBIRTH: 'DATE_OF_BIRTH',
  BIRTH_DATE: 'DATE_OF_BIRTH',
};

/**
 * Our type for a gold type: the map (exact name), then our own type names as they are, then the
 * map and the common aliases on the normalised name. `undefined` when nothing matches.
 */
export function resolveGoldType(
  goldType: string,
  map: Readonly<Record<string, string>>,
  ourTypes: ReadonlySet<string>,
): string | undefined {
  const exact = map[goldType];
  if (exact !== undefined) return exact;
  if (ourTypes.has(goldType)) return goldType;
  const normal = goldType.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return map[normal] ?? (ourTypes.has(normal) ? normal : undefined) ?? COMMON_TYPE_ALIASES[normal];
}

/** Per-type scores; span overlap counts as a hit. */
export interface TypeScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Gold entities of this type. */
  readonly support: number;
}

/** What `eval --pii --json` prints. */
export interface PiiEvalReport {
  readonly byType: Record<string, TypeScore>;
  /** Rows marked `negative` (nothing should be found) and how many got any detection. */
  readonly negatives: {
    readonly rows: number;
    readonly flagged: number;
    readonly byType: Record<string, number>;
  };
  /** Gold types the map does not cover: not scored, listed so nothing is dropped silently. */
  readonly unsupported: readonly string[];
  readonly rows: number;
}

interface Entity {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}
interface Row {
  readonly text: string;
  readonly entities?: readonly Entity[];
  readonly negative?: boolean;
}

/**
 * Scores the detectors on entity-labelled JSONL rows (`{text, entities:[{type,start,end}], negative?}`).
 * A detection of our type T is a true positive when it overlaps a gold entity mapped to T; a
 * detection overlapping a gold entity of an unmapped type is not scored (the corpus labels that
 * span with a type outside the map, e.g. a Turkish phone labelled `TR_PHONE_NUMBER`).
 *
 * @example
 * evaluatePii(rows, { ...PRESIDIO_TYPE_MAP, NRP: 'NATIONALITY' });
 */
export function evaluatePii(
  rows: readonly Row[],
  map: Readonly<Record<string, string>>,
  scanner: PiiScanner,
): PiiEvalReport {
  const gold = new Map<string, number>();
  const goldHit = new Map<string, number>();
  const predicted = new Map<string, number>();
  const predictedHit = new Map<string, number>();
  const unsupported = new Set<string>();
  const negativesByType: Record<string, number> = {};
  let negativeRows = 0;
  let negativeFlagged = 0;
  const bump = (m: Map<string, number>, k: string): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  const ourTypes = new Set(scanner.types);
  const resolved = new Map<string, string | undefined>();
  const ourType = (goldType: string): string | undefined => {
    if (!resolved.has(goldType)) resolved.set(goldType, resolveGoldType(goldType, map, ourTypes));
    return resolved.get(goldType);
  };
  for (const row of rows) {
    const matches = scanner.scan(row.text).matches;
    const entities = (row.entities ?? []).flatMap((e) => {
      const type = ourType(e.type);
      if (type === undefined) {
        unsupported.add(e.type);
        return [];
      }
      return [{ type, start: e.start, end: e.end }];
    });
    const unmappedSpans = (row.entities ?? []).filter((e) => ourType(e.type) === undefined);
    const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
      a.start < b.end && b.start < a.end;
    for (const e of entities) {
      bump(gold, e.type);
      if (matches.some((m) => m.type === e.type && overlaps(m, e))) bump(goldHit, e.type);
    }
    for (const m of matches) {
      // A detection on a span the corpus labels with a type outside the map is not scored.
      if (unmappedSpans.some((e) => overlaps(m, e))) continue;
      bump(predicted, m.type);
      if (entities.some((e) => e.type === m.type && overlaps(m, e))) bump(predictedHit, m.type);
    }
    if (row.negative === true) {
      negativeRows++;
      if (matches.length > 0) negativeFlagged++;
      for (const type of new Set(matches.map((m) => m.type)))
        negativesByType[type] = (negativesByType[type] ?? 0) + 1;
    }
  }
  const byType: Record<string, TypeScore> = {};
  for (const type of [...new Set([...gold.keys(), ...predicted.keys()])].sort()) {
    const support = gold.get(type) ?? 0;
    const predictions = predicted.get(type) ?? 0;
    const recall = support === 0 ? 0 : (goldHit.get(type) ?? 0) / support;
    const precision =
      predictions === 0 ? (support === 0 ? 1 : 0) : (predictedHit.get(type) ?? 0) / predictions;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    byType[type] = { precision: round(precision), recall: round(recall), f1: round(f1), support };
  }
  return {
    byType,
    negatives: { rows: negativeRows, flagged: negativeFlagged, byType: negativesByType },
    unsupported: [...unsupported].sort(),
    rows: rows.length,
  };
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

/** Reads JSONL, skipping blank lines; a malformed line is an error naming its number. */
export async function readJsonl<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8');
  const rows: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line) as T);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
  });
  return rows;
}

/** Value of `--flag VALUE` or `--flag=VALUE`; every occurrence. */
export function flagValues(argv: readonly string[], flag: string): string[] {
  const out: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === flag && argv[i + 1] !== undefined) out.push(argv[i + 1]!);
    else if (arg.startsWith(`${flag}=`)) out.push(arg.slice(flag.length + 1));
  });
  return out;
}

const HELP = `Usage: llmguard eval --pii FILE [--map GOLD=OURS ...] [--json]

Scores the PII detectors on entity-labelled JSONL ({text, entities:[{type,start,end}], negative?}).
Precision, recall and F1 per type (span overlap is a hit). Presidio type names, our own type names
and common spellings from other corpora (credit_card_number, ipv4, dob, …, in any case) are mapped
to ours; --map GOLD=OURS adds or overrides a mapping. Gold types without a mapping are listed as
unsupported; detections overlapping a span labelled with an unsupported type are not scored.`;

/** `llmguard eval --pii FILE`: precision / recall / F1 per type. */
export const run: CliCommand = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  const file = flagValues(argv, '--pii')[0];
  if (file === undefined) {
    io.stderr.write(`llmguard eval: --pii needs a file\n\n${HELP}\n`);
    return 2;
  }
  const map: Record<string, string> = { ...PRESIDIO_TYPE_MAP };
  for (const pair of flagValues(argv, '--map')) {
    const [from, to] = pair.split('=');
    if (!from || !to) {
      io.stderr.write(`llmguard eval: --map expects GOLD=OURS, got "${pair}"\n`);
      return 2;
    }
    map[from] = to;
  }
  let rows: Row[];
  try {
    rows = await readJsonl<Row>(file);
  } catch (error) {
    io.stderr.write(`llmguard eval: ${(error as Error).message}\n`);
    return 2;
  }
  const report = evaluatePii(rows, map, createPiiScanner(DEFAULT_DETECTORS));
  if (argv.includes('--json')) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const lines = [`${rows.length} rows`, '', 'type                 precision  recall  f1      support'];
  for (const [type, s] of Object.entries(report.byType)) {
    lines.push(
      `${type.padEnd(20)} ${s.precision.toFixed(4).padStart(9)}  ${s.recall.toFixed(4)}  ${s.f1.toFixed(4)}  ${String(s.support).padStart(7)}`,
    );
  }
  lines.push('', `negative rows: ${report.negatives.rows}, flagged: ${report.negatives.flagged}`);
  lines.push(`unsupported: ${report.unsupported.join(', ') || 'none'}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
};
