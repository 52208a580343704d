package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/apperr"
	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promochange"
)

// PromoChangeAPI is the part of DynamoDB that changing existing codes needs: GetItem and
// TransactWriteItems (which IAM authorises per item: UpdateItem on the code, PutItem on the
// audit entry).
type PromoChangeAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Attribute names of a code item that extend and delete write or test.
const (
	pcAttrExpiresOn = "expiresOn"
	pcAttrStored    = "storedStatus"
)

// pcTransientAttempts bounds the retries of a transaction DynamoDB cancelled for a reason
// that is not its condition (another transaction on the same item, throttling).
const pcTransientAttempts = 8

// PromoChanges extends and deletes existing promotion codes: one transaction per code,
// holding the conditional update of the code's item and the Put of its audit entry. The
// index keys derived from a changed field (expiryKey from expiresOn, statusKey from
// storedStatus) are written with it, derived by the same codec that writes new codes.
type PromoChanges struct {
	db    PromoChangeAPI
	table string
	audit *AuditLog
	// sleep waits between retries of cancelled transactions.
	sleep func(time.Duration)
}

var _ promochange.Codes = (*PromoChanges)(nil)

// NewPromoChanges returns the code changer of table, auditing into log.
func NewPromoChanges(db PromoChangeAPI, table string, log *AuditLog) (*PromoChanges, error) {
	if db == nil || table == "" || log == nil {
		return nil, fmt.Errorf("promo changes: a client, a table name and an audit log are required")
	}
	return &PromoChanges{db: db, table: table, audit: log, sleep: time.Sleep}, nil
}

func (p *PromoChanges) key(site, code string) map[string]types.AttributeValue {
	return siteKey(site, CodeSK(code))
}

// Get reads a code strongly consistently.
func (p *PromoChanges) Get(ctx context.Context, site, code string) (promo.Code, bool, error) {
	out, err := p.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(p.table), Key: p.key(site, code), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return promo.Code{}, false, apperr.Internal(fmt.Errorf("get code %s of %s: %w", code, site, err))
	}
	return p.decode(out.Item)
}

// decode reads a code item; an empty item is no code.
func (p *PromoChanges) decode(item map[string]types.AttributeValue) (promo.Code, bool, error) {
	if len(item) == 0 {
		return promo.Code{}, false, nil
	}
	c, err := UnmarshalCode(item)
	if err != nil {
		return promo.Code{}, false, apperr.Internal(err)
	}
	return c, true, nil
}

// SetExpiry writes to's expiry on the condition that the code exists, is not deleted and
// still expires on from.ExpiresOn (which is no later than to.ExpiresOn): an expiry is never
// moved earlier, and the audit entry's "before" is always the expiry it replaced.
func (p *PromoChanges) SetExpiry(ctx context.Context, from, to promo.Code, e audit.Entry) (promochange.Written, error) {
	if from.Site != to.Site || from.Code != to.Code {
		return promochange.Written{}, apperr.Internal(fmt.Errorf("set expiry: %s/%s is not %s/%s", to.Site, to.Code, from.Site, from.Code))
	}
	it := newCodeItem(to)
	update := expression.
		Set(expression.Name(pcAttrExpiresOn), expression.Value(it.ExpiresOn)).
		Set(expression.Name("expiresAt"), expression.Value(it.ExpiresAt)).
		Set(expression.Name("expiryKey"), expression.Value(it.ExpiryKey)).
		Set(expression.Name("updatedAt"), expression.Value(it.UpdatedAt)).
		Set(expression.Name("updatedBy"), expression.Value(it.UpdatedBy))
	cond := expression.AttributeExists(expression.Name(attrPK)).
		And(expression.Name(pcAttrStored).NotEqual(expression.Value(string(promo.StatusDeleted)))).
		And(expression.Name(pcAttrExpiresOn).Equal(expression.Value(from.ExpiresOn))).
		And(expression.Name(pcAttrExpiresOn).LessThanEqual(expression.Value(it.ExpiresOn)))
	return p.write(ctx, to.Site, to.Code, update, cond, e)
}

