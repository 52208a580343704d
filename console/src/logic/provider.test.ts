import { describe, expect, it } from 'vitest';
import { RULES, cardChoices, emptyForm, formFromSetup, toInput, withAccountType, withKind } from './provider';

describe('card choices follow the seeds', () => {
  it('offers no card with Website Payments Pro', () => {
    expect(cardChoices('website_payments_pro')).toEqual([]);
  });
  it('offers the four cards of the Payflow Edition and the six of Payflow Pro', () => {
    expect(cardChoices('payments_pro_payflow_edition')).toEqual(['visa', 'mastercard', 'amex', 'discover']);
    expect(cardChoices('payflow_pro')).toEqual(['visa', 'mastercard', 'amex', 'discover', 'diners_club', 'jcb']);
  });
  it('offers the UK debit cards with the UK Payflow Edition', () => {
    expect(cardChoices('website_payments_pro_payflow_edition')).toEqual(['visa', 'visa_debit', 'visa_electron', 'mastercard']);
  });
  it('drops a chosen card the new account type does not offer', () => {
    const f = { ...emptyForm('payflow_pro'), accountType: 'payflow_pro' as const, cards: ['visa' as const, 'jcb' as const] };
    expect(withAccountType(f, 'payments_pro_payflow_edition').cards).toEqual(['visa']);
    expect(withAccountType(f, 'website_payments_pro').cards).toEqual([]);
  });
});

describe('currencies per kind', () => {
  it('defaults each kind to the seeds’ currency', () => {
    expect(emptyForm('express_checkout_us').currency).toBe('USD');
    expect(emptyForm('express_checkout_ca').currency).toBe('CAD');
    expect(emptyForm('website_payments_pro_uk').currency).toBe('GBP');
  });
  it('keeps EUR for WorldPay only and Payflow Pro to USD', () => {
    expect(RULES.worldpay.currencies).toContain('EUR');
    for (const kind of ['payflow_pro', 'express_checkout_us', 'express_checkout_ca', 'website_payments_pro_uk'] as const) {
      expect(RULES[kind].currencies).not.toContain('EUR');
    }
    expect(RULES.payflow_pro.currencies).toEqual(['USD']);
  });
  it('switching kind takes the new kind’s default currency', () => {
    const uk = withKind(emptyForm('payflow_pro'), 'website_payments_pro_uk');
    expect(uk.currency).toBe('GBP');
    expect(withKind({ ...uk, currency: 'EUR' }, 'worldpay').currency).toBe('USD');
  });
});

describe('the PUT body', () => {
  it('holds only the chosen kind’s fields', () => {
    const f = { ...emptyForm('payflow_pro'), paypalEmail: 'left@over.example', installationId: '123', partnerId: 'PayPal', vendor: 'v', userId: 'u', accountType: 'payflow_pro' as const, cards: ['visa' as const] };
    expect(toInput(f)).toEqual({ kind: 'payflow_pro', currency: 'USD', partnerId: 'PayPal', vendor: 'v', userId: 'u', accountType: 'payflow_pro', cards: ['visa'], expressCheckout: false });
    const ec = withKind(f, 'express_checkout_ca');
    expect(toInput({ ...ec, paypalEmail: 'p@x.example' })).toEqual({ kind: 'express_checkout_ca', currency: 'CAD', paypalEmail: 'p@x.example' });
  });
  it('sends a secret only when one was typed, and "" to remove the MD5 secret', () => {
    const wp = { ...emptyForm('worldpay'), installationId: '204596' };
    expect(toInput(wp)).toEqual({ kind: 'worldpay', currency: 'USD', installationId: '204596' });
    const typed = { ...wp, secrets: { ...wp.secrets, callbackPassword: 'Wp-Callback' } };
    expect(toInput(typed)).toMatchObject({ callbackPassword: 'Wp-Callback' });
    expect(toInput({ ...wp, removeMd5Secret: true })).toMatchObject({ md5Secret: '' });
  });
  it('never sends cards the account type does not offer', () => {
    const f = { ...emptyForm('website_payments_pro_uk'), accountType: 'website_payments_pro' as const, cards: ['visa' as const] };
    expect(toInput(f).cards).toEqual([]);
  });
  it('reads a stored setup back into the form without secrets', () => {
    const f = formFromSetup({ kind: 'express_checkout_us', paypalEmail: 'a@b.example', currency: 'GBP', secrets: { password: { set: true } } });
    expect(f.kind).toBe('express_checkout_us');
    expect(f.currency).toBe('GBP');
    expect(f.secrets.password).toBe('');
  });
});
