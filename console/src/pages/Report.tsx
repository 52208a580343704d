import { useEffect, useState } from 'preact/hooks';
import { ok, SERVICES, type Schemas } from '../api/client';
import { ApiError, byField } from '../api/errors';
import { SelectField, TextField } from '../components/fields';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Pager } from '../components/Pager';
import { ErrorSummary, asApiError } from '../components/ErrorSummary';
import { useApp } from '../context';
import type { MessageKey } from '../i18n';
import { isoDate } from '../logic/promo';
import { csvFileName, saveFile } from '../logic/download';
import { NO_FILTERS, Pages, joinCsvParts, reportQuery, type ReportFilters } from '../logic/report';

const STATUSES = ['active', 'expired', 'used_up', 'deleted'] as const;
const PAGE_SIZES = ['25', '50', '100', '200'] as const;

type Row = Schemas['CodeRow'];
// The answers' per-code results; an extended code also says its date before and after,
// which the OpenAPI file does not describe.
interface CodeResult {
  code?: string;
  result?: string;
  expiresOn?: string | { before?: string; after?: string };
}
interface Results {
  action: 'extend' | 'delete';
  results: CodeResult[];
  summary: Record<string, number>;
}

export function ReportPage() {
  const { api, site, t, formatDateTime } = useApp();
  const [filters, setFilters] = useState<ReportFilters>(NO_FILTERS);
  const [applied, setApplied] = useState<ReportFilters | null>(null);
  const [pages, setPages] = useState(() => new Pages());
  const [limit, setLimit] = useState<(typeof PAGE_SIZES)[number]>('50');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<ApiError | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [results, setResults] = useState<Results | null>(null);
  const [extendTo, setExtendTo] = useState(() => isoDate(new Date(Date.now() + 180 * 24 * 3600 * 1000)));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const errors = byField(error);
  const actionErrors = byField(actionError);
  const set = <K extends keyof ReportFilters>(k: K) => (v: ReportFilters[K]) => setFilters({ ...filters, [k]: v });

  useEffect(() => {
    if (!applied) return;
    setError(null);
    const query = { ...reportQuery(applied), limit: Number(limit), ...(pages.current ? { cursor: pages.current } : {}) };
    // An answer to an older query (other filters, another page size) that arrives late
    // must not replace the current one.
    let stale = false;
    ok(api.GET('/sites/{site}/promo-codes', { params: { path: { site }, query } })).then(
      (page) => {
        if (stale) return;
        setRows(page.items ?? []);
        setNext(page.next || undefined);
      },
      (e) => stale || setError(asApiError(e)),
    );
    return () => {
      stale = true;
    };
  }, [applied, pages, limit, reload]);

  const show = (e: Event) => {
    e.preventDefault();
    setApplied({ ...filters });
    setPages(new Pages());
    setSelected(new Set());
    setResults(null);
  };
  const toggle = (code: string, on: boolean) => {
    const s = new Set(selected);
    if (on) s.add(code);
    else s.delete(code);
    setSelected(s);
  };
  const pageCodes = (rows ?? []).map((r) => r.code ?? '');
  const allOnPage = pageCodes.length > 0 && pageCodes.every((c) => selected.has(c));
  const togglePage = (on: boolean) => {
    const s = new Set(selected);
    for (const c of pageCodes) {
      if (on) s.add(c);
      else s.delete(c);
    }
    setSelected(s);
  };

  const act = async (action: Results['action']) => {
    setBusy(true);
    setActionError(null);
    try {
      const codes = [...selected];
      const answer =
        action === 'extend'
          ? await ok(api.POST('/sites/{site}/promo-codes/extend', { params: { path: { site } }, body: { codes, expiresOn: extendTo } }))
          : await ok(api.POST('/sites/{site}/promo-codes/delete', { params: { path: { site } }, body: { codes } }));
      setResults({ action, results: (answer.results ?? []) as CodeResult[], summary: answer.summary ?? {} });
      setSelected(new Set());
      setReload((n) => n + 1);
    } catch (e) {
      setActionError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    if (!applied) return;
    setError(null);
    try {
      const parts: string[] = [];
      let cursor: string | undefined;
      do {
        const query = { ...reportQuery(applied), ...(cursor ? { cursor } : {}) };
        const answer = await api.GET('/sites/{site}/promo-codes/report.csv', { params: { path: { site }, query }, parseAs: 'text' });
        if (!answer.response.ok) await ok(Promise.resolve(answer));
        parts.push(String(answer.data ?? ''));
        cursor = answer.response.headers.get('X-Next-Cursor') || undefined;
      } while (cursor);
      saveFile(csvFileName('promo-codes', site, new Date()), joinCsvParts(parts));
    } catch (e) {
      setError(asApiError(e));
    }
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('report.title')}</h1>
      <form onSubmit={show} noValidate class="filters">
        <ErrorSummary error={error} />
        <fieldset class="group">
          <legend>{t('report.parameters')}</legend>
          <div class="grid">
            <TextField id="createdFrom" name="createdFrom" type="date" label={t('report.createdFrom')} value={filters.createdFrom} onInput={set('createdFrom')} errors={errors} />
            <TextField id="createdTo" name="createdTo" type="date" label={t('report.createdTo')} value={filters.createdTo} onInput={set('createdTo')} errors={errors} />
            <TextField id="expiresFrom" name="expiresFrom" type="date" label={t('report.expiresFrom')} value={filters.expiresFrom} onInput={set('expiresFrom')} errors={errors} />
            <TextField id="expiresTo" name="expiresTo" type="date" label={t('report.expiresTo')} value={filters.expiresTo} onInput={set('expiresTo')} errors={errors} />
            <TextField id="code" name="code" label={t('report.code')} hint={t('report.codeHint')} value={filters.code} onInput={set('code')} errors={errors} />
            <TextField id="recipient" name="recipient" label={t('report.recipient')} hint={t('report.recipientHint')} value={filters.recipient} onInput={set('recipient')} errors={errors} />
            <SelectField<ReportFilters['status']>
              id="status"
              name="status"
              label={t('report.status')}
              value={filters.status}
              options={[{ value: '', label: t('report.any') }, ...STATUSES.map((s) => ({ value: s, label: t(`report.status.${s}`) }))]}
              onChange={set('status')}
              errors={errors}
            />
            <SelectField<ReportFilters['service']>
              id="filter-service"
              name="service"
              label={t('report.col.service')}
              value={filters.service}
              options={[{ value: '', label: t('report.any') }, ...SERVICES.map((s) => ({ value: s, label: t(`service.${s}`) }))]}
              onChange={set('service')}
              errors={errors}
            />
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary">
            {t('report.show')}
          </button>
          <button type="button" disabled={!applied} onClick={download}>
            {t('report.download')}
          </button>
        </div>
      </form>

      {rows && (
        <>
          <div class="toolbar">
            <span role="status" data-testid="selected-count">
              {t('report.selected', { n: selected.size })}
            </span>
            <TextField id="extendTo" name="expiresOn" type="date" label={t('report.extendTo')} value={extendTo} onInput={setExtendTo} errors={actionErrors} />
            <button type="button" disabled={busy || selected.size === 0} onClick={() => act('extend')}>
              {t('report.extend')}
            </button>
            <button type="button" class="danger" disabled={busy || selected.size === 0} onClick={() => setConfirmDelete(true)}>
              {t('report.delete')}
            </button>
          </div>
          <ErrorSummary error={actionError} />
          {results && <ResultList results={results} />}
          {rows.length === 0 ? (
            <p>{t('report.empty')}</p>
          ) : (
            <div class="table-wrap">
              <table data-testid="report">
                <thead>
                  <tr>
                    <th scope="col">
                      <input type="checkbox" aria-label={t('report.selectPage')} checked={allOnPage} onChange={(e) => togglePage((e.currentTarget as HTMLInputElement).checked)} />
                    </th>
                    <th scope="col">{t('report.col.code')}</th>
                    <th scope="col">{t('report.col.service')}</th>
                    <th scope="col">{t('report.col.recipient')}</th>
                    <th scope="col">{t('report.col.discount')}</th>
                    <th scope="col">{t('report.col.usage')}</th>
                    <th scope="col">{t('report.col.expiresOn')}</th>
                    <th scope="col">{t('report.col.status')}</th>
                    <th scope="col">{t('report.col.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.code} data-code={r.code}>
                      <td>
                        <input type="checkbox" aria-label={t('report.select', { code: r.code ?? '' })} checked={selected.has(r.code ?? '')} onChange={(e) => toggle(r.code ?? '', (e.currentTarget as HTMLInputElement).checked)} />
                      </td>
                      <td>
                        <code>{r.code}</code>
                      </td>
                      <td>{r.service ? t(`service.${r.service as 'events'}`) : ''}</td>
                      <td>{r.recipient ? `${r.recipient.name ?? ''} <${r.recipient.email ?? ''}>` : t('app.none')}</td>
                      <td>{r.discountText}</td>
                      <td>{r.usageText}</td>
                      <td data-col="expiresOn" class="nowrap">{r.expiresOn}</td>
                      <td data-col="status">
                        <span class={`badge status-${r.status}`}>{r.status ? t(`report.status.${r.status}`) : ''}</span>
                        {r.deletedBy && <span class="hint"> {formatDateTime(r.deletedAt)} · {r.deletedBy}</span>}
                      </td>
                      <td>
                        <span class="nowrap">{formatDateTime(r.createdAt)}</span>
                        <br />
                        <span class="hint">{r.createdBy}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager pages={pages} next={next} onPages={setPages} limit={limit} sizes={PAGE_SIZES} onLimit={setLimit} errors={errors} />
        </>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={t('report.confirmDelete', { n: selected.size })}
        confirmLabel={t('report.delete')}
        onConfirm={() => {
          setConfirmDelete(false);
          void act('delete');
        }}
        onCancel={() => setConfirmDelete(false)}
      />
    </section>
  );
}

function ResultList({ results }: { results: Results }) {
  const { t } = useApp();
  return (
    <section class="result" aria-labelledby="results-title" data-testid="results" data-action={results.action}>
      <h2 id="results-title">{t('report.results')}</h2>
      <ul>
        {results.results.map((r, i) => (
          <li key={i} data-code={r.code} data-result={r.result}>
            <code>{r.code}</code>: {t(`report.result.${r.result}` as MessageKey)}
            {typeof r.expiresOn === 'object' && ` (${r.expiresOn.before} → ${r.expiresOn.after})`}
          </li>
        ))}
      </ul>
    </section>
  );
}
