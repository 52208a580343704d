import { describe, expect, it } from 'vitest';
import { HOME, href, parseRoute, type Route } from './router';

describe('routes', () => {
  const routes: Route[] = [
    { page: 'settings', service: 'training' },
    { page: 'provider', service: 'events' },
    { page: 'create' },
    { page: 'import' },
    { page: 'import', job: '20261201T1200Z-ab/c' },
    { page: 'report' },
    { page: 'orders' },
    { page: 'order', ref: 'ord_7Hq2/x' },
    { page: 'audit' },
  ];
  it.each(routes)('round-trips %j', (r) => {
    expect(parseRoute(href(r))).toEqual(r);
  });
  it('falls back to the events settings', () => {
    expect(parseRoute('')).toEqual(HOME);
    expect(parseRoute('#/nowhere')).toEqual(HOME);
    expect(parseRoute('#/settings/nope')).toEqual({ page: 'settings', service: 'events' });
  });
});
