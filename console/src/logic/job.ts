import type { Schemas } from '../api/client';

export type Job = Schemas['Job'];
export type Recipient = Schemas['JobRecipient'];

export function finished(job: Job | undefined): boolean {
  return job?.state === 'done' || job?.state === 'failed';
}

const failedCount = (rs: readonly Recipient[]) => rs.filter((r) => r.mail === 'failed').length;

/** canResend: a finished job whose recipients include failed e-mails re-sends them, and only them. */
export function canResend(job: Job | undefined, recipients: readonly Recipient[] | undefined): boolean {
  return job?.state === 'done' && recipients !== undefined && failedCount(recipients) > 0;
}

/**
 * settled: the job and its e-mails are no longer moving, so polling can stop. After a
 * re-send (resentFailed: how many had failed before it) that is when fewer have failed.
 */
export function settled(job: Job | undefined, recipients: readonly Recipient[] | undefined, resentFailed: number | null): boolean {
  if (!finished(job) || !recipients) return false;
  if (recipients.some((r) => r.mail === 'pending')) return false;
  return resentFailed === null || failedCount(recipients) < resentFailed;
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
