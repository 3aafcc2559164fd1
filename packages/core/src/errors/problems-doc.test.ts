import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_TABLE, PROBLEM_TYPE_BASE } from './codes.js';

// docs/problems.md is the public list of problem types; every code a guard can throw must be in it.
const doc = readFileSync(new URL('../../../../docs/problems.md', import.meta.url), 'utf8');

/** The text of one code's section: from its heading to the next heading. */
function section(code: string): string | undefined {
  const start = doc.indexOf(`### \`${code}\`\n`);
  if (start === -1) return undefined;
  const end = doc.indexOf('\n#', start + 4);
  return doc.slice(start, end === -1 ? undefined : end);
}

describe('docs/problems.md', () => {
  it.each(Object.entries(ERROR_TABLE))('documents %s with its type URI, status and title', (code, entry) => {
    const text = section(code);
    expect(text, `add a "### \`${code}\`" section to docs/problems.md`).toBeDefined();
    expect(text).toContain(`type: \`${PROBLEM_TYPE_BASE}${entry.slug}\``);
    expect(text).toContain(`status: ${entry.status}`);
    expect(text).toContain(`title: ${entry.title}`);
    // A sentence saying when it happens, beyond the three fact lines.
    expect(
      text!.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('-')).length,
    ).toBeGreaterThan(1);
  });

  it('documents no code that does not exist', () => {
    const documented = [...doc.matchAll(/^### `(ERR_LLMGUARD_[A-Z0-9_]+)`$/gm)].map((m) => m[1]);
    expect(documented.filter((code) => !(code! in ERROR_TABLE))).toEqual([]);
  });
});
