package changedb

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// API is the part of DynamoDB that changing existing codes needs: GetItem and
// TransactWriteItems (which IAM authorises per item: UpdateItem on the code, PutItem on the
// audit entry).
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Codes extends and deletes existing promotion codes: one transaction per code,
// holding the conditional update of the code's item and the Put of its audit entry. The
// index keys derived from a changed field (expiryKey from expiresOn, statusKey from
// storedStatus) are written with it, derived by the same codec that writes new codes.
type Codes struct {
	db    API
	table string
	audit *auditdb.Log
}

var _ change.Codes = (*Codes)(nil)

// New returns the code changer of table, auditing into log.
func New(db API, table string, log *auditdb.Log) (*Codes, error) {
	if db == nil || table == "" || log == nil {
		return nil, fmt.Errorf("promo changes: a client, a table name and an audit log are required")
	}
	return &Codes{db: db, table: table, audit: log}, nil
}

func (p *Codes) key(site, code string) map[string]types.AttributeValue {
	return dynamo.Key(site, promodb.CodeSK(code))
}

// Get reads a code strongly consistently.
func (p *Codes) Get(ctx context.Context, site, code string) (promo.Code, bool, error) {
	out, err := p.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(p.table), Key: p.key(site, code), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return promo.Code{}, false, apperr.Internal(fmt.Errorf("get code %s of %s: %w", code, site, err))
	}
	return p.decode(out.Item)
}

// decode reads a code item; an empty item is no code.
func (p *Codes) decode(item map[string]types.AttributeValue) (promo.Code, bool, error) {
	if len(item) == 0 {
		return promo.Code{}, false, nil
	}
	c, err := promodb.UnmarshalCode(item)
	if err != nil {
		return promo.Code{}, false, apperr.Internal(err)
	}
	return c, true, nil
}

// SetExpiry writes to's expiry on the condition that the code exists, is not deleted and
// still expires on from.ExpiresOn (which is no later than to.ExpiresOn): an expiry is never
// moved earlier, and the audit entry's "before" is always the expiry it replaced.
func (p *Codes) SetExpiry(ctx context.Context, from, to promo.Code, e audit.Entry) (change.Written, error) {
	if from.Site != to.Site || from.Code != to.Code {
		return change.Written{}, apperr.Internal(fmt.Errorf("set expiry: %s/%s is not %s/%s", to.Site, to.Code, from.Site, from.Code))
	}
	update := promodb.ExpiryUpdate(to)
	cond := expression.AttributeExists(expression.Name(dynamo.PK)).
		And(expression.Name(promodb.AttrStoredStatus).NotEqual(expression.Value(string(promo.StatusDeleted)))).
		And(expression.Name(promodb.AttrExpiresOn).Equal(expression.Value(from.ExpiresOn))).
		And(expression.Name(promodb.AttrExpiresOn).LessThanEqual(expression.Value(to.ExpiresOn)))
	return p.write(ctx, to.Site, to.Code, update, cond, e)
}

// MarkDeleted stores the code deleted on the condition that it exists and is not deleted
// yet. It does not read the code first: the fields a delete writes depend on the site and
// the code alone.
func (p *Codes) MarkDeleted(ctx context.Context, site, code, actor string, now time.Time, e audit.Entry) (change.Written, error) {
	update := promodb.DeletionUpdate(promo.Code{Site: site, Code: code}.Deleted(actor, now))
	cond := expression.AttributeExists(expression.Name(dynamo.PK)).
		And(expression.Name(promodb.AttrStoredStatus).NotEqual(expression.Value(string(promo.StatusDeleted))))
	return p.write(ctx, site, code, update, cond, e)
}

// write updates one code on cond together with its audit entry, all or nothing. A refused
// condition answers the item as DynamoDB found it (ReturnValuesOnConditionCheckFailure), so
// telling "not found" from "deleted" from "changed" costs no second read.
func (p *Codes) write(ctx context.Context, site, code string, update expression.UpdateBuilder, cond expression.ConditionBuilder, e audit.Entry) (change.Written, error) {
	expr, err := expression.NewBuilder().WithUpdate(update).WithCondition(cond).Build()
	if err != nil {
		return change.Written{}, apperr.Internal(err)
	}
	auditPut, err := p.audit.Put(e)
	if err != nil {
		return change.Written{}, apperr.Internal(err)
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
	// Cancelled for another reason than a condition (another transaction on the item,
	// throttling), the transaction is tried again, each try a new one.
	err = dynamo.TransactWrite(ctx, p.db, in)
	if err == nil {
		return change.Written{Applied: true}, nil
	}
	if item, refused := pcRefusal(err); refused {
		c, found, err := p.decode(item)
		if err != nil {
			return change.Written{}, err
		}
		return change.Written{Current: c, Found: found}, nil
	}
	return change.Written{}, apperr.Internal(fmt.Errorf("change code %s of %s: %w", code, site, err))
}

// pcRefusal reads whether a code's transaction failed on the code's condition: item is the
// code as DynamoDB found it, empty when there is none.
func pcRefusal(err error) (item map[string]types.AttributeValue, refused bool) {
	c := dynamo.Cancellation(err)
	for _, i := range c.Failed {
		if i != 0 {
			return nil, false // the audit entry's ID exists: never retried blindly
		}
		return c.Items[0], true
	}
	return nil, false
}
