// What the orders list and an order's page show alike.
import { useApp } from '../context';
import type { OrderState } from '../logic/orders';

/** OrderStateBadge is an order's state, in words and in its colour. */
export function OrderStateBadge({ state }: { state: OrderState | undefined }) {
  const { t } = useApp();
  if (!state) return null;
  return (
    <span class={`badge order-${state}`} data-testid="order-state">
      {t(`orders.state.${state}`)}
    </span>
  );
}

/** TestBadge marks an order made in test mode (the providers' sandboxes; no real money). */
export function TestBadge() {
  const { t } = useApp();
  return (
    <span class="badge mode-test" data-testid="test-marker">
      {t('settings.mode.test')}
    </span>
  );
}
