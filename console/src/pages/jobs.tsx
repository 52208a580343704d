// Following a job: its progress while it runs, then for an import its recipients and their
// e-mails, and a re-send of the failed ones.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ok } from '../api/client';
import type { ApiError } from '../api/errors';
import { asApiError } from '../components/ErrorSummary';
import { useApp } from '../context';
import type { MessageKey } from '../i18n';
import { canResend, finished, follow, resent, settled, type Job, type Recipient, type Resent } from '../logic/job';

export type { Job, Recipient };

/** useJob follows a job alone (a generation: no recipients) until it is done or failed, from what the console knows of it first. */
export function useJob(jobId: string, first?: Job) {
  const { api, site } = useApp();
  const [job, setJob] = useState<Job | undefined>(first);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(
    () =>
      follow(
        () => ok(api.GET('/sites/{site}/promo-codes/imports/{job}', { params: { path: { site, job: jobId } } })),
        (j) => {
          setJob(j);
          return finished(j);
        },
        (e) => setError(e === null ? null : asApiError(e)),
      ),
    [jobId, site],
  );
  return { job, error };
}

export function useJobRecipients(jobId: string | undefined) {
  const { api, site } = useApp();
  const [job, setJob] = useState<Job | undefined>(undefined);
  const [recipients, setRecipients] = useState<Recipient[] | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  // A re-send restarts the watch; it remembers what the job was when it was asked for.
  const [since, setSince] = useState<Resent | null>(null);

  useEffect(() => {
    if (!jobId) return;
    const path = { params: { path: { site, job: jobId } } };
    return follow(
      async () => {
        const j = await ok(api.GET('/sites/{site}/promo-codes/imports/{job}', path));
        const rs = finished(j) ? ((await ok(api.GET('/sites/{site}/promo-codes/imports/{job}/recipients', path))).recipients ?? []) : undefined;
        return { j, rs };
      },
      ({ j, rs }) => {
        setJob(j);
        if (rs) setRecipients(rs);
        return settled(j, rs, since);
      },
      (e) => setError(e === null ? null : asApiError(e)),
    );
  }, [jobId, site, since]);

  const resend = async () => {
    if (!jobId) return;
    setError(null);
    try {
      const answer = await ok(api.POST('/sites/{site}/promo-codes/imports/{job}/resend', { params: { path: { site, job: jobId } } }));
      const before = answer.job ?? job;
      if (answer.job) setJob(answer.job);
      setSince(resent(before, recipients));
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return { job, recipients, error, resend, canResendNow: canResend(job, recipients) };
}

/** JobProgress is a job's state and progress bar, with what it counted (children). */
export function JobProgress({ job, children }: { job: Job | undefined; children?: ComponentChildren }) {
  const { t } = useApp();
  const percent = job?.percent ?? 0;
  const state = job?.state ?? 'awaiting_upload';
  // A generation made nothing when it failed; an import's file was refused.
  const stateKey: MessageKey = job?.kind === 'generation' && state === 'failed' ? 'generation.failedState' : `import.state.${state}`;
  return (
    <div class="progress" data-testid="job" data-state={state}>
      <label for="job-progress">
        {t('import.progress')}: <strong data-testid="job-state">{t(stateKey)}</strong>
      </label>
      <progress id="job-progress" max={100} value={percent} aria-valuetext={`${percent}%`}>
        {percent}%
      </progress>
      <span class="percent">{percent}%</span>
      {job && <p data-testid="job-counts">{children}</p>}
    </div>
  );
}

export function MailState({ r }: { r: Recipient }) {
  const { t } = useApp();
  const state = r.mail ?? 'pending';
  return (
    <span class={`badge mail-${state}`} data-mail={state}>
      {t(`import.mail.${state}`)}
      {state === 'failed' && r.mailReason ? `: ${r.mailReason}` : ''}
    </span>
  );
}
