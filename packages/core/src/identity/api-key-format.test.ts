import { describe, expect, it } from 'vitest';
import {
  apiKeyLength,
  apiKeyMatchesHash,
  generateApiKey,
  hashApiKey,
  parseApiKey,
} from './api-key-format.js';

describe('API key format', () => {
  it('generates keys that parse back to their id, with the documented layout', () => {
    const { key, id, hash } = generateApiKey();
    expect(key).toHaveLength(apiKeyLength());
    expect(key.startsWith(`llmg_${id}_`)).toBe(true);
    expect(parseApiKey(key)).toEqual({ prefix: 'llmg', id });
    expect(hash).toBe(hashApiKey(key));
    expect(hash.startsWith('sha256:')).toBe(true);
    expect(hash).not.toContain(key.slice(18));
  });

  it('never generates the same key twice', () => {
    const keys = new Set(Array.from({ length: 500 }, () => generateApiKey().key));
    expect(keys.size).toBe(500);
  });

  it('rejects every single-character typo without a lookup (checksum)', () => {
    const { key } = generateApiKey();
    for (let i = 5; i < key.length; i++) {
      if (key[i] === '_') continue;
      const replacement = key[i] === 'a' ? 'b' : 'a';
      const typo = key.slice(0, i) + replacement + key.slice(i + 1);
      expect(parseApiKey(typo), `position ${i}`).toBeUndefined();
    }
  });

  it('rejects swapped neighbours, truncation, another prefix and junk', () => {
    const { key } = generateApiKey();
    const i = 30;
    const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
    if (swapped !== key) expect(parseApiKey(swapped)).toBeUndefined();
    expect(parseApiKey(key.slice(0, -1))).toBeUndefined();
    expect(parseApiKey(`${key}x`)).toBeUndefined();
    expect(parseApiKey(key.replace('llmg_', 'abcd_'))).toBeUndefined();
    expect(parseApiKey('')).toBeUndefined();
    expect(parseApiKey('llmg_' + '!'.repeat(apiKeyLength() - 5))).toBeUndefined();
    expect(parseApiKey(key.replace(/_/g, '-'))).toBeUndefined();
  });

  it('supports a custom prefix', () => {
    const { key, id } = generateApiKey('acme');
    expect(key.startsWith('acme_')).toBe(true);
    expect(parseApiKey(key, 'acme')).toEqual({ prefix: 'acme', id });
    expect(parseApiKey(key)).toBeUndefined();
  });

  it('compares a presented key with the stored hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(apiKeyMatchesHash(a.key, a.hash)).toBe(true);
    expect(apiKeyMatchesHash(b.key, a.hash)).toBe(false);
    expect(apiKeyMatchesHash(a.key, 'sha256:short')).toBe(false);
  });
});
