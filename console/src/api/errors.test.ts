import { describe, expect, it } from 'vitest';
import { ApiError, byField, fieldKey, toApiError, unshown } from './errors';

describe('toApiError', () => {
  it('reads the API’s error body with its details', () => {
    const e = toApiError(400, {
      error: { code: 'invalid_input', message: 'cards[1]: no', details: [{ field: 'cards[1]', reason: 'no' }, { line: 3, reason: 'bad line' }, { nonsense: 1 }] },
    });
    expect([e.status, e.code, e.message]).toEqual([400, 'invalid_input', 'cards[1]: no']);
    expect(e.details).toEqual([{ field: 'cards[1]', reason: 'no' }, { line: 3, reason: 'bad line' }]);
  });
  it('reads API Gateway’s own answers', () => {
    expect(toApiError(401, { message: 'Unauthorized' })).toMatchObject({ code: 'unauthenticated', message: 'Unauthorized' });
    expect(toApiError(502, 'Bad Gateway')).toMatchObject({ code: 'http_502' });
  });
});

describe('errors by field', () => {
  const e = new ApiError(400, 'invalid_input', 'x', [
    { field: 'cards[1]', reason: 'jcb not accepted' },
    { field: 'cards[3]', reason: 'diners not accepted' },
    { field: 'paymentPage.header', reason: 'too long' },
    { field: 'foo', reason: 'unknown field' },
    { line: 2, reason: 'not an address' },
  ]);
  it('puts list items under their list and keeps nested paths whole', () => {
    expect(fieldKey('cards[12]')).toBe('cards');
    expect(fieldKey('paymentPage.header')).toBe('paymentPage.header');
    const m = byField(e);
    expect(m.get('cards')).toEqual(['jcb not accepted', 'diners not accepted']);
    expect(m.get('paymentPage.header')).toEqual(['too long']);
  });
  it('leaves for the summary what no field shows', () => {
    expect(unshown(e, ['cards', 'paymentPage.header'])).toEqual([
      { field: 'foo', reason: 'unknown field' },
      { line: 2, reason: 'not an address' },
    ]);
  });
});
