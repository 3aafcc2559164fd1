import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTORS } from '../pii-guard.js';
import { createPiiScanner } from '../scanner.js';
import { ibanValid } from './iban.js';
import { luhnValid } from './luhn.js';
import { paymentCardValid } from './payment-card.js';
import { usSsnValid } from './us-ssn.js';

const scanner = createPiiScanner(DEFAULT_DETECTORS);
const types = (text: string): string[] => scanner.scan(text).matches.map((m) => m.type);

describe('checksums and ranges', () => {
  it('cards: issuer range, length and Luhn', () => {
    expect(paymentCardValid('4111 1111 1111 1111')).toBe(true);
    expect(paymentCardValid('378282246310005')).toBe(true);
    expect(paymentCardValid('4012-8888-8888-1882')).toBe(false);
    expect(paymentCardValid('0000000000000')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });

  it('SSNs: SSA area, group and serial rules', () => {
    expect(usSsnValid('536-32-3065')).toBe(true);
    for (const bad of [
      '000-12-3456',
      '666-12-3456',
      '912-12-3456',
      '123-00-4567',
      '123-45-0000',
      '078-05-1120',
    ]) {
      expect(usSsnValid(bad), bad).toBe(false);
    }
  });

  it('IBANs: country length and mod-97', () => {
    expect(ibanValid('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(ibanValid('DE89 3704 0044 0532 0130 01')).toBe(false);
    expect(ibanValid('XX89 3704 0044 0532 0130 00')).toBe(false);
  });
});

describe('detectors on text', () => {
  it('finds separated cards and tells SSNs from phone numbers', () => {
    expect(types('card 4111-1111-1111-1111 and ssn 536-32-3065, call (415) 555-0132')).toEqual([
      'CREDIT_CARD',
      'US_SSN',
      'PHONE',
    ]);
  });

  it('needs context words for passports, licences, dates of birth and bare SSNs', () => {
    expect(types('ref X1234567 on 12/05/1987, id 536323065')).toEqual([]);
    expect(types('passport X1234567, born 12/05/1987, SSN 536323065')).toEqual([
      'PASSPORT',
      'DATE_OF_BIRTH',
      'US_SSN',
    ]);
  });

  it('keeps look-alikes out', () => {
    expect(types('version 1.2.3.4.5, ratio 1:2:3:4, std::vector, text192.168.1.1')).toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable reference, written literally on purpose.
    expect(types('key = AKIAXXXXXXXXXXXXXXXX, token: ${API_TOKEN}, password = "password"')).toEqual([]);
  });

  it('finds credentials by format, with checksums where the format has one', () => {
    expect(types('AKIAIOSFODNN7EXAMPLF')).toEqual(['AWS_ACCESS_KEY']);
    expect(types('xoxb-263594206564-FGqddMF8t08v8N7Oq4i57vs1')).toEqual(['SLACK_TOKEN']);
    expect(types('postgres://app:Tr0ub4dor3@db.internal:5432/main')).toEqual(['DATABASE_URL']);
    expect(types('client_secret = "9f8a7c6b5e4d3c2b1a0f9e8d7c6b5a4f"')).toEqual(['GENERIC_SECRET']);
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(types(`Bearer ${jwt}`)).toContain('JWT');
    expect(types('ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa000000')).toEqual([]);
  });
});

describe('crafted floods', () => {
  const found = (text: string): string[] => scanner.scan(text).matches.map((m) => `${m.type}:${m.value}`);

  it('still finds values right after long look-alike runs', () => {
    expect(found(`${'4'.repeat(50_000)} card 4111 1111 1111 1111`)).toEqual([
      'CREDIT_CARD:4111 1111 1111 1111',
    ]);
    expect(found(`${'1-'.repeat(20_000)} call (415) 555-0132`)).toEqual(['PHONE:(415) 555-0132']);
    expect(found(`${'1.'.repeat(20_000)} host 10.20.30.40`)).toEqual(['IP_ADDRESS:10.20.30.40']);
    expect(found(`${'ab:'.repeat(20_000)} nic 00:1A:2B:3C:4D:5E`)).toEqual(['MAC_ADDRESS:00:1A:2B:3C:4D:5E']);
    expect(found(`${'DE89 '.repeat(5_000)}\nIBAN DE89 3704 0044 0532 0130 00`)).toEqual([
      'IBAN:DE89 3704 0044 0532 0130 00',
    ]);
  });

  it('reports nothing inside runs that are no single value', () => {
    expect(found('1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1-1')).toEqual([]);
    expect(found('1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1')).toEqual([]);
    expect(found('ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab:ab')).toEqual([]);
    expect(found(`password=${'k9'.repeat(6000)}`)).toEqual([]);
  });

  it('judges a number glued to a longer run by the whole run', () => {
    // Eight digit groups are no phone number, even after a phone word.
    expect(found('phone 415 555 0132 12 34 56 78 90')).toEqual([]);
    expect(found('ip 10.0.0.0/123 is not a network')).toEqual(['IP_ADDRESS:10.0.0.0']);
  });

  it('needs the country code of a 00-prefixed number to stand apart', () => {
    expect(found('dial 0044 20 7123 4567')).toEqual(['PHONE:0044 20 7123 4567']);
    expect(found('ref 001332-1234567')).toEqual([]);
  });

  it('looks for context words only before the value, within the window', () => {
    expect(found('passport X1234567')).toEqual(['PASSPORT:X1234567']);
    expect(found('travel document no. X1234567')).toEqual(['PASSPORT:X1234567']);
    expect(found(`passport${' '.repeat(60)}X1234567`)).toEqual([]);
    expect(found('X1234567 passport')).toEqual([]);
  });

  it('locates values after unpaired surrogates', () => {
    expect(found('\uD800 4111111111111111 \uDC00 bob@example.com')).toEqual([
      'CREDIT_CARD:4111111111111111',
      'EMAIL:bob@example.com',
    ]);
  });
});
