import { describe, expect, it } from 'vitest';
import { NO_ORDER_FILTERS, ORDER_STATES, actionBody, actorOf, actionButtons, ordersQuery, providerRefs, type AdminOrder } from './orders';

describe('ordersQuery', () => {
  it('asks for production orders unless test orders are asked for', () => {
    expect(ordersQuery(NO_ORDER_FILTERS)).toEqual({});
    expect(ordersQuery({ ...NO_ORDER_FILTERS, test: true })).toEqual({ test: true });
  });
  it('keeps the set filters, trimmed', () => {
    expect(ordersQuery({ state: 'authorised', from: '2026-12-01', to: ' 2026-12-31 ', code: ' spring10 ', test: false })).toEqual({
      state: 'authorised',
      from: '2026-12-01',
      to: '2026-12-31',
      code: 'spring10',
    });
    expect(ordersQuery({ ...NO_ORDER_FILTERS, code: '   ' })).toEqual({});
  });
});

it('lists every state the API has, once', () => {
  expect(new Set(ORDER_STATES).size).toBe(9);
});

describe('actionButtons', () => {
  it('shows a button for each action the API lists, in the page’s order', () => {
    expect(actionButtons(['void', 'capture']).map((b) => b.action)).toEqual(['capture', 'void']);
    expect(actionButtons(['record_capture', 'void']).map((b) => [b.action, b.route, b.look])).toEqual([
      ['record_capture', 'capture', 'secondary'],
      ['void', 'void', 'danger'],
    ]);
    expect(actionButtons(['capture', 'record_capture']).map((b) => b.look)).toEqual(['primary', 'secondary']);
  });
  it('shows none when the API lists none, or only ones it does not know', () => {
    expect(actionButtons([])).toEqual([]);
    expect(actionButtons(undefined)).toEqual([]);
    expect(actionButtons(['refund'])).toEqual([]);
  });
});

describe('actionBody', () => {
  it('says a recorded capture was made elsewhere, and sends a note only when typed', () => {
    expect(actionBody('capture', '')).toEqual({});
    expect(actionBody('capture', '  ')).toEqual({});
    expect(actionBody('void', ' duplicate order ')).toEqual({ note: 'duplicate order' });
    expect(actionBody('record_capture', 'WP 88121')).toEqual({ elsewhere: true, note: 'WP 88121' });
    expect(actionBody('record_capture', '')).toEqual({ elsewhere: true });
  });
});

it('lists the provider’s references the order has, the transaction number first', () => {
  const o: AdminOrder = { providerRefs: { token: 'EC-1', payerId: 'P9', transactionId: '8TX', captureId: '9CP', tokenId: '' } };
  expect(providerRefs(o)).toEqual([
    { name: 'transactionId', value: '8TX' },
    { name: 'captureId', value: '9CP' },
    { name: 'token', value: 'EC-1' },
    { name: 'payerId', value: 'P9' },
  ]);
  expect(providerRefs({})).toEqual([]);
});

it('reads who moved an order', () => {
  expect(actorOf('buyer')).toEqual({ kind: 'buyer' });
  expect(actorOf('sweep')).toEqual({ kind: 'sweep' });
  expect(actorOf('provider:worldpay')).toEqual({ kind: 'provider', provider: 'worldpay' });
  expect(actorOf('admin <admin@acme.example>')).toEqual({ kind: 'person', name: 'admin <admin@acme.example>' });
  expect(actorOf('admin:local-admin <admin@example.com>')).toEqual({ kind: 'person', name: 'local-admin <admin@example.com>' });
  expect(actorOf(undefined)).toEqual({ kind: 'person', name: '' });
});
