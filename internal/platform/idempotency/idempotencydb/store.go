// Package idempotencydb keeps idempotency records, and the steps of the creations they
// guard, in a DynamoDB table whose TTL attribute expiresAt removes them after their window.
package idempotencydb

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
)

// API is the part of DynamoDB the store uses.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Store is the idempotency records of one table.
type Store struct {
	db    API
	table string
}

var _ idempotency.Store = (*Store)(nil)

// New returns the store of table.
func New(db API, table string) (*Store, error) {
	if db == nil || table == "" {
		return nil, errors.New("idempotency store: a client and a table name are required")
	}
	return &Store{db: db, table: table}, nil
}

// Begin puts req's record in progress unless its key has one that has not expired; the
// expired one a TTL has not removed yet counts as none. When the key has a record, Begin
// returns it as DynamoDB found it when the put failed.
func (s *Store) Begin(ctx context.Context, req idempotency.Request, h idempotency.Hold) (idempotency.Record, bool, error) {
	it := newRecordItem(req, h)
	item, err := dynamo.Marshal(it)
	if err != nil {
		return idempotency.Record{}, false, apperr.Internal(err)
	}
	cond := expression.AttributeNotExists(expression.Name(dynamo.PK)).Or(expression.Name("expiresAt").LessThanEqual(expression.Value(h.Now.Unix())))
	expr, err := expression.NewBuilder().WithCondition(cond).Build()
	if err != nil {
		return idempotency.Record{}, false, apperr.Internal(err)
	}
	// A record that is forgotten between a failed put and its read leaves the key free: try again.
	for range 3 {
		_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(s.table), Item: item, ConditionExpression: expr.Condition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		})
		var failed *types.ConditionalCheckFailedException
		if !errors.As(err, &failed) {
			if err != nil {
				return idempotency.Record{}, false, apperr.Internal(fmt.Errorf("begin idempotent request: %w", err))
			}
			return it.record(), true, nil
		}
		found := failed.Item
		if found == nil {
			if found, err = s.get(ctx, it.PK); err != nil {
				return idempotency.Record{}, false, err
			}
		}
		if found != nil {
			rec, err := decode(found)
			return rec, false, err
		}
	}
	return idempotency.Record{}, false, apperr.Internal(errors.New("begin idempotent request: the key's record came and went three times"))
}

func (s *Store) get(ctx context.Context, pk string) (map[string]types.AttributeValue, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: dynamo.Key(pk, recordSK), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, apperr.Internal(fmt.Errorf("read idempotency record: %w", err))
	}
	return out.Item, nil
}

func decode(item map[string]types.AttributeValue) (idempotency.Record, error) {
	var it recordItem
	if err := dynamo.Unmarshal(item, &it); err != nil {
		return idempotency.Record{}, apperr.Internal(err)
	}
	return it.record(), nil
}

// held is the condition that owner holds rec: it is in progress, owned by owner, and the
// same request (began) as rec.
func held(rec idempotency.Record, owner string) expression.ConditionBuilder {
	return expression.Name("state").Equal(expression.Value(string(idempotency.InProgress))).
		And(expression.Name("owner").Equal(expression.Value(owner))).
		And(expression.Name("began").Equal(expression.Value(rec.Began.UnixNano())))
}

// TakeOver hands rec to h if it is still held by the owner rec names and that owner's lease
// has passed.
func (s *Store) TakeOver(ctx context.Context, rec idempotency.Record, h idempotency.Hold) (idempotency.Record, error) {
	cond := held(rec, rec.Owner).And(expression.Name("leaseUntil").LessThanEqual(expression.Value(h.Now.UnixMilli())))
	upd := expression.Set(expression.Name("owner"), expression.Value(h.Owner)).Set(expression.Name("leaseUntil"), expression.Value(h.Until.UnixMilli()))
	out, err := s.update(ctx, rec, upd, cond, types.ReturnValueAllNew)
	if err != nil {
		return idempotency.Record{}, err
	}
	return decode(out)
}

