import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../api/client';
import { ApiError, byField } from '../api/errors';
import { listOrders, ordersCsv } from '../api/orders';
import { CheckField, SelectField, TextField } from '../components/fields';
import { ErrorSummary, asApiError } from '../components/ErrorSummary';
import { Pager } from '../components/Pager';
import { useApp } from '../context';
import { csvFileName, saveFile } from '../logic/download';
import { NO_ORDER_FILTERS, ORDER_STATES, ordersQuery, type OrderFilters } from '../logic/orders';
import { Pages } from '../logic/report';
import { href } from '../router';
import { OrderStateBadge, TestBadge } from './orderParts';

const PAGE_SIZES = ['10', '25', '50', '100', '200'] as const;

/** The site's orders, newest first: the production ones unless the test ones are asked for (SPEC 4.4). */
export function OrdersPage() {
  const { api, site, t, formatDateTime, formatMoney } = useApp();
  const [filters, setFilters] = useState<OrderFilters>(NO_ORDER_FILTERS);
  // The list shows at once, with no filter; the form changes it when submitted.
  const [applied, setApplied] = useState<OrderFilters>(NO_ORDER_FILTERS);
  const [pages, setPages] = useState(() => new Pages());
  const [limit, setLimit] = useState<(typeof PAGE_SIZES)[number]>('50');
  const [orders, setOrders] = useState<Schemas['Order'][] | null>(null);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const errors = byField(error);
  const set = <K extends keyof OrderFilters>(k: K) => (v: OrderFilters[K]) => setFilters({ ...filters, [k]: v });

  useEffect(() => {
    setError(null);
    setLoading(true);
    const query = { ...ordersQuery(applied), limit: Number(limit), ...(pages.current ? { cursor: pages.current } : {}) };
    // A late answer to an older query must not replace the current one.
    let stale = false;
    listOrders(api, site, query).then(
      (page) => {
        if (stale) return;
        setOrders(page.orders);
        setNext(page.next);
        setLoading(false);
      },
      (e) => {
        if (stale) return;
        setError(asApiError(e));
        setLoading(false);
      },
    );
    return () => {
      stale = true;
    };
  }, [applied, pages, limit]);

  const show = (e: Event) => {
    e.preventDefault();
    setApplied({ ...filters });
    setPages(new Pages());
  };
  const download = async () => {
    setError(null);
    try {
      saveFile(csvFileName('orders', site, new Date()), await ordersCsv(api, site, ordersQuery(applied)));
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('orders.title')}</h1>
      <form onSubmit={show} noValidate class="filters">
        <ErrorSummary error={error} title={t('app.notShown')} />
        <fieldset class="group">
          <legend>{t('orders.filters')}</legend>
          <div class="grid">
            <SelectField<OrderFilters['state']>
              id="state"
              name="state"
              label={t('orders.state')}
              value={filters.state}
              options={[{ value: '', label: t('report.any') }, ...ORDER_STATES.map((s) => ({ value: s, label: t(`orders.state.${s}`) }))]}
              onChange={set('state')}
              errors={errors}
            />
            <TextField id="from" name="from" type="date" label={t('report.createdFrom')} hint={t('orders.datesHint')} value={filters.from} onInput={set('from')} errors={errors} />
            <TextField id="to" name="to" type="date" label={t('report.createdTo')} hint={t('orders.datesHint')} value={filters.to} onInput={set('to')} errors={errors} />
            <TextField id="code" name="code" label={t('report.code')} value={filters.code} onInput={set('code')} errors={errors} />
          </div>
          <CheckField id="test" name="test" label={t('orders.test')} hint={t('orders.testHint')} checked={filters.test} onChange={set('test')} errors={errors} />
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary">
            {t('orders.show')}
          </button>
          <button type="button" onClick={download}>
            {t('report.download')}
          </button>
        </div>
      </form>

      <div data-testid="orders-result" aria-busy={loading ? 'true' : 'false'}>
        <p class="hint" data-testid="orders-kind">
          {applied.test ? t('orders.showingTest') : t('orders.showingProduction')}
        </p>
        {!orders ? (
          <p aria-busy="true">{t('app.loading')}</p>
        ) : orders.length === 0 ? (
          <p>{t('orders.empty')}</p>
        ) : (
          <div class="table-wrap">
            <table data-testid="orders">
              <thead>
                <tr>
                  <th scope="col">{t('orders.col.ref')}</th>
                  <th scope="col">{t('report.col.created')}</th>
                  <th scope="col">{t('orders.col.buyer')}</th>
                  <th scope="col">{t('orders.col.offering')}</th>
                  <th scope="col">{t('report.col.code')}</th>
                  <th scope="col" class="num">{t('orders.col.total')}</th>
                  <th scope="col">{t('orders.state')}</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((o) => (
                  <tr key={o.ref} data-ref={o.ref} data-state={o.state} data-test={o.test ? 'true' : 'false'}>
                    <td>
                      <a href={href({ page: 'order', ref: o.ref ?? '' })}>
                        <code>{o.ref}</code>
                      </a>
                    </td>
                    <td class="nowrap">{formatDateTime(o.createdAt)}</td>
                    <td>
                      {o.buyer?.name}
                      <br />
                      <span class="hint">{o.buyer?.email}</span>
                    </td>
                    <td>{o.offering?.name}</td>
                    <td>{o.code ? <code>{o.code}</code> : t('app.none')}</td>
                    <td class="num nowrap" data-col="total">
                      {formatMoney(o.totalMinor, o.currency)}
                    </td>
                    <td data-col="state">
                      <OrderStateBadge state={o.state} />
                      {o.test && <TestBadge />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <Pager pages={pages} next={next} onPages={setPages} limit={limit} sizes={PAGE_SIZES} onLimit={setLimit} errors={errors} />
    </section>
  );
}
