package auditdb

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
)

// Querier is the part of DynamoDB that lists items.
type Querier interface {
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Log lists a site's audit entries and builds the writes that add them.
type Log struct {
	db    Querier
	table string
}

var _ audit.Lister = (*Log)(nil)

// New returns the audit log kept in table.
func New(db Querier, table string) (*Log, error) {
	if db == nil || table == "" {
		return nil, fmt.Errorf("audit log: a client and a table name are required")
	}
	return &Log{db: db, table: table}, nil
}

// auditItem is an entry as stored: pk = site, sk = entry ID. Changes are kept as one JSON
// string of changeItems so before/after values round-trip with their JSON types.
// item_test.go pins the attribute names.
type auditItem struct {
	PK      string `dynamodbav:"pk"`
	SK      string `dynamodbav:"sk"`
	At      string `dynamodbav:"at"`
	Actor   string `dynamodbav:"actor"`
	Action  string `dynamodbav:"action"`
	Target  string `dynamodbav:"target"`
	Changes string `dynamodbav:"changes"`
}

// Put returns the transaction item that adds e; it never overwrites an entry.
func (l *Log) Put(e audit.Entry) (types.TransactWriteItem, error) {
	changes, err := json.Marshal(newChangeItems(e.Changes))
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("encode audit changes: %w", err)
	}
	item, err := dynamo.Marshal(auditItem{
		PK: e.Site, SK: e.ID, At: e.At.UTC().Format(time.RFC3339Nano), Actor: e.Actor,
		Action: e.Action, Target: e.Target, Changes: string(changes),
	})
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(l.table), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}}, nil
}

// List returns a page of site's entries, newest first.
func (l *Log) List(ctx context.Context, site, cursor string, limit int) (audit.Page, error) {
	keyCond := expression.Key(dynamo.PK).Equal(expression.Value(site))
	expr, err := expression.NewBuilder().WithKeyCondition(keyCond).Build()
	if err != nil {
		return audit.Page{}, apperr.Internal(err)
	}
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(l.table),
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
	}
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil || !audit.IsID(string(raw)) { // checked before a cursor reaches DynamoDB
			return audit.Page{}, apperr.Field("cursor", "is not a cursor this list returned")
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{
			dynamo.PK: &types.AttributeValueMemberS{Value: site},
			dynamo.SK: &types.AttributeValueMemberS{Value: string(raw)},
		}
	}
	out, err := l.db.Query(ctx, in)
	if err != nil {
		return audit.Page{}, apperr.Internal(fmt.Errorf("query audit: %w", err))
	}
	page := audit.Page{Entries: make([]audit.Entry, 0, len(out.Items))}
	for _, it := range out.Items {
		e, err := decodeAudit(it)
		if err != nil {
			return audit.Page{}, apperr.Internal(err)
		}
		page.Entries = append(page.Entries, e)
	}
	if sk, ok := out.LastEvaluatedKey[dynamo.SK].(*types.AttributeValueMemberS); ok && len(out.Items) > 0 {
		page.Next = base64.RawURLEncoding.EncodeToString([]byte(sk.Value))
	}
	return page, nil
}

func decodeAudit(it map[string]types.AttributeValue) (audit.Entry, error) {
	var a auditItem
	if err := dynamo.Unmarshal(it, &a); err != nil {
		return audit.Entry{}, err
	}
	at, err := time.Parse(time.RFC3339Nano, a.At)
	if err != nil {
		return audit.Entry{}, fmt.Errorf("audit entry %s: bad time: %w", a.SK, err)
	}
	var changes []changeItem
	if err := json.Unmarshal([]byte(a.Changes), &changes); err != nil {
		return audit.Entry{}, fmt.Errorf("audit entry %s: bad changes: %w", a.SK, err)
	}
	return audit.Entry{
		ID: a.SK, Site: a.PK, At: at, Actor: a.Actor, Action: a.Action, Target: a.Target, Changes: changesOf(changes),
	}, nil
}
