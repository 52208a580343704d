import { ApiError, unshown } from '../api/errors';
import { useApp } from '../context';

/**
 * ErrorSummary heads a form that the API refused: its message, and any detail that no
 * field of the form shows (each field shows its own beside it).
 */
export function ErrorSummary({ error, shown }: { error: ApiError | null; shown: readonly string[] }) {
  const { t } = useApp();
  if (!error) return null;
  const rest = unshown(error, shown);
  const message = error.code === 'network' ? t('app.network', { message: error.message }) : error.message;
  return (
    <div class="error-summary" role="alert" data-code={error.code}>
      <p>
        <strong>{t('app.errorTitle')}</strong>: {message}
      </p>
      {rest.length > 0 && (
        <ul>
          {rest.map((d, i) => (
            <li key={i}>
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
