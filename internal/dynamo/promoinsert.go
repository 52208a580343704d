package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/apperr"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promoissue"
)

// Transacter is the part of DynamoDB that writes several items at once, all or none.
type Transacter interface {
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// maxTransactItems is DynamoDB's limit of items per transaction.
const maxTransactItems = 100

// PromoCodes writes new promotion codes.
type PromoCodes struct {
	db    Transacter
	table string
	audit *AuditLog
	// sleep waits between retries of throttled or conflicting transactions.
	sleep func(time.Duration)
}

var _ promoissue.Codes = (*PromoCodes)(nil)

// NewPromoCodes returns the code writer of table, auditing into log.
func NewPromoCodes(db Transacter, table string, log *AuditLog) (*PromoCodes, error) {
	if db == nil || table == "" || log == nil {
		return nil, fmt.Errorf("promo codes: a client, a table name and an audit log are required")
	}
	return &PromoCodes{db: db, table: table, audit: log, sleep: time.Sleep}, nil
}

// Insert writes codes that must not exist, each with a condition, so an existing code is
// never overwritten: a code that collides (with the site's codes or another of this call)
// is regenerated and its chunk tried again. Codes go in transactions of up to 100 (the last
// with the audit entry), so up to 10,000 codes take a hundred round trips. BatchWriteItem
// cannot carry a condition, which is why codes are not written with it.
func (p *PromoCodes) Insert(ctx context.Context, codes []promo.Code, entry audit.Entry, regenerate func(promo.Code) (promo.Code, bool)) ([]promo.Code, error) {
	out := make([]promo.Code, len(codes))
	copy(out, codes)
	seen := make(map[string]bool, len(out))
	for i := range out {
		for seen[out[i].Code] {
			next, ok := regenerate(out[i])
			if !ok {
				return nil, promoissue.ErrCodeExists
			}
			out[i] = next
		}
		seen[out[i].Code] = true
	}
	auditPut, err := p.audit.Put(entry)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	for start := 0; start < len(out); {
		size := min(maxTransactItems, len(out)-start)
		last := start+size == len(out)
		if last && size == maxTransactItems {
			size-- // room for the audit entry
			last = false
		}
		var extra []types.TransactWriteItem
		if last {
			extra = []types.TransactWriteItem{auditPut}
		}
		if err := p.writeChunk(ctx, out[start:start+size], extra, seen, regenerate); err != nil {
			return nil, err
		}
		start += size
	}
	return out, nil
}

// writeChunk writes one transaction of codes, regenerating those that collide.
func (p *PromoCodes) writeChunk(ctx context.Context, chunk []promo.Code, extra []types.TransactWriteItem, seen map[string]bool, regenerate func(promo.Code) (promo.Code, bool)) error {
	for attempt := 0; ; attempt++ {
		items := make([]types.TransactWriteItem, 0, len(chunk)+len(extra))
		for _, c := range chunk {
			item, err := MarshalCode(c)
			if err != nil {
				return apperr.Internal(err)
			}
			items = append(items, types.TransactWriteItem{Put: &types.Put{
				TableName: aws.String(p.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
			}})
		}
		items = append(items, extra...)
		_, err := p.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			return nil
		}
		c := cancellation(err)
		switch {
		case len(c.failed) > 0:
			for _, i := range c.failed {
				if i >= len(chunk) {
					return apperr.Internal(fmt.Errorf("audit entry collided: %w", err))
				}
				for seen[chunk[i].Code] {
					next, ok := regenerate(chunk[i])
					if !ok {
						return promoissue.ErrCodeExists
					}
					chunk[i] = next
				}
				seen[chunk[i].Code] = true
			}
		case c.retry && attempt < 8:
			p.sleep(backoff(attempt))
		default:
			return apperr.Internal(fmt.Errorf("write codes: %w", err))
		}
	}
}
