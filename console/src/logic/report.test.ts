import { describe, expect, it } from 'vitest';
import { csvFileName } from './download';
import { NO_FILTERS, Pages, joinCsvParts, reportQuery } from './report';

describe('reportQuery', () => {
  it('leaves out unset filters and trims the rest', () => {
    expect(reportQuery({ ...NO_FILTERS, code: ' SPR* ', status: 'deleted' })).toEqual({ code: 'SPR*', status: 'deleted' });
    expect(reportQuery(NO_FILTERS)).toEqual({});
  });
});

describe('joinCsvParts', () => {
  const header = 'Code,Service\r\n';
  it('keeps one BOM and one header', () => {
    const parts = [`\uFEFF${header}A,events\r\n`, `\uFEFF${header}B,training\r\n`, `\uFEFF${header}C,events\r\n`];
    expect(joinCsvParts(parts)).toBe(`\uFEFF${header}A,events\r\nB,training\r\nC,events\r\n`);
  });
  it('passes a single part through', () => {
    expect(joinCsvParts([`\uFEFF${header}A,events\r\n`])).toBe(`\uFEFF${header}A,events\r\n`);
  });
});

describe('Pages', () => {
  it('goes forward by cursors and back by the ones seen', () => {
    let p = new Pages();
    expect([p.number, p.current, p.hasPrevious]).toEqual([1, undefined, false]);
    p = p.next('c2').next('c3');
    expect([p.number, p.current]).toEqual([3, 'c3']);
    p = p.previous();
    expect([p.number, p.current, p.hasPrevious]).toEqual([2, 'c2', true]);
    // Going forward again from page 2 forgets the old page 3.
    p = p.next('c3b');
    expect(p.current).toBe('c3b');
    expect(p.previous().previous().current).toBeUndefined();
  });
});

it('names the CSV after what it holds, the site and the day (in UTC)', () => {
  expect(csvFileName('promo-codes', 'demo', new Date('2026-12-01T10:00:00Z'))).toBe('promo-codes-demo-2026-12-01.csv');
  expect(csvFileName('orders', 'acme', new Date('2026-12-31T23:30:00-05:00'))).toBe('orders-acme-2027-01-01.csv');
});
