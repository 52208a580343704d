package paymentsdb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/payments/setup"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
)

// GrantStatesAPI is the part of DynamoDB the grant states need.
type GrantStatesAPI interface {
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

// Grant states live in the sites table under their own partition ("grant#<hash>"), with
// the table's TTL attribute so DynamoDB sweeps the expired ones; Take does not rely on the
// sweep, which can lag by days.
const (
	grantPKPrefix = "grant#"
	skGrantState  = "grant-state"
	attrExpiresAt = "expiresAt"
)

// GrantStates keeps Express Checkout permission states, each usable once.
type GrantStates struct {
	db    GrantStatesAPI
	table string
}

var _ setup.States = (*GrantStates)(nil)

// NewGrantStates returns the states kept in the sites table.
func NewGrantStates(db GrantStatesAPI, table string) (*GrantStates, error) {
	if db == nil || table == "" {
		return nil, fmt.Errorf("grant states: a client and a table name are required")
	}
	return &GrantStates{db: db, table: table}, nil
}

// Put stores a state under key until expires; an existing key is never overwritten.
func (g *GrantStates) Put(ctx context.Context, key string, st setup.GrantState, expires time.Time) error {
	item, err := dynamo.Marshal(newGrantStateItem(key, st, expires))
	if err != nil {
		return apperr.Internal(fmt.Errorf("encode grant state: %w", err))
	}
	_, err = g.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(g.table), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	if err != nil {
		return apperr.Internal(fmt.Errorf("store grant state: %w", err))
	}
	return nil
}

// Take deletes the state under key and returns it, if it exists and has not expired; the
// conditional delete makes a second Take of the same key fail even when both race.
func (g *GrantStates) Take(ctx context.Context, key string, now time.Time) (setup.GrantState, error) {
	cond := expression.AttributeExists(expression.Name(dynamo.PK)).
		And(expression.Name(attrExpiresAt).GreaterThan(expression.Value(now.Unix())))
	expr, err := expression.NewBuilder().WithCondition(cond).Build()
	if err != nil {
		return setup.GrantState{}, apperr.Internal(err)
	}
	out, err := g.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(g.table), Key: dynamo.Key(grantPKPrefix+key, skGrantState),
		ConditionExpression:       expr.Condition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ReturnValues:              types.ReturnValueAllOld,
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return setup.GrantState{}, setup.ErrUnknownState
	}
	if err != nil {
		return setup.GrantState{}, apperr.Internal(fmt.Errorf("take grant state: %w", err))
	}
	var it grantStateItem
	if err := dynamo.Unmarshal(out.Attributes, &it); err != nil {
		return setup.GrantState{}, apperr.Internal(fmt.Errorf("decode grant state: %w", err))
	}
	return it.state(), nil
}
