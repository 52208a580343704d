import { useApp } from '../context';
import type { FieldErrors } from '../api/errors';
import { Pages } from '../logic/report';
import { SelectField } from './fields';

/**
 * Pager walks a list's pages (forward by the API's cursor, back by the ones seen) and sets
 * its page size; a new size starts again from the first page.
 */
export function Pager<S extends string>(p: {
  pages: Pages;
  next: string | undefined;
  onPages: (pages: Pages) => void;
  limit: S;
  sizes: readonly S[];
  onLimit: (limit: S) => void;
  errors?: FieldErrors;
}) {
  const { t } = useApp();
  const { pages, next } = p;
  return (
    <nav class="pager" aria-label={t('app.page', { n: pages.number })}>
      <button type="button" disabled={!pages.hasPrevious} onClick={() => p.onPages(pages.previous())}>
        {t('app.previous')}
      </button>
      <span data-testid="page-number">{t('app.page', { n: pages.number })}</span>
      <button type="button" disabled={!next} onClick={() => next && p.onPages(pages.next(next))}>
        {t('app.next')}
      </button>
      <SelectField<S>
        id="limit"
        name="limit"
        label={t('app.perPage')}
        value={p.limit}
        options={p.sizes.map((n) => ({ value: n, label: n }))}
        onChange={(v) => {
          p.onLimit(v);
          p.onPages(new Pages());
        }}
        errors={p.errors ?? new Map()}
      />
    </nav>
  );
}
