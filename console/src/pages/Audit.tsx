import { useEffect, useState } from 'preact/hooks';
import { ok, type Schemas } from '../api/client';
import type { ApiError } from '../api/errors';
import { ErrorSummary, asApiError } from '../components/ErrorSummary';
import { Pager } from '../components/Pager';
import { useApp } from '../context';
import { Pages } from '../logic/report';

type Entry = Schemas['AuditEntry'];
const PAGE_SIZES = ['10', '20', '50', '100'] as const;

/** auditValue shows a recorded value: text as it is, anything else as JSON. */
export function auditValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function AuditPage() {
  const { api, site, t, formatDateTime } = useApp();
  const [pages, setPages] = useState(() => new Pages());
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [limit, setLimit] = useState<(typeof PAGE_SIZES)[number]>('20');

  useEffect(() => {
    setError(null);
    const query = { limit: Number(limit), ...(pages.current ? { cursor: pages.current } : {}) };
    // A late answer to an older page or page size must not replace the current one.
    let stale = false;
    ok(api.GET('/sites/{site}/audit', { params: { path: { site }, query } })).then(
      (page) => {
        if (stale) return;
        setEntries(page.entries ?? []);
        setNext(page.next || undefined);
      },
      (e) => stale || setError(asApiError(e)),
    );
    return () => {
      stale = true;
    };
  }, [site, pages, limit]);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('audit.title')}</h1>
      <ErrorSummary error={error} />
      {!entries ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : entries.length === 0 ? (
        <p>{t('audit.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table data-testid="audit">
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.target')}</th>
                <th scope="col">{t('audit.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target}</td>
                  <td>
                    <ul class="changes">
                      {(e.changes ?? []).map((c, i) => (
                        <li key={i}>
                          <code>{c.field}</code>:{' '}
                          {c.secret ? (
                            <em>{t('audit.secretChanged')}</em>
                          ) : (
                            <>
                              {auditValue(c.before) && <del>{auditValue(c.before)}</del>} → <ins>{auditValue(c.after)}</ins>
                            </>
                          )}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pages={pages} next={next} onPages={setPages} limit={limit} sizes={PAGE_SIZES} onLimit={setLimit} />
    </section>
  );
}
