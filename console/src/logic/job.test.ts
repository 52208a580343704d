import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { canResend, follow, generationJob, passing, pollDelay, resent, settled, type Job, type Recipient } from './job';

const done: Job = { state: 'done', mailsFailed: 1, updatedAt: '2026-12-02T10:00:00Z' };
const sent: Recipient = { line: 1, mail: 'sent' };
const failed: Recipient = { line: 2, mail: 'failed', mailReason: 'empty subject or body' };

describe('settled', () => {
  it('waits for a running job and for pending e-mails', () => {
    expect(settled({ state: 'creating' }, undefined, null)).toBe(false);
    expect(settled(done, [sent, { line: 2, mail: 'pending' }], null)).toBe(false);
    expect(settled(done, [sent, failed], null)).toBe(true);
    expect(settled({ state: 'failed' }, [], null)).toBe(true);
  });
  it('after a re-send, waits until it has run: fewer failed, or the job changed since', () => {
    const since = resent(done, [sent, failed]);
    expect(since).toEqual({ failed: 1, jobUpdatedAt: '2026-12-02T10:00:00Z' });
    // promo-import has not taken it up yet: the job looks as before.
    expect(settled(done, [sent, failed], since)).toBe(false);
    expect(settled({ ...done, state: 'sending', updatedAt: '2026-12-02T10:00:05Z' }, undefined, since)).toBe(false);
    expect(settled(done, [sent, { ...failed, mail: 'sent' }], since)).toBe(true);
    // It ran and the e-mail failed again: the job went through sending back to done.
    expect(settled({ ...done, updatedAt: '2026-12-02T10:00:09.5Z' }, [sent, failed], since)).toBe(true);
  });
});

describe('canResend', () => {
  it('only for a finished job with failed e-mails', () => {
    expect(canResend(done, [sent, failed])).toBe(true);
    expect(canResend(done, [sent])).toBe(false);
    expect(canResend({ state: 'sending' }, [failed])).toBe(false);
    expect(canResend({ state: 'failed' }, [])).toBe(false);
  });
});

it('polls fast first, then backs off to 3 s', () => {
  expect([0, 1, 2, 3, 4, 10].map(pollDelay)).toEqual([250, 500, 1000, 2000, 3000, 3000]);
});

it('tells a creation left to a generation job from codes made at once', () => {
  const job: Job = { id: 'job_1', kind: 'generation', state: 'creating', quantity: 1500 };
  expect(generationJob({ job })).toEqual(job);
  expect(generationJob({ job: { id: 'job_2', kind: 'recipient', state: 'sending' } })).toBeUndefined();
  expect(generationJob({})).toBeUndefined();
});

it('tries a look again after a passing failure only', () => {
  expect(passing(new ApiError(0, 'network', 'Failed to fetch'))).toBe(true);
  expect(passing(new ApiError(503, 'unavailable', 'busy'))).toBe(true);
  expect(passing(new ApiError(429, 'throttled', 'slow down'))).toBe(true);
  expect(passing(new ApiError(404, 'not_found', 'no such job'))).toBe(false);
  expect(passing(new ApiError(0, 'client', 'a bug'))).toBe(false);
  expect(passing(new Error('not an API error'))).toBe(false);
});

describe('follow', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  // A job that settles after `looks` looks, each answered at once.
  const job = (looks: number) => {
    let n = 0;
    return { look: vi.fn(async () => ++n), show: (answer: number) => answer >= looks };
  };

  it('keeps looking, backing off, for as long as the job runs: no deadline', async () => {
    // 200 looks at 3 s each: ten minutes, far past the old give-up after a re-send.
    const j = job(200);
    const errors: unknown[] = [];
    follow(j.look, j.show, (e) => e && errors.push(e));
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    expect(j.look.mock.calls.length).toBeGreaterThan(100);
    expect(j.look.mock.calls.length).toBeLessThan(200);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(j.look).toHaveBeenCalledTimes(200);
    expect(errors).toEqual([]);
  });

  it('tries again after a passing failure, shows it, and clears it once a look succeeds', async () => {
    const answers: (() => number)[] = [
      () => 1,
      () => {
        throw new ApiError(0, 'network', 'Failed to fetch');
      },
      () => 2,
    ];
    const look = vi.fn(async () => answers.shift()!());
    const shown: (string | null)[] = [];
    follow(look, (n) => n >= 2, (e) => shown.push(e instanceof ApiError ? e.code : null));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(look).toHaveBeenCalledTimes(3);
    expect(shown).toEqual([null, 'network', null]);
  });

  it('ends on a refusal', async () => {
    const look = vi.fn(async (): Promise<number> => {
      throw new ApiError(404, 'not_found', 'no such job');
    });
    const shown: unknown[] = [];
    follow(look, () => false, (e) => shown.push(e));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(look).toHaveBeenCalledTimes(1);
    expect(shown).toHaveLength(1);
  });

  it('stops when told, and shows nothing after', async () => {
    const j = job(1000);
    const show = vi.fn(j.show);
    const stop = follow(j.look, show, () => {});
    await vi.advanceTimersByTimeAsync(2_000);
    stop();
    const looks = j.look.mock.calls.length;
    const shows = show.mock.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(j.look).toHaveBeenCalledTimes(looks);
    expect(show).toHaveBeenCalledTimes(shows);
  });
});
