import type { Schemas } from '../api/client';
import { ApiError } from '../api/errors';

export type Job = Schemas['Job'];
export type Recipient = Schemas['JobRecipient'];

/**
 * generationJob is the job a creation was left to, if it was: more than 1,000 generated
 * codes are made by a generation job (202 with the job), not in the request (201 with the codes).
 */
export function generationJob(answer: { job?: Job }): (Job & { id: string }) | undefined {
  const j = answer.job;
  return j?.kind === 'generation' && j.id ? { ...j, id: j.id } : undefined;
}

export function finished(job: Job | undefined): boolean {
  return job?.state === 'done' || job?.state === 'failed';
}

const failedCount = (rs: readonly Recipient[]) => rs.filter((r) => r.mail === 'failed').length;

/** canResend: a finished job whose recipients include failed e-mails re-sends them, and only them. */
export function canResend(job: Job | undefined, recipients: readonly Recipient[] | undefined): boolean {
  return job?.state === 'done' && recipients !== undefined && failedCount(recipients) > 0;
}

/** Resent is what the console knew of a job when it asked for its failed e-mails again. */
export interface Resent {
  failed: number;
  jobUpdatedAt: string | undefined;
}

/** resent notes how many e-mails had failed and when the job last changed, as a re-send is asked for. */
export function resent(job: Job | undefined, recipients: readonly Recipient[] | undefined): Resent {
  return { failed: failedMails(recipients), jobUpdatedAt: job?.updatedAt };
}

/**
 * settled: the job and its e-mails are no longer moving, so polling can stop. After a
 * re-send, that is once its run has been: the job changed since (it went through sending
 * back to done, even if every e-mail failed again), or fewer e-mails have failed. Until
 * promo-import takes the re-send up the job looks as before, so the console waits for it.
 */
export function settled(job: Job | undefined, recipients: readonly Recipient[] | undefined, since: Resent | null): boolean {
  if (!finished(job) || !recipients) return false;
  if (recipients.some((r) => r.mail === 'pending')) return false;
  return since === null || failedCount(recipients) < since.failed || changedSince(job, since.jobUpdatedAt);
}

function changedSince(job: Job | undefined, at: string | undefined): boolean {
  if (!job?.updatedAt) return false;
  return at === undefined || Date.parse(job.updatedAt) > Date.parse(at);
}

export function failedMails(recipients: readonly Recipient[] | undefined): number {
  return recipients ? failedCount(recipients) : 0;
}

/**
 * pollDelay backs off while a job waits for its file or runs long, so that a console left
 * open does not hammer the API: fast at first (a small file is done in a second), then at
 * most every 3 s.
 */
export function pollDelay(attempt: number): number {
  return Math.min(3000, 250 * 2 ** Math.min(attempt, 4));
}

/** passing: a look that failed for a reason that passes (the network, the API busy or failing), worth trying again. */
export function passing(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 'network' || e.status === 429 || e.status >= 500);
}

/**
 * follow looks at a job until it has settled, however long that takes (a generation of
 * 10,000 codes on a busy stack, a re-send waiting for its turn): never on a deadline, only
 * slower (pollDelay). show takes each answer and says whether the job has settled; it is
 * not called once follow is stopped. A look that fails for a passing reason is tried again,
 * the error shown (onError) until a look succeeds (onError(null)); a refusal ends it.
 * Returns the stop.
 */
export function follow<T>(look: () => Promise<T>, show: (answer: T) => boolean, onError: (e: unknown) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const once = async (attempt: number) => {
    let again: boolean;
    try {
      const answer = await look();
      if (stopped) return;
      onError(null);
      again = !show(answer);
    } catch (e) {
      if (stopped) return;
      onError(e);
      again = passing(e);
    }
    if (again) timer = setTimeout(() => void once(attempt + 1), pollDelay(attempt));
  };
  void once(0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
