import { useRef, useState } from 'preact/hooks';
import { ok } from '../api/client';
import { ApiError, byField } from '../api/errors';
import { FieldMessages } from '../components/fields';
import { ErrorSummary, asApiError } from '../components/ErrorSummary';
import { useApp } from '../context';
import { ActionKey } from '../logic/actionkey';
import { finished } from '../logic/job';
import { defaultParams, importBody, type CodeParams } from '../logic/promo';
import { href } from '../router';
import { CodeParamsFields } from './CodeParams';
import { JobProgress, MailState, useJobRecipients } from './jobs';


export function PromoImportPage({ job }: { job?: string | undefined }) {
  return job ? <JobView job={job} /> : <ImportForm />;
}

function ImportForm() {
  const { api, site, t } = useApp();
  const [params, setParams] = useState<CodeParams>(() => defaultParams('events', new Date()));
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // Starting again after a failure (of the start, or of the upload) retries the same import:
  // the API answers the same job, with its upload URL signed anew.
  const action = useRef(new ActionKey());
  const errors = byField(error);
  const fileField = { id: 'file', name: 'file', label: t('import.file'), errors, hint: t('import.intro') };

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!file) {
      setError(new ApiError(0, 'invalid_input', t('import.file'), [{ field: 'file', reason: t('import.intro') }]));
      return;
    }
    setBusy(true);
    try {
      const body = importBody(params, file.name);
      const key = action.current.for(JSON.stringify({ site, body }));
      const started = await ok(api.POST('/sites/{site}/promo-codes/imports', { params: { path: { site }, header: { 'Idempotency-Key': key } }, body }));
      const upload = started.upload;
      if (!upload?.url || !started.job?.id) throw new ApiError(0, 'internal', 'the API answered no upload');
      // Straight to S3 with the presigned URL: the file never passes through the API.
      const put = await fetch(upload.url, { method: upload.method ?? 'PUT', body: file }).catch((err: unknown) => {
        throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
      });
      if (!put.ok) throw new ApiError(put.status, 'upload_failed', `S3: HTTP ${put.status}`, [{ field: 'file', reason: `HTTP ${put.status}` }]);
      action.current.done();
      location.hash = href({ page: 'import', job: started.job.id });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('import.title')}</h1>
      <form onSubmit={submit} noValidate>
        <ErrorSummary error={error} />
        <div class={`field${errors.has('file') ? ' invalid' : ''}`}>
          <label for="file">{t('import.file')}</label>
          <input
            type="file"
            id="file"
            name="file"
            accept=".txt,.csv,text/plain,text/csv"
            aria-describedby="file-hint"
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
          <FieldMessages c={fileField} />
        </div>
        <CodeParamsFields params={params} onChange={setParams} errors={errors} withLength withTemplate />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('import.start')}
          </button>
          {busy && <span role="status">{t('import.uploading')}</span>}
        </div>
      </form>
    </section>
  );
}

function JobView({ job: jobId }: { job: string }) {
  const { t, config } = useApp();
  const { job, recipients, error, resend, canResendNow } = useJobRecipients(jobId);
  // Read without the generated type's help: the notice is newer than some API descriptions.
  const notice = (job as { notice?: { code?: string; message?: string } } | undefined)?.notice;
  const errorCode: string | undefined = job?.errorCode;
  const state = job?.state ?? 'awaiting_upload';
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('import.title')}</h1>
      <p class="hint">{t('import.job', { id: jobId })}</p>
      <ErrorSummary error={error} />
      <JobProgress job={job}>
        {t('import.counts', { recipients: job?.recipients ?? 0, codes: job?.codesCreated ?? 0, sent: job?.mailsSent ?? 0, failed: job?.mailsFailed ?? 0 })}
      </JobProgress>

      {notice?.code === 'uploaded_again' && (
        <p class="notice" role="status" data-testid="job-notice">
          {t('import.uploadedAgain')}
        </p>
      )}
      {state === 'failed' && (
        <div class="error-summary" role="alert" data-code={job?.errorCode}>
          <p>{errorCode === 'conflict' ? t('import.conflict') : t('import.refused')}</p>
          <table class="line-errors" data-testid="line-errors">
            <thead>
              <tr>
                <th scope="col">{t('import.line')}</th>
                <th scope="col">{t('import.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {(job?.errors ?? []).map((e, i) => (
                <tr key={i} data-line={e.line}>
                  <td>{e.line ?? t('app.none')}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {finished(job) && recipients && recipients.length > 0 && (
        <section aria-labelledby="recipients-title">
          <h2 id="recipients-title">{t('import.recipients')}</h2>
          <div class="table-wrap">
            <table data-testid="recipients">
              <thead>
                <tr>
                  <th scope="col">{t('import.line')}</th>
                  <th scope="col">{t('promo.recipientEmail')}</th>
                  <th scope="col">{t('promo.recipientName')}</th>
                  <th scope="col">{t('report.col.code')}</th>
                  <th scope="col">{t('import.mailState')}</th>
                </tr>
              </thead>
              <tbody>
                {recipients.map((r) => (
                  <tr key={r.line} data-email={r.email}>
                    <td>{r.line}</td>
                    <td>{r.email}</td>
                    <td>{r.name}</td>
                    <td>
                      <code>{r.code}</code>
                    </td>
                    <td>
                      <MailState r={r} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <div class="actions">
        {canResendNow && (
          <button type="button" class="primary" onClick={resend}>
            {t('import.resend')}
          </button>
        )}
        {config.mailViewerUrl && (
          <a href={config.mailViewerUrl} target="_blank" rel="noopener">
            {t('import.mailViewer')}
          </a>
        )}
        <a href={href({ page: 'import' })}>{t('import.another')}</a>
      </div>
    </section>
  );
}
