import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, byField } from '../api/errors';
import { act, getOrder } from '../api/orders';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorSummary, asApiError } from '../components/ErrorSummary';
import { TextField } from '../components/fields';
import { useApp } from '../context';
import type { MessageKey, T } from '../i18n';
import { actionBody, actionButtons, actorOf, providerRefs, type ActionButton, type AdminOrder } from '../logic/orders';
import { href } from '../router';
import { OrderStateBadge, TestBadge } from './orderParts';

/** One order: what was bought by whom for how much, its provider's references, its history, and what can be done with it now. */
export function OrderPage({ orderRef }: { orderRef: string }) {
  const { api, site, lang, t, formatMoney } = useApp();
  const [order, setOrder] = useState<AdminOrder | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState<ActionButton | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    let stale = false;
    getOrder(api, site, orderRef).then(
      (o) => stale || setOrder(o),
      (e) => stale || setLoadError(asApiError(e)),
    );
    return () => {
      stale = true;
    };
  }, [orderRef]);

  const run = async (button: ActionButton) => {
    setConfirming(null);
    setBusy(true);
    setActionError(null);
    setDone(false);
    try {
      setOrder(await act(api, site, orderRef, button, actionBody(button.action, note)));
      setNote('');
      setDone(true);
    } catch (e) {
      setActionError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const back = (
    <p>
      <a href={href({ page: 'orders' })}>{t('order.back')}</a>
    </p>
  );
  if (!order) {
    return (
      <section aria-labelledby="page-title">
        {back}
        <h1 id="page-title">{t('order.title', { ref: orderRef })}</h1>
        {loadError ? <ErrorSummary error={loadError} title={t('app.notShown')} /> : <p aria-busy="true">{t('app.loading')}</p>}
      </section>
    );
  }
  const total = formatMoney(order.totalMinor, order.currency);
  const buttons = actionButtons(order.actions);
  // The actions' words name the order's provider: a capture recorded was made in its merchant interface.
  const vars = { ref: order.ref ?? '', total, provider: providerName(order.provider, t) };
  return (
    <section aria-labelledby="page-title" data-ref={order.ref} data-state={order.state}>
      {back}
      <h1 id="page-title">{t('order.title', { ref: order.ref ?? orderRef })}</h1>
      <p class="order-state">
        <OrderStateBadge state={order.state} />
        {order.test && <TestBadge />}
      </p>

      <div class="panels">
        <OrderFacts order={order} />
        <BuyerFacts order={order} />
        <AmountFacts order={order} />
        <ProviderFacts order={order} />
      </div>

      <section class="panel" aria-labelledby="actions-title" data-testid="order-actions">
        <h2 id="actions-title">{t('order.actions')}</h2>
        <ErrorSummary error={actionError} />
        {done && (
          <p role="status" class="saved">
            {t('order.done', { state: order.state ? t(`orders.state.${order.state}`).toLocaleLowerCase(lang) : '' })}
          </p>
        )}
        {buttons.length === 0 ? (
          <p class="hint" data-testid="no-actions">
            {t('order.noActions')}
          </p>
        ) : (
          <>
            <TextField id="note" name="note" label={t('order.note')} hint={t('order.noteHint')} multiline value={note} onInput={setNote} errors={byField(actionError)} />
            <div class="actions">
              {buttons.map((b) => (
                <button key={b.action} type="button" class={b.look === 'secondary' ? undefined : b.look} disabled={busy} onClick={() => setConfirming(b)}>
                  {t(`order.action.${b.action}`, vars)}
                </button>
              ))}
            </div>
          </>
        )}
      </section>

      <History order={order} />

      <ConfirmDialog
        open={confirming !== null}
        title={confirming ? t(`order.confirm.${confirming.action}`, vars) : ''}
        confirmLabel={confirming ? t(`order.action.${confirming.action}`, vars) : ''}
        onConfirm={() => confirming && void run(confirming)}
        onCancel={() => setConfirming(null)}
      >
        {confirming && <p>{t(`order.confirmDetail.${confirming.action}`, vars)}</p>}
      </ConfirmDialog>
    </section>
  );
}

/** Facts is a panel of labelled values; a value left empty is not shown. */
function Facts({ id, title, rows }: { id: string; title: MessageKey; rows: [MessageKey, ComponentChildren][] }) {
  const { t } = useApp();
  return (
    <section class="panel" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 id={`${id}-title`}>{t(title)}</h2>
      <dl class="facts">
        {rows
          .filter(([, v]) => v !== undefined && v !== null && v !== '')
          .map(([label, v]) => (
            <div key={label}>
              <dt>{t(label)}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

function OrderFacts({ order }: { order: AdminOrder }) {
  const { t, formatDateTime } = useApp();
  const o = order.offering;
  return (
    <Facts
      id="order-facts"
      title="order.details"
      rows={[
        ['order.offering', o?.name],
        ['report.col.service', o?.service ? t(`service.${o.service}`) : ''],
        ['order.offeringType', o?.type ? offeringType(o.type, t) : ''],
        ['order.offeringId', o?.id ? <code>{o.id}</code> : ''],
        ['report.col.created', formatDateTime(order.createdAt)],
        ['order.updated', formatDateTime(order.updatedAt)],
        ['order.reservedUntil', formatDateTime(order.reservedUntil)],
      ]}
    />
  );
}

// The offering types are the promotion codes' applies-to types (SPEC 3.1).
function offeringType(type: string, t: T): string {
  return termOr(`promo.appliesTo.${type}`, type, t);
}

/** termOr is the console's word for a value the API gives, or the value itself when the console has no word for it (a newer API). */
function termOr(key: string, value: string, t: T): string {
  const text = t(key as MessageKey);
  return text === key ? value : text;
}

function BuyerFacts({ order }: { order: AdminOrder }) {
  return (
    <Facts
      id="buyer-facts"
      title="order.buyer"
      rows={[
        ['order.buyerName', order.buyer?.name],
        ['promo.recipientEmail', order.buyer?.email ? <a href={`mailto:${order.buyer.email}`}>{order.buyer.email}</a> : ''],
      ]}
    />
  );
}

function AmountFacts({ order }: { order: AdminOrder }) {
  const { formatMoney } = useApp();
  const money = (minor: number | undefined) => formatMoney(minor, order.currency);
  return (
    <Facts
      id="amount-facts"
      title="order.amounts"
      rows={[
        ['order.price', money(order.priceMinor)],
        ['report.code', order.code ? <code>{order.code}</code> : ''],
        ['report.col.discount', order.code ? `${money(order.discountMinor)}${order.discount?.text ? ` (${order.discount.text})` : ''}` : ''],
        ['orders.col.total', <strong data-testid="order-total">{money(order.totalMinor)}</strong>],
        // What the provider reported refunded so far: shown once there is any.
        ['order.refunded', order.refundedMinor ? money(order.refundedMinor) : ''],
      ]}
    />
  );
}

function ProviderFacts({ order }: { order: AdminOrder }) {
  const { t } = useApp();
  const rows: [MessageKey, ComponentChildren][] = [
    ['provider.kind', order.provider ? providerName(order.provider, t) : t('order.noProvider')],
    ...providerRefs(order).map(({ name, value }): [MessageKey, ComponentChildren] => [`order.ref.${name}`, <code data-ref-name={name}>{value}</code>]),
  ];
  return <Facts id="provider-facts" title="nav.provider" rows={rows} />;
}

/** providerName is a provider's name in the console's words. Only an order with nothing to pay has none, and it is never authorised, so no action names it. */
function providerName(kind: string | undefined, t: T): string {
  return kind ? termOr(`provider.kind.${kind}`, kind, t) : '';
}

function History({ order }: { order: AdminOrder }) {
  const { t, formatDateTime } = useApp();
  const stateName = (s: string | undefined) => (s ? t(`orders.state.${s}` as MessageKey) : '');
  const who = (by: string | undefined) => {
    const a = actorOf(by);
    switch (a.kind) {
      case 'provider':
        return providerName(a.provider, t);
      case 'person':
        return a.name;
      default:
        return t(`order.by.${a.kind}`);
    }
  };
  return (
    <section class="history" aria-labelledby="history-title">
      <h2 id="history-title">{t('order.history')}</h2>
      <div class="table-wrap">
        <table data-testid="history">
          <thead>
            <tr>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('order.change')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('order.notification')}</th>
              <th scope="col">{t('order.note')}</th>
            </tr>
          </thead>
          <tbody>
            {(order.history ?? []).map((e, i) => (
              <tr key={i} data-to={e.to}>
                <td class="nowrap">{formatDateTime(e.at)}</td>
                <td>{e.from ? `${stateName(e.from)} → ${stateName(e.to)}` : stateName(e.to)}</td>
                <td>{who(e.by)}</td>
                <td>{e.notification ? <code>{e.notification}</code> : ''}</td>
                <td>{e.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
