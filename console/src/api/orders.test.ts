import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionBody, actionButtons, type AdminOrder } from '../logic/orders';
import { createApi } from './client';
import { ApiError } from './errors';
import { act, getOrder, listOrders, ordersCsv } from './orders';

// An order as the API answers it (infra/api/openapi.yaml, AdminOrder).
const authorised: AdminOrder = {
  ref: 'ord_7Hq2',
  site: 'acme',
  state: 'authorised',
  test: false,
  offering: { service: 'events', type: 'event', id: 'ev-1', name: 'Go Workshop', priceMinor: 4900, currency: 'USD' },
  buyer: { name: 'Ann', email: 'ann@example.com' },
  code: 'SPRING10',
  currency: 'USD',
  priceMinor: 4900,
  discountMinor: 490,
  totalMinor: 4410,
  provider: 'payflow_pro',
  providerRefs: { tokenId: 'tok-1', pnref: 'A10P0E1F3A2B' },
  history: [
    { at: '2026-12-01T10:00:00Z', to: 'pending_payment', by: 'buyer' },
    { at: '2026-12-01T10:02:00Z', from: 'pending_payment', to: 'authorised', by: 'provider:payflow_pro', notification: 'inquiry' },
  ],
  actions: ['capture', 'void'],
};

interface Seen {
  method: string;
  url: URL;
  auth: string | null;
  body: unknown;
}

/** answering has the API answer each request in turn, and records what the console sent. */
function answering(...answers: Response[]) {
  const seen: Seen[] = [];
  vi.stubGlobal('fetch', async (req: Request) => {
    const text = await req.text();
    seen.push({ method: req.method, url: new URL(req.url), auth: req.headers.get('Authorization'), body: text ? JSON.parse(text) : undefined });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${req.method} ${req.url}`);
    return next;
  });
  const api = createApi('https://api.example.com', () => 'tok', () => undefined);
  return { api, seen };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the orders API', () => {
  it('lists a page with the filters and the cursor', async () => {
    const { api, seen } = answering(json(200, { orders: [authorised], next: 'c2' }));
    const page = await listOrders(api, 'acme', { test: true, state: 'authorised', code: 'SPRING10', from: '2026-12-01', limit: 25, cursor: 'c1' });
    expect(page).toEqual({ orders: [authorised], next: 'c2' });
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.url.pathname).toBe('/sites/acme/orders');
    expect(Object.fromEntries(seen[0]!.url.searchParams)).toEqual({ test: 'true', state: 'authorised', code: 'SPRING10', from: '2026-12-01', limit: '25', cursor: 'c1' });
    expect(seen[0]?.auth).toBe('Bearer tok');
  });

  it('reads the last page as having no next', async () => {
    const { api } = answering(json(200, { orders: [] }));
    expect(await listOrders(api, 'acme', {})).toEqual({ orders: [], next: undefined });
  });

  it('reads one order by its reference', async () => {
    const { api, seen } = answering(json(200, authorised));
    expect(await getOrder(api, 'acme', 'ord/7')).toEqual(authorised);
    expect(seen[0]?.url.pathname).toBe('/sites/acme/orders/ord%2F7');
  });

  it('captures, records a capture made elsewhere, and voids, each by its route and body', async () => {
    const captured = { ...authorised, state: 'captured', actions: [] } as AdminOrder;
    const voided = { ...authorised, state: 'voided', actions: [] } as AdminOrder;
    const { api, seen } = answering(json(200, captured), json(200, captured), json(200, voided));
    const [capture, void_] = actionButtons(authorised.actions);
    const [record] = actionButtons(['record_capture']);
    expect((await act(api, 'acme', 'ord_7Hq2', capture!, actionBody('capture', ''))).state).toBe('captured');
    expect((await act(api, 'acme', 'ord_7Hq2', record!, actionBody('record_capture', ' WP 8812 '))).state).toBe('captured');
    expect((await act(api, 'acme', 'ord_7Hq2', void_!, actionBody('void', 'buyer asked'))).state).toBe('voided');
    expect(seen.map((s) => [s.method, s.url.pathname, s.body])).toEqual([
      ['POST', '/sites/acme/orders/ord_7Hq2/capture', {}],
      ['POST', '/sites/acme/orders/ord_7Hq2/capture', { elsewhere: true, note: 'WP 8812' }],
      ['POST', '/sites/acme/orders/ord_7Hq2/void', { note: 'buyer asked' }],
    ]);
  });

  it('throws the API’s refusal with its code and details', async () => {
    const { api } = answering(
      json(409, { error: { code: 'conflict', message: 'the order is captured, not authorised' } }),
      json(400, { error: { code: 'invalid_input', message: 'note: too long', details: [{ field: 'note', reason: 'at most 500 characters' }] } }),
    );
    const [capture] = actionButtons(['capture']);
    const conflict = await act(api, 'acme', 'r', capture!, {}).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ApiError);
    expect(conflict).toMatchObject({ status: 409, code: 'conflict', message: 'the order is captured, not authorised' });
    const invalid = await act(api, 'acme', 'r', capture!, { note: 'x'.repeat(501) }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 'invalid_input', details: [{ field: 'note', reason: 'at most 500 characters' }] });
  });

  it('fetches the CSV with the filters, as text', async () => {
    const csv = '\uFEFFref,created_at,state\r\nord_7Hq2,2026-12-01T10:00:00Z,authorised\r\n';
    const { api, seen } = answering(new Response(csv, { status: 200, headers: { 'Content-Type': 'text/csv' } }));
    expect(await ordersCsv(api, 'acme', { state: 'authorised' })).toBe(csv);
    expect(seen[0]?.url.pathname).toBe('/sites/acme/orders/report.csv');
    expect(seen[0]?.url.search).toBe('?state=authorised');
  });

  it('throws a refused CSV export as an ApiError', async () => {
    const { api } = answering(json(400, { error: { code: 'invalid_input', message: 'to: must be later than from', details: [{ field: 'to', reason: 'must be later than from' }] } }));
    await expect(ordersCsv(api, 'acme', { from: '2026-12-02', to: '2026-12-01' })).rejects.toMatchObject({ code: 'invalid_input', details: [{ field: 'to' }] });
  });
});
