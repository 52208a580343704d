// The orders pages (SPEC 4.4) in the browser, on the orders the Go test made first through
// the checkout API (infra/local/console_orders_test.go): ORDERS_SITE, with one test order
// authorised (ORDERS_TEST) and, in production, two authorised (ORDERS_CAPTURE, ORDERS_VOID),
// one cancelled (ORDERS_CANCELLED) and nine pending (ORDERS_PENDING, oldest first), made in
// that order: newest first, the list starts with the one to capture.
import { readFileSync } from 'node:fs';
import { assert, assertEqual, checkPage } from './harness.mjs';

// The orders' provider, by the name the console gives it.
const PAYFLOW = 'PayPal Payflow Pro';

export function orderSteps(run, { page, nav, heading, fieldError, switchSite, site: mainSite }) {
  const env = (name) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set: run this through infra/local/console_e2e_test.go`);
    return v;
  };
  const rows = page.getByTestId('orders').locator('tbody tr');
  const refsShown = () => rows.evaluateAll((rs) => rs.map((r) => r.dataset.ref));
  // Waits for the answer to the list's next request (its filters, its page) and for the page
  // to show it: the list is busy from the request until its answer is shown.
  const showOrders = async (click) => {
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname.endsWith('/orders')),
      click(),
    ]);
    await page.locator('[data-testid="orders-result"][aria-busy="false"]').waitFor();
  };
  const submit = () => page.getByRole('button', { name: 'Show orders' }).click();
  const row = (ref) => page.locator(`[data-testid="orders"] tbody tr[data-ref="${ref}"]`);
  const history = () => page.getByTestId('history').locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.to));
  const openOrder = async (ref) => {
    await nav.getByRole('link', { name: 'Orders' }).click();
    await heading('Orders');
    await row(ref).getByRole('link', { name: ref }).click();
    await heading(`Order ${ref}`);
  };

  let site, testRef, toCapture, toVoid, cancelled, pending;
  run.step('orders: the list shows the production orders, newest first', async () => {
    site = env('ORDERS_SITE');
    [testRef, toCapture, toVoid, cancelled] = ['ORDERS_TEST', 'ORDERS_CAPTURE', 'ORDERS_VOID', 'ORDERS_CANCELLED'].map(env);
    pending = env('ORDERS_PENDING').split(',');
    await switchSite(site);
    await showOrders(() => nav.getByRole('link', { name: 'Orders' }).click());
    await heading('Orders');
    assertEqual(await refsShown(), [toCapture, toVoid, cancelled, ...[...pending].reverse()], 'production orders, newest first');
    assertEqual(await page.getByTestId('orders').getByTestId('test-marker').count(), 0, 'test markers among production orders');
    assertEqual(await row(toCapture).locator('[data-col="total"]').textContent(), '$44.10', 'total with the 10% code');
    assertEqual(await row(toVoid).locator('[data-col="total"]').textContent(), '$49.00', 'total without a code');
    assertEqual(await row(toCapture).locator('[data-col="state"]').textContent(), 'Authorised', 'state');
    assertEqual(await row(cancelled).locator('[data-col="state"]').textContent(), 'Cancelled', 'state');
    await row(toCapture).getByText('cap.capture@orders.example').waitFor();
    await row(toCapture).getByText('E2E10').waitFor();
    await checkPage(page, '24-orders');
  });

  run.step('orders: filters by state, code and dates, a refused filter beside its field', async () => {
    await page.getByLabel('State', { exact: true }).selectOption('authorised');
    await showOrders(submit);
    assertEqual(await refsShown(), [toCapture, toVoid], 'authorised orders');
    await page.getByLabel('State', { exact: true }).selectOption('');
    await page.getByLabel('Promotion code', { exact: true }).fill('e2e10');
    await showOrders(submit);
    assertEqual(await refsShown(), [toCapture], 'orders with the code (production only)');
    await page.getByLabel('Promotion code', { exact: true }).fill('');
    // Whole days in UTC, as the API reads a date; from yesterday, should the orders have been
    // made just before midnight.
    const day = (offset) => new Date(Date.now() + offset * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const [yesterday, today, tomorrow] = [day(-1), day(0), day(1)];
    await page.getByLabel('Created from', { exact: true }).fill(yesterday);
    await page.getByLabel('Created to', { exact: true }).fill(today);
    await showOrders(submit);
    assertEqual((await refsShown()).length, 12, 'orders made from yesterday to today');
    await page.getByLabel('Created from', { exact: true }).fill(tomorrow);
    await page.getByLabel('Created to', { exact: true }).fill('');
    await showOrders(submit);
    await page.getByText('No order matches.').waitFor();
    await page.getByLabel('Created to', { exact: true }).fill(today);
    await submit();
    await fieldError('to').waitFor();
    assert((await page.getByLabel('Created to', { exact: true }).getAttribute('aria-invalid')) === 'true', 'to not marked invalid');
    await checkPage(page, '25-orders-refused-filter');
    await page.getByLabel('Created from', { exact: true }).fill('');
    await page.getByLabel('Created to', { exact: true }).fill('');
  });

  run.step('orders: the test orders only when asked for', async () => {
    await page.getByLabel('Test orders', { exact: true }).check();
    await showOrders(submit);
    assertEqual(await refsShown(), [testRef], 'test orders');
    await row(testRef).getByTestId('test-marker').waitFor();
    await page.getByTestId('orders-kind').filter({ hasText: 'Test orders' }).waitFor();
    await checkPage(page, '26-orders-test');
    await page.getByLabel('Test orders', { exact: true }).uncheck();
    await showOrders(submit);
    assertEqual((await refsShown()).includes(testRef), false, 'a test order among the production ones');
  });

  run.step('orders: pages of ten', async () => {
    await showOrders(() => page.getByLabel('Rows per page', { exact: true }).selectOption('10'));
    assertEqual((await refsShown()).length, 10, 'first page');
    await showOrders(() => page.getByRole('button', { name: 'Next page' }).click());
    await page.getByTestId('page-number').filter({ hasText: 'Page 2' }).waitFor();
    assertEqual(await refsShown(), [pending[1], pending[0]], 'second page: the two oldest');
    assertEqual(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true, 'a next page after the last');
    await showOrders(() => page.getByRole('button', { name: 'Previous page' }).click());
    assertEqual((await refsShown())[0], toCapture, 'back on the first page');
  });

  // From here on the steps need the API's one-order, capture, void and export routes.
  run.step('orders: the CSV export holds the list’s selection', async () => {
    await page.getByLabel('State', { exact: true }).selectOption('authorised');
    await showOrders(submit);
    // A refused export shows its error instead of a download: fail on it at once.
    const refused = page.locator('.error-summary').waitFor().then(
      async () => {
        throw new Error(`the export was refused: ${await page.locator('.error-summary').textContent()}`);
      },
      () => new Promise(() => {}), // no error shown: the download decides
    );
    const [download] = await Promise.all([Promise.race([page.waitForEvent('download'), refused]), page.getByRole('button', { name: 'Download CSV' }).click()]);
    assert(new RegExp(`^orders-${site}-\\d{4}-\\d{2}-\\d{2}\\.csv$`).test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
    const csv = readFileSync(await download.path(), 'utf8');
    assert(csv.startsWith('\uFEFFref,created_at,state,'), `CSV starts with a BOM and its header: ${JSON.stringify(csv.slice(0, 40))}`);
    const lines = csv.trim().split('\r\n').slice(1);
    assertEqual(lines.map((l) => l.split(',')[0]).sort(), [toCapture, toVoid].sort(), 'the CSV’s rows: the authorised orders');
    const captureRow = lines.find((l) => l.startsWith(`${toCapture},`)) ?? '';
    assert(captureRow.includes(',authorised,') && captureRow.includes(',E2E10,') && captureRow.includes(',4410,'), `the capture order's row: ${captureRow}`);
    await page.getByLabel('State', { exact: true }).selectOption('');
  });

  run.step('order: the order, its buyer, amounts, provider references and history', async () => {
    await openOrder(toCapture);
    await page.getByTestId('order-state').filter({ hasText: 'Authorised' }).waitFor();
    await page.getByTestId('buyer-facts').getByText('cap.capture@orders.example').waitFor();
    assertEqual(await page.getByTestId('order-total').textContent(), '$44.10', 'total');
    await page.getByTestId('amount-facts').getByText('E2E10').waitFor();
    await page.getByTestId('provider-facts').getByText(PAYFLOW).waitFor();
    assert((await page.getByTestId('provider-facts').locator('[data-ref-name="pnref"]').textContent()).length > 0, 'no PNREF shown');
    assertEqual(await history(), ['pending_payment', 'authorised'], 'history');
    const buttons = page.getByTestId('order-actions').getByRole('button');
    // As the API offers them for a Payflow order: captured or voided through Payflow, or a
    // capture made in Payflow's own merchant interface recorded.
    assertEqual(await buttons.allTextContents(), ['Capture', `Record a capture made in ${PAYFLOW}`, 'Void'], 'actions of an authorised Payflow order');
    await checkPage(page, '27-order-authorised');
  });

  run.step('order: capture asks first; then the order is captured, with the note in its history', async () => {
    await page.getByRole('button', { name: 'Capture', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Capture $44.10 of order ${toCapture}?`).waitFor();
    await checkPage(page, '28-order-confirm-capture');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assertEqual(await history(), ['pending_payment', 'authorised'], 'history after cancelling the capture');
    await page.getByLabel('Note', { exact: true }).fill('shipped 2 December');
    await page.getByRole('button', { name: 'Capture', exact: true }).click();
    await dialog.getByRole('button', { name: 'Capture', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Done: the order is captured.' }).waitFor();
    await page.getByTestId('order-state').filter({ hasText: 'Captured' }).waitFor();
    assertEqual(await history(), ['pending_payment', 'authorised', 'captured'], 'history after the capture');
    await page.getByTestId('history').locator('tbody tr[data-to="captured"]').getByText('shipped 2 December').waitFor();
    await page.getByTestId('no-actions').waitFor();
    await checkPage(page, '29-order-captured');
    await page.reload();
    await page.getByTestId('order-state').filter({ hasText: 'Captured' }).waitFor();
  });

  run.step('order: recording a capture made elsewhere names the order’s provider, and asks first', async () => {
    await openOrder(toVoid);
    await page.getByRole('button', { name: `Record a capture made in ${PAYFLOW}`, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Record that $49.00 of order ${toVoid} was captured in ${PAYFLOW}?`).waitFor();
    await dialog.getByText(`Nothing is sent to ${PAYFLOW}: capture the payment in ${PAYFLOW}’s merchant interface first.`).waitFor();
    await checkPage(page, '30-order-confirm-record-capture');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('order-state').filter({ hasText: 'Authorised' }).waitFor();
    assertEqual(await history(), ['pending_payment', 'authorised'], 'history after cancelling the recorded capture');
  });

  run.step('order: void, and the list shows the new states', async () => {
    await openOrder(toVoid);
    await page.getByRole('button', { name: 'Void' }).click();
    await page.getByRole('dialog').getByText(`Void order ${toVoid}?`).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Void' }).click();
    await page.getByTestId('order-state').filter({ hasText: 'Voided' }).waitFor();
    assertEqual(await history(), ['pending_payment', 'authorised', 'voided'], 'history after the void');
    await page.getByRole('link', { name: 'All orders' }).click();
    await heading('Orders');
    await row(toCapture).locator('[data-col="state"]').filter({ hasText: 'Captured' }).waitFor();
    await row(toVoid).locator('[data-col="state"]').filter({ hasText: 'Voided' }).waitFor();
  });

  run.step('order: a cancelled order offers no action', async () => {
    await openOrder(cancelled);
    await page.getByTestId('order-state').filter({ hasText: 'Cancelled' }).waitFor();
    await page.getByTestId('no-actions').waitFor();
    assertEqual(await history(), ['pending_payment', 'cancelled'], 'history of a cancelled order');
    await switchSite(mainSite);
  });
}
