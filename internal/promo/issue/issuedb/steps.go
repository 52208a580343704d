package issuedb

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// creationSteps are the steps of one Insert in a keyed request: its transactions, by
// number, as recorded; the zero value is an Insert that records none.
type creationSteps struct {
	log     Steps
	attempt idempotency.Attempt
	done    map[int][]string
}

// stepsOf returns the steps of the keyed request ctx runs in, with what an earlier try
// recorded, if this try resumes one.
func (p *Codes) stepsOf(ctx context.Context) (creationSteps, error) {
	a, ok := idempotency.FromContext(ctx)
	if !ok || p.steps == nil {
		return creationSteps{}, nil
	}
	st := creationSteps{log: p.steps, attempt: a}
	if a.Resumed {
		done, err := p.steps.Steps(ctx, a.ID)
		if err != nil {
			return creationSteps{}, err
		}
		st.done = done
	}
	return st, nil
}

// room is how many items of a transaction the step takes.
func (st creationSteps) room() int {
	if st.log == nil {
		return 0
	}
	return 1
}

func (st creationSteps) written(n int) bool {
	_, ok := st.done[n]
	return ok
}

// adopt sets the codes of chunk to those step n recorded, if an earlier try wrote it, and
// claims them.
func (st creationSteps) adopt(n int, chunk []promo.Code, seen *codeSet) error {
	values, ok := st.done[n]
	if !ok {
		return nil
	}
	if len(values) != len(chunk) {
		return apperr.Internal(fmt.Errorf("step %d of %s recorded %d codes; this creation puts %d there", n, st.attempt.ID, len(values), len(chunk)))
	}
	seen.mu.Lock()
	defer seen.mu.Unlock()
	for i, v := range values {
		chunk[i].Code = v
		seen.seen[v] = true
	}
	return nil
}

// put is the write of step n's record, with the chunk's codes.
func (st creationSteps) put(n int, chunk []promo.Code) (types.TransactWriteItem, error) {
	values := make([]string, len(chunk))
	for i, c := range chunk {
		values[i] = c.Code
	}
	return st.log.StepPut(st.attempt.ID, n, values, st.attempt.Expires)
}

// reread takes the codes of step n, which another try of the request recorded while this one
// tried to.
func (st creationSteps) reread(ctx context.Context, n int, chunk []promo.Code) error {
	done, err := st.log.Steps(ctx, st.attempt.ID)
	if err != nil {
		return err
	}
	values, ok := done[n]
	if !ok || len(values) != len(chunk) {
		return apperr.Internal(fmt.Errorf("step %d of %s: its record refused a write, yet holds %d codes", n, st.attempt.ID, len(values)))
	}
	for i, v := range values {
		chunk[i].Code = v
	}
	return nil
}
