package checkout

import (
	"context"
	"errors"
)

// SweepBatch is how many overdue orders one sweep reads at a time.
const SweepBatch = 100

// SweepResult counts what a sweep did.
type SweepResult struct {
	Expired int `json:"expired"`
	// Skipped were moved by something else (paid, cancelled) between read and write.
	Skipped int `json:"skipped"`
	// Mails counts the buyer e-mails found due (a send failed or died) and tried again.
	Mails int `json:"mails"`
}

// Sweep expires every pending order whose reservation ran out, giving its code use back,
// then sends the buyer e-mails left due (up to SweepBatch; the next sweep the rest).
// Each order moves conditionally, so sweeps that overlap, or a sweep and a buyer's
// return, never both act on one order; a sweep cut short is finished by the next.
func (c *Checkout) Sweep(ctx context.Context) (SweepResult, error) {
	res, err := c.expire(ctx)
	mails, mailErr := c.sweepMails(ctx) // a failed expiry is no reason to keep e-mails waiting
	res.Mails = mails
	return res, errors.Join(err, mailErr)
}

func (c *Checkout) expire(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	for {
		now := c.d.Now()
		due, err := c.d.Orders.Overdue(ctx, now, SweepBatch)
		if err != nil {
			return res, err
		}
		expiredBefore := res.Expired
		for _, o := range due {
			_, moved, err := c.move(ctx, o, StateExpired, Cause{By: "sweep", Note: "not paid before its reservation ran out"}, nil)
			if err != nil {
				return res, err
			}
			if moved {
				res.Expired++
			} else {
				res.Skipped++
			}
		}
		// A full batch of orders something else moved first is no reason to read it again.
		if len(due) < SweepBatch || res.Expired == expiredBefore || ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
}
