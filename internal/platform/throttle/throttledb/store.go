// Package throttledb keeps the throttle's failure counts in a DynamoDB table: one item per
// key and window, counted by an atomic ADD, removed through the TTL attribute expiresAt
// once its window has ended.
package throttledb

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle"
)

// API is the part of DynamoDB the store uses.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
}

// Store is the failure counts of one table.
type Store struct {
	db    API
	table string
}

var _ throttle.Counts = (*Store)(nil)

// New returns the store of table.
func New(db API, table string) (*Store, error) {
	if db == nil || table == "" {
		return nil, errors.New("throttle store: a client and a table name are required")
	}
	return &Store{db: db, table: table}, nil
}

// failures is the count's attribute; expiresAt the table's TTL attribute.
const (
	failures  = "failures"
	expiresAt = "expiresAt"
)

// key is the item of name's count in w: pk the key's name, sk the window's start in Unix
// seconds. A new window is a new item, so a count never needs resetting, and an item the
// TTL has not removed yet is never read again.
func key(name string, w throttle.Window) map[string]types.AttributeValue {
	return dynamo.Key(name, "w#"+strconv.FormatInt(w.Start.Unix(), 10))
}

// Count reads name's count in w, strongly consistently: a failure counted by another
// instance a moment ago counts now.
func (s *Store) Count(ctx context.Context, name string, w throttle.Window) (int64, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table), Key: key(name, w), ConsistentRead: aws.Bool(true),
		ProjectionExpression: aws.String(failures),
	})
	if err != nil {
		return 0, fmt.Errorf("read the failures of %s: %w", name, err)
	}
	return decode(out.Item)
}

// Add counts one failure of name in w in one UpdateItem: ADD is atomic in DynamoDB, so
// concurrent failures all count, with no read before the write. The item expires when its
// window ends (DynamoDB's TTL removes it some time after).
func (s *Store) Add(ctx context.Context, name string, w throttle.Window) (int64, error) {
	upd := expression.Add(expression.Name(failures), expression.Value(1)).
		Set(expression.Name(expiresAt), expression.Value(w.End.Unix()))
	expr, err := expression.NewBuilder().WithUpdate(upd).Build()
	if err != nil {
		return 0, err
	}
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.table), Key: key(name, w), UpdateExpression: expr.Update(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValues: types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return 0, fmt.Errorf("count a failure of %s: %w", name, err)
	}
	return decode(out.Attributes)
}

func decode(item map[string]types.AttributeValue) (int64, error) {
	var it struct {
		Failures int64 `dynamodbav:"failures"`
	}
	if err := dynamo.Unmarshal(item, &it); err != nil {
		return 0, err
	}
	return it.Failures, nil
}
