// The orders API for administrators (SPEC 4.4), as the orders pages call it.
import type { ActionButton, ActionBody, AdminOrder, OrdersQuery } from '../logic/orders';
import { joinCsvParts } from '../logic/report';
import { ok, type Api, type Schemas } from './client';

export interface OrdersPage {
  orders: Schemas['Order'][];
  next: string | undefined;
}

export async function listOrders(api: Api, site: string, query: OrdersQuery & { limit?: number; cursor?: string }): Promise<OrdersPage> {
  const page = await ok(api.GET('/sites/{site}/orders', { params: { path: { site }, query } }));
  return { orders: page.orders ?? [], next: page.next || undefined };
}

export function getOrder(api: Api, site: string, ref: string): Promise<AdminOrder> {
  return ok(api.GET('/sites/{site}/orders/{ref}', { params: { path: { site, ref } } }));
}

/** act runs one of the order's actions; the answer is the order after it. */
export function act(api: Api, site: string, ref: string, button: ActionButton, body: ActionBody): Promise<AdminOrder> {
  const params = { path: { site, ref } };
  return button.route === 'capture'
    ? ok(api.POST('/sites/{site}/orders/{ref}/capture', { params, body }))
    : ok(api.POST('/sites/{site}/orders/{ref}/void', { params, body: body.note ? { note: body.note } : {} }));
}

/**
 * ordersCsv is the export of the list's selection (one answer, no paging) as the file to
 * save: with its BOM, which reading the answer as text drops, for spreadsheets to read UTF-8.
 */
export async function ordersCsv(api: Api, site: string, query: OrdersQuery): Promise<string> {
  const answer = await api.GET('/sites/{site}/orders/report.csv', { params: { path: { site }, query }, parseAs: 'text' });
  if (!answer.response.ok) await ok(Promise.resolve(answer));
  return joinCsvParts([String(answer.data ?? '')]);
}