// MarkDeleted stores the code deleted on the condition that it exists and is not deleted
// yet. It does not read the code first: the fields a delete writes depend on the site and
// the code alone.
func (p *PromoChanges) MarkDeleted(ctx context.Context, site, code, actor string, now time.Time, e audit.Entry) (promochange.Written, error) {
	it := newCodeItem(promo.Code{Site: site, Code: code}.Deleted(actor, now))
	update := expression.
		Set(expression.Name(pcAttrStored), expression.Value(it.Stored)).
		Set(expression.Name("statusKey"), expression.Value(it.StatusKey)).
		Set(expression.Name("deletedAt"), expression.Value(it.DeletedAt)).
		Set(expression.Name("deletedBy"), expression.Value(it.DeletedBy)).
		Set(expression.Name("updatedAt"), expression.Value(it.UpdatedAt)).
		Set(expression.Name("updatedBy"), expression.Value(it.UpdatedBy))
	cond := expression.AttributeExists(expression.Name(attrPK)).
		And(expression.Name(pcAttrStored).NotEqual(expression.Value(string(promo.StatusDeleted))))
	return p.write(ctx, site, code, update, cond, e)
}

// write updates one code on cond together with its audit entry, all or nothing. A refused
// condition answers the item as DynamoDB found it (ReturnValuesOnConditionCheckFailure), so
// telling "not found" from "deleted" from "changed" costs no second read.
func (p *PromoChanges) write(ctx context.Context, site, code string, update expression.UpdateBuilder, cond expression.ConditionBuilder, e audit.Entry) (promochange.Written, error) {
	expr, err := expression.NewBuilder().WithUpdate(update).WithCondition(cond).Build()
	if err != nil {
		return promochange.Written{}, apperr.Internal(err)
	}
	auditPut, err := p.audit.Put(e)
	if err != nil {
		return promochange.Written{}, apperr.Internal(err)
	}
	in := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName: aws.String(p.table), Key: p.key(site, code),
			UpdateExpression:                    expr.Update(),
			ConditionExpression:                 expr.Condition(),
			ExpressionAttributeNames:            expr.Names(),
			ExpressionAttributeValues:           expr.Values(),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}},
		auditPut,
	}}
	for attempt := 0; ; attempt++ {
		// A fresh idempotency token per attempt: the SDK sets one on in (and keeps it across
		// its own retries of one attempt); a cancelled attempt is a new transaction.
		in.ClientRequestToken = nil
		_, err := p.db.TransactWriteItems(ctx, in)
		if err == nil {
			return promochange.Written{Applied: true}, nil
		}
		item, refused, transient := pcCancellation(err)
		switch {
		case refused:
			c, found, err := p.decode(item)
			if err != nil {
				return promochange.Written{}, err
			}
			return promochange.Written{Current: c, Found: found}, nil
		case transient && attempt+1 < pcTransientAttempts:
			p.sleep(backoff(attempt))
			if err := ctx.Err(); err != nil {
				return promochange.Written{}, apperr.Internal(err)
			}
			continue
		}
		return promochange.Written{}, apperr.Internal(fmt.Errorf("change code %s of %s: %w", code, site, err))
	}
}

// pcCancellation reads why a code's transaction failed: refused when the code's condition
// failed (item is the code as DynamoDB found it, empty when there is none), transient when
// it was cancelled for a reason worth trying again.
func pcCancellation(err error) (item map[string]types.AttributeValue, refused, transient bool) {
	c := cancellation(err)
	for _, i := range c.failed {
		if i != 0 {
			return nil, false, false // the audit entry's ID exists: never retried blindly
		}
		return c.items[0], true, false
	}
	return nil, false, c.retry
}
