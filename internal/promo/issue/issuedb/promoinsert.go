package issuedb

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/sync/errgroup"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
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
}

var _ issue.Codes = (*Codes)(nil)

// NewCodes returns the code writer of table, auditing into log.
func NewCodes(db Transacter, table string, log *auditdb.Log) (*Codes, error) {
	if db == nil || table == "" || log == nil {
		return nil, fmt.Errorf("promo codes: a client, a table name and an audit log are required")
	}
	return &Codes{db: db, table: table, audit: log}, nil
}

// insertWorkers is how many transactions of codes are written at once.
const insertWorkers = 4

// Insert writes codes that must not exist, each with a condition, so an existing code is
// never overwritten: a code that collides (with the site's codes or another of this call)
// is regenerated and its chunk tried again. Codes go in transactions of up to 100, four at a
// time; the last transaction, written once all others are, carries the audit entry, so
// 10,000 codes take 25 rounds. BatchWriteItem cannot carry a condition, which is why codes
// are not written with it.
func (p *Codes) Insert(ctx context.Context, codes []promo.Code, entry audit.Entry, regenerate func(promo.Code) (promo.Code, bool)) ([]promo.Code, error) {
	out := make([]promo.Code, len(codes))
	copy(out, codes)
	seen := &codeSet{seen: make(map[string]bool, len(out))}
	for i := range out {
		next, err := seen.claim(out[i], regenerate)
		if err != nil {
			return nil, err
		}
		out[i] = next
	}
	auditPut, err := p.audit.Put(entry)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	// The last chunk holds at most 99 codes, to leave room for the audit entry.
	lastStart := max(0, len(out)-(maxTransactItems-1))
	var chunks [][2]int
	for start := 0; start < lastStart; start += maxTransactItems {
		chunks = append(chunks, [2]int{start, min(start+maxTransactItems, lastStart)})
	}
	// After a failed chunk (or the end of ctx) no new one starts; those under way finish.
	g, failed := errgroup.WithContext(ctx)
	g.SetLimit(insertWorkers)
	for _, c := range chunks {
		if failed.Err() != nil {
			break
		}
		g.Go(func() error { return p.writeChunk(ctx, out[c[0]:c[1]], nil, seen, regenerate) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := p.writeChunk(ctx, out[lastStart:], []types.TransactWriteItem{auditPut}, seen, regenerate); err != nil {
		return nil, err
	}
	return out, nil
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
// or throttling is retried by TransactWrite).
func (p *Codes) writeChunk(ctx context.Context, chunk []promo.Code, extra []types.TransactWriteItem, seen *codeSet, regenerate func(promo.Code) (promo.Code, bool)) error {
	for {
		items := make([]types.TransactWriteItem, 0, len(chunk)+len(extra))
		for _, c := range chunk {
			item, err := promodb.MarshalCode(c)
			if err != nil {
				return apperr.Internal(err)
			}
			items = append(items, types.TransactWriteItem{Put: &types.Put{
				TableName: aws.String(p.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
			}})
		}
		items = append(items, extra...)
		err := dynamo.TransactWrite(ctx, p.db, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			return nil
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