// Complete records the answer and ends the hold.
func (s *Store) Complete(ctx context.Context, rec idempotency.Record, owner string, status int, ref string) error {
	upd := expression.Set(expression.Name("state"), expression.Value(string(idempotency.Done))).
		Set(expression.Name("status"), expression.Value(status)).
		Set(expression.Name("leaseUntil"), expression.Value(0)).
		Remove(expression.Name("owner"))
	if ref != "" {
		upd = upd.Set(expression.Name("ref"), expression.Value(ref))
	}
	_, err := s.update(ctx, rec, upd, held(rec, owner), types.ReturnValueNone)
	return err
}

// Abandon ends owner's lease at once.
func (s *Store) Abandon(ctx context.Context, rec idempotency.Record, owner string) error {
	_, err := s.update(ctx, rec, expression.Set(expression.Name("leaseUntil"), expression.Value(0)), held(rec, owner), types.ReturnValueNone)
	return err
}

// Forget deletes the record if owner holds it.
func (s *Store) Forget(ctx context.Context, rec idempotency.Record, owner string) error {
	expr, err := expression.NewBuilder().WithCondition(held(rec, owner)).Build()
	if err != nil {
		return apperr.Internal(err)
	}
	_, err = s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(s.table), Key: dynamo.Key(rec.Hash, recordSK), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	return lost(err, "forget idempotency record")
}

func (s *Store) update(ctx context.Context, rec idempotency.Record, upd expression.UpdateBuilder, cond expression.ConditionBuilder, ret types.ReturnValue) (map[string]types.AttributeValue, error) {
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.table), Key: dynamo.Key(rec.Hash, recordSK),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), ReturnValues: ret,
	})
	if err := lost(err, "update idempotency record"); err != nil {
		return nil, err
	}
	return out.Attributes, nil
}

// lost reads a failed condition as idempotency.ErrLost.
func lost(err error, what string) error {
	var failed *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return nil
	case errors.As(err, &failed):
		return idempotency.ErrLost
	default:
		return apperr.Internal(fmt.Errorf("%s: %w", what, err))
	}
}

// StepPut is the write that records step n of the request id, values being what it made;
// it goes in the step's own transaction, so the step and its record are written together or
// not at all. Its condition fails if another try recorded step n already: that try wrote
// the step.
func (s *Store) StepPut(id string, n int, values []string, expires time.Time) (types.TransactWriteItem, error) {
	item, err := dynamo.Marshal(stepItem{PK: id, SK: stepSK(n), Values: values, ExpiresAt: expires.Unix()})
	if err != nil {
		return types.TransactWriteItem{}, apperr.Internal(err)
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(s.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}}, nil
}

func stepSK(n int) string { return fmt.Sprintf("%s%06d", stepPrefix, n) }

// Steps lists the steps recorded under the request id, strongly consistently: a try
// decides what is left to write from it.
func (s *Store) Steps(ctx context.Context, id string) (map[int][]string, error) {
	keyCond := expression.Key(dynamo.PK).Equal(expression.Value(id)).And(expression.Key(dynamo.SK).BeginsWith(stepPrefix))
	expr, err := expression.NewBuilder().WithKeyCondition(keyCond).Build()
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := map[int][]string{}
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), ConsistentRead: aws.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, apperr.Internal(fmt.Errorf("read the steps of %s: %w", id, err))
		}
		for _, item := range page.Items {
			var it stepItem
			if err := dynamo.Unmarshal(item, &it); err != nil {
				return nil, apperr.Internal(err)
			}
			n, err := strconv.Atoi(strings.TrimPrefix(it.SK, stepPrefix))
			if err != nil {
				return nil, apperr.Internal(fmt.Errorf("step %q of %s: %w", it.SK, id, err))
			}
			out[n] = it.Values
		}
	}
	return out, nil
}
