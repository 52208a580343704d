package issuedb

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/sync/errgroup"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency/idempotencydb"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// Transacter is the part of DynamoDB that writes several items at once, all or none.
type Transacter = dynamo.Transacter

// maxTransactItems is DynamoDB's limit of items per transaction.
const maxTransactItems = 100

// Codes writes new promotion codes.
type Codes struct {
	db    Transacter
	table string
	audit *auditdb.Log
	steps Steps
}

var _ issue.Codes = (*Codes)(nil)

// Steps records the transactions of a creation that a keyed request ties to its retries (see
// idempotency.Attempt): each transaction of codes carries the write of its step, with its
// codes, so a later try of the request knows which were written and what they hold.
type Steps interface {
	StepPut(id string, n int, values []string, expires time.Time) (types.TransactWriteItem, error)
	Steps(ctx context.Context, id string) (map[int][]string, error)
}

var _ Steps = (*idempotencydb.Store)(nil)

// NewCodes returns the code writer of table, auditing into log. With steps, a creation in a
// keyed request records its transactions there, and a retry finishes it (see Insert).
func NewCodes(db Transacter, table string, log *auditdb.Log, steps Steps) (*Codes, error) {
	if db == nil || table == "" || log == nil {
		return nil, fmt.Errorf("promo codes: a client, a table name and an audit log are required")
	}
	return &Codes{db: db, table: table, audit: log, steps: steps}, nil
}

// insertWorkers is how many transactions of codes are written at once.
const insertWorkers = 4

// Insert writes codes that must not exist, each with a condition, so an existing code is
// never overwritten: a code that collides (with the site's codes or another of this call)
// is regenerated and its chunk tried again. Codes go in transactions of up to 100, four at a
// time; the last transaction, written once all others are, carries the audit entry, so
// 10,000 codes take 25 rounds. BatchWriteItem cannot carry a condition, which is why codes
// are not written with it.
//
// In a keyed request (and with steps) each transaction also records its step, so it holds
// one code fewer. A resumed try (the first died or failed after some transactions) writes
// only the transactions no try recorded, and answers every code, those an earlier try wrote
// included; a transaction another try records meanwhile is taken as written: the request
// makes its codes once, never twice.
func (p *Codes) Insert(ctx context.Context, codes []promo.Code, entry audit.Entry, regenerate func(promo.Code) (promo.Code, bool)) ([]promo.Code, error) {
	out := make([]promo.Code, len(codes))
	copy(out, codes)
	st, err := p.stepsOf(ctx)
	if err != nil {
		return nil, err
	}
	chunks := chunksOf(len(out), maxTransactItems-st.room())
	seen := &codeSet{seen: make(map[string]bool, len(out))}
	// The codes of transactions an earlier try wrote are what it recorded; the others are
	// this try's.
	for n, c := range chunks {
		if err := st.adopt(n, out[c[0]:c[1]], seen); err != nil {
			return nil, err
		}
	}
	for n, c := range chunks {
		if st.written(n) {
			continue
		}
		for i := c[0]; i < c[1]; i++ {
			next, err := seen.claim(out[i], regenerate)
			if err != nil {
				return nil, err
			}
			out[i] = next
		}
	}
	auditPut, err := p.audit.Put(entry)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	last := len(chunks) - 1
	// After a failed chunk (or the end of ctx) no new one starts; those under way finish.
	g, failed := errgroup.WithContext(ctx)
	g.SetLimit(insertWorkers)
	for n, c := range chunks[:last] {
		if failed.Err() != nil {
			break
		}
		if st.written(n) {
			continue
		}
		g.Go(func() error { return p.writeChunk(ctx, out[c[0]:c[1]], nil, st, n, seen, regenerate) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !st.written(last) {
		c := chunks[last]
		if err := p.writeChunk(ctx, out[c[0]:c[1]], []types.TransactWriteItem{auditPut}, st, last, seen, regenerate); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// chunksOf splits n codes into transactions of room items: the last, which carries the
// audit entry too, holds at most room-1 codes (and is the only one for a few codes). Every
// try of a creation splits alike, so step n is the same codes' transaction in each.
func chunksOf(n, room int) [][2]int {
	lastStart := max(0, n-(room-1))
	var chunks [][2]int
	for start := 0; start < lastStart; start += room {
		chunks = append(chunks, [2]int{start, min(start+room, lastStart)})
	}
	return append(chunks, [2]int{lastStart, n})
}

// codeSet is the codes of one Insert, so no two of them are the same; safe for concurrent
// use.
type codeSet struct {
	mu   sync.Mutex
	seen map[string]bool
}

// claim returns c, or c regenerated until its code is not yet in the set, and adds it.
func (s *codeSet) claim(c promo.Code, regenerate func(promo.Code) (promo.Code, bool)) (promo.Code, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.seen[c.Code] {
		next, ok := regenerate(c)
		if !ok {
			return c, issue.ErrCodeExists
		}
		c = next
	}
	s.seen[c.Code] = true
	return c, nil
}

// writeChunk writes one transaction of codes, regenerating those that collide (a conflict
// or throttling is retried by TransactWrite), with step n's record when the creation keeps
// steps. If another try recorded step n meanwhile, it wrote the transaction: its codes are
// taken, and this try's dropped.
func (p *Codes) writeChunk(ctx context.Context, chunk []promo.Code, extra []types.TransactWriteItem, st creationSteps, n int, seen *codeSet, regenerate func(promo.Code) (promo.Code, bool)) error {
	for {
		items := make([]types.TransactWriteItem, 0, len(chunk)+1+len(extra))
		for _, c := range chunk {
			item, err := promodb.MarshalCode(c)
			if err != nil {
				return apperr.Internal(err)
			}
			items = append(items, types.TransactWriteItem{Put: &types.Put{
				TableName: aws.String(p.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
			}})
		}
		stepAt := -1
		if st.log != nil {
			put, err := st.put(n, chunk)
			if err != nil {
				return err
			}
			stepAt = len(items)
			items = append(items, put)
		}
		items = append(items, extra...)
		err := dynamo.TransactWrite(ctx, p.db, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			return nil
		}
		if stepAt >= 0 && dynamo.ConditionFailedAt(err, stepAt) {
			return st.reread(ctx, n, chunk)
		}
		c := dynamo.Cancellation(err)
		if len(c.Failed) == 0 {
			return apperr.Internal(fmt.Errorf("write codes: %w", err))
		}
		for _, i := range c.Failed {
			if i >= len(chunk) {
				return apperr.Internal(fmt.Errorf("audit entry collided: %w", err))
			}
			next, err := seen.claim(chunk[i], regenerate)
			if err != nil {
				return err
			}
			chunk[i] = next
		}
	}
}
