import type { z } from 'zod';
import type { ProblemFieldError } from '../errors/llm-guard-error.js';
import type { BodyPath } from '../prompt/types.js';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

const REQUIRED = 'Is required.';

/**
 * Per-parse zod error map. Messages are written here from the schema's own facts (expected type,
 * bounds, allowed literals) and never from the input, so a problem body cannot echo request text.
 *
 * @example
 * schema.safeParse(body, { error: fieldMessage });
 */
export function fieldMessage(issue: RawIssue): string {
  const missing =
    issue.input === undefined &&
    (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union');
  if (missing) return REQUIRED;
  switch (issue.code) {
    case 'invalid_type':
      return `Expected ${TYPE_NAMES[issue.expected] ?? issue.expected}.`;
    case 'too_big':
      return boundMessage('at most', 'less than', issue.origin, issue.maximum, issue.inclusive);
    case 'too_small':
      return boundMessage('at least', 'more than', issue.origin, issue.minimum, issue.inclusive);
    case 'invalid_value':
      return `Must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'invalid_union':
      return 'Has an unsupported type or shape.';
    case 'invalid_format':
      return 'Has an invalid format.';
    case 'custom':
      return (
        (issue.params as { message?: string } | undefined)?.message ??
        CUSTOM_MESSAGES[customCode(issue)] ??
        'Is invalid.'
      );
    default:
      return 'Is invalid.';
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  null: 'null',
};

const CUSTOM_MESSAGES: Record<string, string> = {
  text_required: 'A text part must have a string "text".',
};

function customCode(issue: { readonly params?: unknown }): string {
  const code = (issue.params as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'custom';
}

function boundMessage(
  inclusiveWord: string,
  exclusiveWord: string,
  origin: string,
  bound: number | bigint,
  inclusive: boolean | undefined,
): string {
  const word = inclusive === false ? exclusiveWord : inclusiveWord;
  if (origin === 'array') return `Must have ${word} ${bound} items.`;
  if (origin === 'string') return `Must be ${word} ${bound} characters long.`;
  return `Must be ${word} ${bound}.`;
}

/**
 * Converts zod issues into problem `errors[]` entries: JSON Pointer paths (RFC 6901), a stable
 * code and the message from `fieldMessage`. A failed union is reported at the branch that came
 * closest (the only one whose failure is not a plain type mismatch), so a bad content part is
 * named at its own path rather than as "content has the wrong shape". At most `limit` entries.
 *
 * @example
 * issuesToFieldErrors(result.error.issues, 20); // [{ path: '/messages/0/role', code: 'invalid_value', message: '…' }]
 */
export function issuesToFieldErrors(issues: readonly Issue[], limit: number): ProblemFieldError[] {
  const out: ProblemFieldError[] = [];
  const visit = (list: readonly Issue[], prefix: readonly PropertyKey[]): void => {
    for (const issue of list) {
      if (out.length >= limit) return;
      const path = [...prefix, ...issue.path];
      if (issue.code === 'invalid_union' && issue.errors.length > 0) {
        const closer = issue.errors.filter(
          (branch) => !branch.every((sub) => sub.path.length === 0 && sub.code === 'invalid_type'),
        );
        if (closer.length === 1) {
          visit(closer[0]!, path);
          continue;
        }
      }
      out.push({ path: toJsonPointer(path), code: issueCode(issue), message: issue.message });
    }
  };
  visit(issues, []);
  return out;
}

function issueCode(issue: Issue): string {
  if (issue.code === 'custom') return customCode(issue);
  if (issue.message === REQUIRED) return 'required';
  return issue.code;
}

/**
 * RFC 6901 JSON Pointer: `~` → `~0`, `/` → `~1`; the root is `''`.
 *
 * @example
 * toJsonPointer(['messages', 0, 'content']); // '/messages/0/content'
 */
export function toJsonPointer(path: BodyPath | readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += '/' + String(key).replaceAll('~', '~0').replaceAll('/', '~1');
  return out;
}
