import { describe, expect, it } from 'vitest';
import { canResend, pollDelay, settled, type Job, type Recipient } from './job';

const done: Job = { state: 'done', mailsFailed: 1 };
const sent: Recipient = { line: 1, mail: 'sent' };
const failed: Recipient = { line: 2, mail: 'failed', mailReason: 'empty subject or body' };

describe('settled', () => {
  it('waits for a running job and for pending e-mails', () => {
    expect(settled({ state: 'creating' }, undefined, null)).toBe(false);
    expect(settled(done, [sent, { line: 2, mail: 'pending' }], null)).toBe(false);
    expect(settled(done, [sent, failed], null)).toBe(true);
    expect(settled({ state: 'failed' }, [], null)).toBe(true);
  });
  it('after a re-send, waits until fewer e-mails have failed', () => {
    expect(settled(done, [sent, failed], 1)).toBe(false);
    expect(settled(done, [sent, { ...failed, mail: 'sent' }], 1)).toBe(true);
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
