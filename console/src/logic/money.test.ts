import { describe, expect, it } from 'vitest';
import { formatMoney, minorToDecimal } from './money';

describe('minorToDecimal', () => {
  it.each([
    [4900, 2, '49.00'],
    [1999, 2, '19.99'],
    [5, 2, '0.05'],
    [0, 2, '0.00'],
    [-1999, 2, '-19.99'],
    [1234, 0, '1234'],
    [1234, 3, '1.234'],
    [900719925474099, 2, '9007199254740.99'],
  ])('%d with %d digits is %s', (minor, digits, want) => {
    expect(minorToDecimal(minor, digits)).toBe(want);
  });
});

describe('formatMoney', () => {
  // Intl's own output, so that the test says what the conventions are without hard-coding
  // a particular ICU's spaces; the amount must be the exact decimal.
  const intl = (value: number, currency: string, lang: string) => new Intl.NumberFormat(lang, { style: 'currency', currency }).format(value);
  it('uses the currency’s minor-unit digits', () => {
    expect(formatMoney(4900, 'USD', 'en')).toBe('$49.00');
    expect(formatMoney(4410, 'GBP', 'en')).toBe('£44.10');
    expect(formatMoney(4900, 'JPY', 'en')).toBe(intl(4900, 'JPY', 'en'));
    expect(formatMoney(4900, 'KWD', 'en')).toBe(intl(4.9, 'KWD', 'en'));
  });
  it('follows the language', () => {
    for (const lang of ['nl', 'nb', 'ro', 'fr']) {
      expect(formatMoney(123456, 'EUR', lang)).toBe(intl(1234.56, 'EUR', lang));
      expect(formatMoney(123456, 'EUR', lang)).toMatch(/1.?234,56/);
    }
  });
  it('is exact where floating point is not', () => {
    // Divided by 100 in floating point this is ...408.9375, shown as .94.
    expect(formatMoney(9007199254740893, 'USD', 'en')).toBe('$90,071,992,547,408.93');
  });
  it('shows an unknown currency as a number and its code', () => {
    expect(formatMoney(4900, 'XX1', 'en')).toBe('49.00 XX1');
    expect(formatMoney(4900, '', 'en')).toBe('49.00');
  });
});
