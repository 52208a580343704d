// Following an import job: its progress while it runs, then its recipients and their
// e-mails, and a re-send of the failed ones.
import { useEffect, useState } from 'preact/hooks';
import { ok } from '../api/client';
import type { ApiError } from '../api/errors';
import { asApiError } from '../components/ErrorSummary';
import { useApp } from '../context';
import { canResend, failedMails, finished, pollDelay, settled, type Job, type Recipient } from '../logic/job';

export type { Recipient };

// After a re-send, how many looks at the recipients before the console stops looking.
const RESEND_LOOKS = 25;

export function useJobRecipients(jobId: string | undefined) {
  const { api, site } = useApp();
  const [job, setJob] = useState<Job | undefined>(undefined);
  const [recipients, setRecipients] = useState<Recipient[] | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  // A re-send restarts the watch; it remembers how many had failed.
  const [resentFailed, setResentFailed] = useState<number | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const path = { params: { path: { site, job: jobId } } };
    const look = async (attempt: number) => {
      try {
        const j = await ok(api.GET('/sites/{site}/promo-codes/imports/{job}', path));
        if (stopped) return;
        setJob(j);
        let rs: Recipient[] | undefined;
        if (finished(j)) {
          rs = (await ok(api.GET('/sites/{site}/promo-codes/imports/{job}/recipients', path))).recipients ?? [];
          if (stopped) return;
          setRecipients(rs);
        }
        const gaveUp = resentFailed !== null && attempt >= RESEND_LOOKS;
        if (!settled(j, rs, resentFailed) && !gaveUp) timer = setTimeout(() => void look(attempt + 1), pollDelay(attempt));
      } catch (e) {
        if (!stopped) setError(asApiError(e));
      }
    };
    void look(0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId, site, round]);

  const resend = async () => {
    if (!jobId) return;
    setError(null);
    try {
      const answer = await ok(api.POST('/sites/{site}/promo-codes/imports/{job}/resend', { params: { path: { site, job: jobId } } }));
      if (answer.job) setJob(answer.job);
      setResentFailed(failedMails(recipients));
      setRound((n) => n + 1);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return { job, recipients, error, resend, canResendNow: canResend(job, recipients) };
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
