package ordersdb

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

var _ checkout.Lister = (*Store)(nil)

// List reads one page of a site's orders, newest first, with one Query of the index the
// filter needs: by code (its few orders filtered by state when both are asked), by state,
// or every order; the date range is a range of the index's sort key. The cursor is the
// page's last key, refused unless it is of this site's partition.
func (s *Store) List(ctx context.Context, site string, f checkout.ListFilter) (checkout.OrderPage, error) {
	mode := settings.ModeProduction
	if f.Test {
		mode = settings.ModeTest
	}
	part := site + "#" + string(mode)
	index, hashName, hash := IndexByCreated, "listKey", part
	switch {
	case f.Code != "":
		index, hashName, hash = IndexByCode, "codeKey", part+"#"+f.Code
	case f.State != "":
		index, hashName, hash = IndexByState, "stateKey", part+"#"+string(f.State)
	}
	key := expression.Key(hashName).Equal(expression.Value(hash))
	from, to := dynamo.FormatTime(f.From), dynamo.FormatTime(f.To)
	switch {
	case from != "" && to != "":
		key = key.And(expression.Key("createdKey").Between(expression.Value(from), expression.Value(to)))
	case from != "":
		key = key.And(expression.Key("createdKey").GreaterThanEqual(expression.Value(from)))
	case to != "":
		key = key.And(expression.Key("createdKey").LessThan(expression.Value(to)))
	}
	b := expression.NewBuilder().WithKeyCondition(key)
	if f.Code != "" && f.State != "" {
		b = b.WithFilter(expression.Name("state").Equal(expression.Value(string(f.State))))
	}
	expr, err := b.Build()
	if err != nil {
		return checkout.OrderPage{}, apperr.Internal(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > checkout.MaxListLimit {
		limit = checkout.DefaultListLimit
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(index), KeyConditionExpression: expr.KeyCondition(),
		FilterExpression: expr.Filter(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ScanIndexForward: aws.Bool(false), Limit: aws.Int32(int32(limit)),
	}
	if f.Cursor != "" {
		start, err := decodeCursor(f.Cursor, site, hashName, hash)
		if err != nil {
			return checkout.OrderPage{}, err
		}
		in.ExclusiveStartKey = start
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return checkout.OrderPage{}, apperr.Internal(fmt.Errorf("list orders of %s: %w", site, err))
	}
	page := checkout.OrderPage{Orders: make([]checkout.Order, 0, len(out.Items))}
	for _, item := range out.Items {
		var it orderItem
		if err := dynamo.Unmarshal(item, &it); err != nil {
			return checkout.OrderPage{}, apperr.Internal(err)
		}
		page.Orders = append(page.Orders, it.order())
	}
	if len(out.LastEvaluatedKey) > 0 {
		if page.Next, err = encodeCursor(out.LastEvaluatedKey); err != nil {
			return checkout.OrderPage{}, err
		}
	}
	return page, nil
}

// encodeCursor writes a page's last key (string attributes only) as URL-safe text.
func encodeCursor(key map[string]types.AttributeValue) (string, error) {
	plain := map[string]string{}
	for k, v := range key {
		sv, ok := v.(*types.AttributeValueMemberS)
		if !ok {
			return "", apperr.Internal(fmt.Errorf("orders cursor: %s is not a string", k))
		}
		plain[k] = sv.Value
	}
	raw, err := json.Marshal(plain)
	if err != nil {
		return "", apperr.Internal(err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// decodeCursor reads a cursor back, refusing one that is not of the query's partition: the
// same site, and the same index key value (so a cursor of other filters is refused too).
func decodeCursor(c, site, hashName, hash string) (map[string]types.AttributeValue, error) {
	bad := apperr.Field("cursor", "is not the next of an earlier page of this list with these filters")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, bad
	}
	var plain map[string]string
	if json.Unmarshal(raw, &plain) != nil || plain[dynamo.PK] != site || plain[hashName] != hash ||
		!strings.HasPrefix(plain[dynamo.SK], orderSKPrefix) || plain["createdKey"] == "" || len(plain) != 4 {
		return nil, bad
	}
	out := make(map[string]types.AttributeValue, len(plain))
	for k, v := range plain {
		out[k] = &types.AttributeValueMemberS{Value: v}
	}
	return out, nil
}
