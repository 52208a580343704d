// Routes live in the URL's fragment so that any static host serves the console without
// rewrite rules.
import type { Service } from './api/client';
import { SERVICES } from './api/client';

export type Route =
  | { page: 'settings'; service: Service }
  | { page: 'provider'; service: Service }
  | { page: 'create' }
  | { page: 'import'; job?: string }
  | { page: 'report' }
  | { page: 'orders' }
  | { page: 'order'; ref: string }
  | { page: 'audit' };

export const HOME: Route = { page: 'settings', service: 'events' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [page, arg] = parts;
  const service = SERVICES.find((s) => s === arg);
  switch (page) {
    case 'settings':
    case 'provider':
      return service ? { page, service } : { page, service: 'events' };
    case 'create':
    case 'report':
    case 'audit':
      return { page };
    case 'import':
      return arg ? { page, job: arg } : { page };
    case 'orders':
      return arg ? { page: 'order', ref: arg } : { page };
    default:
      return HOME;
  }
}

export function href(r: Route): string {
  switch (r.page) {
    case 'settings':
    case 'provider':
      return `#/${r.page}/${r.service}`;
    case 'import':
      return r.job ? `#/import/${encodeURIComponent(r.job)}` : '#/import';
    case 'order':
      return `#/orders/${encodeURIComponent(r.ref)}`;
    default:
      return `#/${r.page}`;
  }
}
