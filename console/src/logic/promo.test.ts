import { describe, expect, it } from 'vitest';
import { createBody, defaultParams, importBody, isoDate, toMinorUnits } from './promo';

describe('toMinorUnits', () => {
  it.each([
    ['5', 500],
    ['5.5', 550],
    ['5,50', 550],
    [' 12.34 ', 1234],
    ['0.01', 1],
  ])('reads %j as %d minor units', (text, minor) => {
    expect(toMinorUnits(text)).toBe(minor);
  });
  it.each(['', 'five', '5.555', '-5', '1e3'])('refuses %j', (text) => {
    expect(toMinorUnits(text)).toBeUndefined();
  });
});

const today = new Date(2026, 11, 1);

describe('creation bodies', () => {
  const params = { ...defaultParams('events', today), percent: '12,5' };
  it('generated codes carry quantity and length', () => {
    expect(createBody(params, { kind: 'generated', quantity: '30', code: '', recipientName: '', recipientEmail: '' })).toEqual({
      service: 'events',
      type: 'generated',
      quantity: 30,
      length: 8,
      usage: { kind: 'once' },
      discount: { kind: 'percent', percent: '12.5' },
      expiresOn: '2027-03-01',
      appliesTo: 'all',
    });
  });
  it('a custom code has no length', () => {
    const body = createBody(params, { kind: 'custom', quantity: '', code: ' SPRING ', recipientName: '', recipientEmail: '' });
    expect(body).toMatchObject({ type: 'custom', code: 'SPRING' });
    expect(body).not.toHaveProperty('length');
  });
  it('a recipient gets one generated code, with the e-mail text when it is overridden', () => {
    const own = { ...params, customTemplate: true, subject: 'Hi', body: 'Your %PromoCode%' };
    const body = createBody(own, { kind: 'recipient', quantity: '', code: '', recipientName: '', recipientEmail: 'a@b.example' });
    expect(body).toMatchObject({ type: 'generated', recipient: { email: 'a@b.example' }, emailTemplate: { subject: 'Hi', body: 'Your %PromoCode%' } });
    expect(body).not.toHaveProperty('quantity');
  });
  it('a fixed amount is sent in minor units; an unreadable one as null for the API to name', () => {
    const amount = { ...params, discountKind: 'amount' as const, amount: '5.00', currency: 'GBP' as const };
    expect(createBody(amount, { kind: 'generated', quantity: '1', code: '', recipientName: '', recipientEmail: '' }).discount).toEqual({ kind: 'amount', amountMinor: 500, currency: 'GBP' });
    const bad = JSON.parse(JSON.stringify(createBody({ ...amount, amount: 'lots' }, { kind: 'generated', quantity: '1', code: '', recipientName: '', recipientEmail: '' })));
    expect(bad.discount.amountMinor).toBeNull();
  });
  it('multiple usage carries its maximum', () => {
    const multi = { ...params, usage: 'multiple' as const, maxUses: '5' };
    expect(createBody(multi, { kind: 'generated', quantity: '1', code: '', recipientName: '', recipientEmail: '' }).usage).toEqual({ kind: 'multiple', max: 5 });
  });
  it('an import names its file and has no type', () => {
    const body = importBody(params, 'attendees.csv');
    expect(body).toMatchObject({ fileName: 'attendees.csv', service: 'events' });
    expect(body).not.toHaveProperty('type');
    expect(body).not.toHaveProperty('emailTemplate');
  });
});

describe('isoDate', () => {
  it('writes the local day', () => {
    expect(isoDate(new Date(2027, 0, 5, 23, 59))).toBe('2027-01-05');
  });
});
