import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, unshown, type ErrorDetail } from '../api/errors';
import { useApp } from '../context';

/**
 * ErrorSummary heads a form that the API refused (titled as not saved, unless the page says
 * otherwise: a list's refused filter saves nothing): its message, and every detail that no
 * field on the page shows (each field shows its own beside it), so nothing the API said is
 * dropped.
 */
export function ErrorSummary({ error, title }: { error: ApiError | null; title?: string }) {
  const { t } = useApp();
  const ref = useRef<HTMLDivElement>(null);
  const [rest, setRest] = useState<ErrorDetail[]>([]);
  // The fields render their errors in the same commit; look at which ones did.
  useLayoutEffect(() => {
    const scope = ref.current?.closest('section') ?? document;
    const shown = [...scope.querySelectorAll<HTMLElement>('.field-error[data-field]')].map((e) => e.dataset['field'] ?? '');
    setRest(unshown(error, shown));
  }, [error]);
  if (!error) return null;
  const message = error.code === 'network' ? t('app.network', { message: error.message }) : error.message;
  return (
    <div class="error-summary" role="alert" data-code={error.code} ref={ref}>
      <p>
        <strong>{title ?? t('app.errorTitle')}</strong>: {message}
      </p>
      {rest.length > 0 && (
        <ul>
          {rest.map((d, i) => (
            <li key={i} data-field={d.field}>
              {d.field ?? (d.line !== undefined ? `${t('import.line')} ${d.line}` : '')}
              {d.field || d.line !== undefined ? ': ' : ''}
              {d.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'client', e instanceof Error ? e.message : String(e));
}
