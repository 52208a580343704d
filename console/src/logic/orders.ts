// The orders list's filters as query parameters, and an order's actions as the page's
// buttons and the API's requests (SPEC 4.4).
import type { Schemas } from '../api/client';
import type { paths } from '../api/schema';

export type AdminOrder = Schemas['AdminOrder'];
export type OrderState = NonNullable<Schemas['Order']['state']>;

// In the order an order goes through them, as the state filter lists them.
export const ORDER_STATES: readonly OrderState[] = [
  'pending_payment',
  'authorised',
  'captured',
  'completed',
  'cancelled',
  'failed',
  'expired',
  'voided',
  'refunded',
];

export interface OrderFilters {
  state: '' | OrderState;
  from: string;
  to: string;
  code: string;
  // The test orders instead of the production ones (SPEC 4.1: left out unless asked for).
  test: boolean;
}

export const NO_ORDER_FILTERS: OrderFilters = { state: '', from: '', to: '', code: '', test: false };

export type OrdersQuery = NonNullable<paths['/sites/{site}/orders/report.csv']['get']['parameters']['query']>;

/** ordersQuery keeps the filters that are set (the API refuses an empty value); the list and its CSV take the same. */
export function ordersQuery(f: OrderFilters): OrdersQuery {
  const q: OrdersQuery = {};
  if (f.test) q.test = true;
  if (f.state) q.state = f.state;
  const code = f.code.trim();
  if (code) q.code = code;
  if (f.from.trim()) q.from = f.from.trim();
  if (f.to.trim()) q.to = f.to.trim();
  return q;
}

export type OrderAction = NonNullable<AdminOrder['actions']>[number];

export interface ActionButton {
  action: OrderAction;
  // Which of the API's two routes does it.
  route: 'capture' | 'void';
  // How the page shows it: capturing is the one expected next (primary); recording a
  // capture made in the provider's own interface is the alternative (secondary); voiding
  // gives the authorisation up (danger).
  look: 'primary' | 'secondary' | 'danger';
}

// The buttons in the order the page shows them.
const BUTTONS: readonly ActionButton[] = [
  { action: 'capture', route: 'capture', look: 'primary' },
  { action: 'record_capture', route: 'capture', look: 'secondary' },
  { action: 'void', route: 'void', look: 'danger' },
];

/** actionButtons: a button for each action the API lists for the order now, and no other. */
export function actionButtons(actions: readonly string[] | undefined): ActionButton[] {
  const listed = new Set(actions ?? []);
  return BUTTONS.filter((b) => listed.has(b.action));
}

export type ActionBody = { elsewhere?: boolean; note?: string };

/** actionBody is the request's body: a recorded capture says it was made elsewhere; a note only when one is typed. */
export function actionBody(action: OrderAction, note: string): ActionBody {
  const body: ActionBody = action === 'record_capture' ? { elsewhere: true } : {};
  if (note.trim()) body.note = note.trim();
  return body;
}

export type ProviderRefName = keyof NonNullable<AdminOrder['providerRefs']>;

const REF_NAMES: readonly ProviderRefName[] = ['transactionId', 'captureId', 'pnref', 'tokenId', 'token', 'payerId'];

/** providerRefs lists the provider's identifiers the order has, the transaction number first. */
export function providerRefs(o: AdminOrder): { name: ProviderRefName; value: string }[] {
  const refs = o.providerRefs ?? {};
  return REF_NAMES.flatMap((name) => (refs[name] ? [{ name, value: refs[name] }] : []));
}

/** Who moved an order, as the history names it: a party the page names in words, or a person. */
export type Actor = { kind: 'buyer' | 'sweep' | 'checkout' } | { kind: 'provider'; provider: string } | { kind: 'person'; name: string };

/** actorOf reads a history entry's "by": "buyer", "sweep", "checkout", "provider:<kind>", or an administrator ("admin:<who>"). */
export function actorOf(by: string | undefined): Actor {
  const who = by ?? '';
  if (who === 'buyer' || who === 'sweep' || who === 'checkout') return { kind: who };
  if (who.startsWith('provider:')) return { kind: 'provider', provider: who.slice('provider:'.length) };
  return { kind: 'person', name: who.startsWith('admin:') ? who.slice('admin:'.length) : who };
}
