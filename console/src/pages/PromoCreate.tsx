import { useRef, useState } from 'preact/hooks';
import { ok, type Schemas } from '../api/client';
import { ApiError, byField } from '../api/errors';
import { Choices, Radio, TextField } from '../components/fields';
import { ErrorSummary, asApiError } from '../components/ErrorSummary';
import { useApp } from '../context';
import { ActionKey } from '../logic/actionkey';
import { generationJob, type Job } from '../logic/job';
import { createBody, defaultParams, type CodeParams, type CreateForm, type CreateKind } from '../logic/promo';
import { CodeParamsFields } from './CodeParams';
import { JobProgress, MailState, useJob, useJobRecipients } from './jobs';
import { href } from '../router';

// The creation's answer: the codes made in the request (201), or the generation job that
// makes more than 1,000 of them (202).
type Answer = Schemas['Created'] | { job?: Job };

export function PromoCreatePage() {
  const { api, site, t } = useApp();
  const [params, setParams] = useState<CodeParams>(() => defaultParams('events', new Date()));
  const [form, setForm] = useState<CreateForm>({ kind: 'generated', quantity: '10', code: '', recipientName: '', recipientEmail: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  // Pressing Create again after a failure retries the same creation, which the API makes once.
  const action = useRef(new ActionKey());
  const errors = byField(error);
  const job = created ? generationJob(created) : undefined;
  const set = <K extends keyof CreateForm>(k: K) => (v: CreateForm[K]) => setForm({ ...form, [k]: v });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const body = createBody(params, form);
      const key = action.current.for(JSON.stringify({ site, body }));
      setCreated(await ok(api.POST('/sites/{site}/promo-codes', { params: { path: { site }, header: { 'Idempotency-Key': key } }, body })));
      action.current.done();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('nav.create')}</h1>
      <form onSubmit={submit} noValidate>
        <ErrorSummary error={error} />
        <Choices id="type" name="type" label={t('promo.codeType')} errors={errors}>
          {(['generated', 'custom', 'recipient'] as const).map((k) => (
            <Radio<CreateKind> key={k} group="type" value={k} current={form.kind} label={t(`promo.type.${k}`)} onChange={set('kind')} />
          ))}
        </Choices>
        {form.kind === 'generated' && (
          <TextField id="quantity" name="quantity" type="number" label={t('promo.quantity')} value={form.quantity} onInput={set('quantity')} errors={errors} />
        )}
        {form.kind === 'custom' && (
          <TextField id="code" name="code" label={t('promo.code')} hint={t('promo.codeHint')} value={form.code} onInput={set('code')} errors={errors} />
        )}
        {form.kind === 'recipient' && (
          <>
            <TextField id="recipientName" name="recipient.name" label={t('promo.recipientName')} value={form.recipientName} onInput={set('recipientName')} errors={errors} autocomplete="name" />
            <TextField id="recipientEmail" name="recipient.email" type="email" label={t('promo.recipientEmail')} value={form.recipientEmail} onInput={set('recipientEmail')} errors={errors} autocomplete="email" />
          </>
        )}
        <CodeParamsFields params={params} onChange={setParams} errors={errors} withLength={form.kind !== 'custom'} withTemplate={form.kind === 'recipient'} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('promo.create')}
          </button>
        </div>
      </form>
      {job ? <Generation key={job.id} first={job} /> : created && <CreatedCodes created={created} />}
    </section>
  );
}

function Generation({ first }: { first: Job & { id: string } }) {
  const { t } = useApp();
  const { job = first, error } = useJob(first.id, first);
  const codes = job.codesCreated ?? 0;
  const quantity = job.quantity ?? first.quantity ?? 0;
  return (
    <section class="result" aria-labelledby="generation-title" data-testid="generation" data-job={job.id}>
      <h2 id="generation-title">{t('generation.title', { quantity })}</h2>
      <p class="hint">
        {t('generation.hint')} {t('import.job', { id: job.id ?? '' })}
      </p>
      <ErrorSummary error={error} />
      <JobProgress job={job}>{t('generation.counts', { codes, quantity })}</JobProgress>
      {job.state === 'done' && (
        <p role="status" data-testid="generation-done">
          {t('promo.created', { count: codes })} <a href={href({ page: 'report' })}>{t('generation.report')}</a>
        </p>
      )}
      {job.state === 'failed' && (
        <div class="error-summary" role="alert" data-code={job.errorCode}>
          <p>
            <strong>{t('generation.failed')}</strong>
            {job.errorCode ? ` (${job.errorCode})` : ''}
          </p>
          {(job.errors ?? []).length > 0 && (
            <ul>
              {(job.errors ?? []).map((e, i) => (
                <li key={i}>{e.reason}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function CreatedCodes({ created }: { created: Schemas['Created'] }) {
  const { t } = useApp();
  return (
    <section class="result" aria-labelledby="created-title" data-testid="created">
      <h2 id="created-title" role="status">
        {created.count === 1 ? t('promo.createdOne') : t('promo.created', { count: created.count ?? 0 })}
      </h2>
      <p>
        {created.discountText} · {created.usageText} · {t('promo.expiresOn')}: {created.expiresOn}
      </p>
      <h3>{t('promo.createdCodes')}</h3>
      <ul class="codes" data-testid="created-codes">
        {(created.codes ?? []).map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      {created.job?.id && <RecipientMail job={created.job.id} />}
    </section>
  );
}

function RecipientMail({ job }: { job: string }) {
  const { t } = useApp();
  const { recipients, resend, canResendNow, error } = useJobRecipients(job);
  const r = recipients?.[0];
  return (
    <div data-testid="recipient-mail">
      <ErrorSummary error={error} />
      {r && (
        <p>
          {r.email}: <MailState r={r} />
        </p>
      )}
      {canResendNow && (
        <button type="button" onClick={resend}>
          {t('import.resend')}
        </button>
      )}{' '}
      <a href={href({ page: 'import', job })}>{t('import.job', { id: job })}</a>
    </div>
  );
}
