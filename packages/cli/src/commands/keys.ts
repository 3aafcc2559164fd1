import { parseArgs } from 'node:util';
import { type ApiKeyRecord, FileKeyStore, generateApiKey } from '@llmguard/core';
import type { CliCommand, CliIo } from '../io.js';

const FILE_HELP = '  --file <path>      key file (JSON, hashes only); default $LLMGUARD_KEY_FILE';

const CREATE_HELP = `Usage: llmguard keys create --file <path> [options]

Creates an API key, stores its hash in the key file and prints the key once.
The key itself is never written anywhere: copy it now.

Options:
${FILE_HELP}
  --role <name>      role of the key, repeatable; default user
  --scope <scope>    scope of the key, repeatable
  --tenant <id>      tenant the key belongs to
  --expires <when>   ISO 8601 date/time, or a duration from now: 30d, 12h, 90m
  --name <label>     label for people (e.g. ci-bot)
  --prefix <prefix>  key prefix; default llmg
  --json             print one JSON object instead of text
`;

const LIST_HELP = `Usage: llmguard keys list --file <path> [--json]

Lists key records (id, name, roles, tenant, dates, status). Never shows keys or hashes.

Options:
${FILE_HELP}
  --json             print JSON lines
`;

const REVOKE_HELP = `Usage: llmguard keys revoke <id> --file <path>

Marks the key revoked; running servers reading the same file refuse it within a second.

Options:
${FILE_HELP}
`;

class UsageError extends Error {}

const DURATION_UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `llmguard keys create`: makes a key, stores `{id, hash, roles, …}`, prints the key once.
 *
 * @example
 * llmguard keys create --file keys.json --role user --tenant acme --expires 30d
 */
export const runCreate: CliCommand = (argv, io) =>
  guarded(io, CREATE_HELP, async () => {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        file: { type: 'string' },
        role: { type: 'string', multiple: true },
        scope: { type: 'string', multiple: true },
        tenant: { type: 'string' },
        expires: { type: 'string' },
        name: { type: 'string' },
        prefix: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return help(io, CREATE_HELP);
    const store = new FileKeyStore(keyFile(values.file));
    const prefix = values.prefix ?? 'llmg';
    if (!/^[a-z][a-z0-9]{1,15}$/.test(prefix))
      throw new UsageError('--prefix must be 2-16 lower-case letters and digits');
    const roles = values.role ?? ['user'];
    const now = new Date();
    const expiresAt = values.expires === undefined ? undefined : parseExpiry(values.expires, now);
    const { key, id, hash } = generateApiKey(prefix);
    const record: ApiKeyRecord = {
      id,
      hash,
      ...(values.name === undefined ? {} : { name: values.name }),
      roles,
      scopes: values.scope ?? [],
      ...(values.tenant === undefined ? {} : { tenant: values.tenant }),
      createdAt: now.toISOString(),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
    await store.put(record);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ ...describe(record, now.getTime()), key })}\n`);
    } else {
      io.stdout.write(`${key}\n`);
      io.stderr.write(
        `Created key ${id} (roles: ${roles.join(', ')}${record.tenant ? `, tenant: ${record.tenant}` : ''}` +
          `${expiresAt ? `, expires: ${expiresAt}` : ''}).\n` +
          'This is the only time the key is shown; the file stores its hash only.\n',
      );
    }
    return 0;
  });

/**
 * `llmguard keys list`: one line per key record, without hashes.
 *
 * @example
 * llmguard keys list --file keys.json
 */
export const runList: CliCommand = (argv, io) =>
  guarded(io, LIST_HELP, async () => {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { file: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) return help(io, LIST_HELP);
    const records = await new FileKeyStore(keyFile(values.file)).list();
    const now = Date.now();
    const rows = records.map((record) => describe(record, now));
    if (values.json) {
      for (const row of rows) io.stdout.write(`${JSON.stringify(row)}\n`);
      return 0;
    }
    if (rows.length === 0) {
      io.stderr.write('No keys.\n');
      return 0;
    }
    const table = [
      ['ID', 'STATUS', 'ROLES', 'TENANT', 'NAME', 'CREATED', 'EXPIRES'],
      ...rows.map((r) => [
        r.id,
        r.status,
        r.roles.join(','),
        r.tenant ?? '-',
        r.name ?? '-',
        r.createdAt,
        r.expiresAt ?? '-',
      ]),
    ];
    const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
    for (const row of table)
      io.stdout.write(
        `${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
      );
    return 0;
  });

/**
 * `llmguard keys revoke <id>`: marks a key revoked. Exit 1 when no key has that id.
 *
 * @example
 * llmguard keys revoke 3fT9aB0cD1eF --file keys.json
 */
export const runRevoke: CliCommand = (argv, io) =>
  guarded(io, REVOKE_HELP, async () => {
    const { values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { file: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) return help(io, REVOKE_HELP);
    if (positionals.length !== 1) throw new UsageError('give exactly one key id');
    const id = positionals[0]!;
    const found = await new FileKeyStore(keyFile(values.file)).revoke(id);
    if (!found) {
      io.stderr.write(`llmguard keys revoke: no key with id ${JSON.stringify(id)}.\n`);
      return 1;
    }
    io.stderr.write(`Revoked key ${id}.\n`);
    return 0;
  });

interface KeyRow {
  readonly id: string;
  readonly status: 'active' | 'revoked' | 'expired';
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  readonly tenant?: string;
  readonly name?: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
}

/** A record as shown to people: everything but the hash. */
function describe(record: ApiKeyRecord, now: number): KeyRow {
  const status =
    record.revokedAt !== undefined
      ? 'revoked'
      : record.expiresAt !== undefined && !(Date.parse(record.expiresAt) > now)
        ? 'expired'
        : 'active';
  return {
    id: record.id,
    status,
    roles: record.roles,
    scopes: record.scopes,
    ...(record.tenant === undefined ? {} : { tenant: record.tenant }),
    ...(record.name === undefined ? {} : { name: record.name }),
    createdAt: record.createdAt,
    ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
    ...(record.revokedAt === undefined ? {} : { revokedAt: record.revokedAt }),
  };
}

function keyFile(option: string | undefined): string {
  const file = option ?? process.env['LLMGUARD_KEY_FILE'];
  if (file === undefined || file === '')
    throw new UsageError('--file is required (or set LLMGUARD_KEY_FILE)');
  return file;
}

function parseExpiry(value: string, now: Date): string {
  const unit = DURATION_UNITS[value.slice(-1)];
  const amount = Number(value.slice(0, -1));
  if (unit !== undefined && Number.isInteger(amount) && amount > 0) {
    return new Date(now.getTime() + amount * unit).toISOString();
  }
  const date = Date.parse(value);
  if (!Number.isFinite(date))
    throw new UsageError('--expires must be an ISO 8601 date or a duration such as 30d, 12h, 90m');
  if (date <= now.getTime()) throw new UsageError('--expires must be in the future');
  return new Date(date).toISOString();
}

function help(io: CliIo, text: string): number {
  io.stdout.write(text);
  return 0;
}

async function guarded(io: CliIo, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const usageProblem =
      error instanceof UsageError ||
      (error as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS');
    if (usageProblem) {
      io.stderr.write(`llmguard keys: ${(error as Error).message}\n\n${usage}`);
      return 2;
    }
    const detail = (error as { detail?: unknown }).detail;
    io.stderr.write(`llmguard keys: ${typeof detail === 'string' ? detail : (error as Error).message}\n`);
    return 1;
  }
}
