package ordersdb

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
)

// ByPayment finds site's order whose payment page was made with kind's token ID (or
// token) id: how a provider's message that names only our token finds its order. The
// index is shared by every site and eventually consistent, so it only names the order:
// an order of another site is not found, and the order is read again, consistently.
func (s *Store) ByPayment(ctx context.Context, site string, kind provider.Kind, id string) (checkout.Order, bool, error) {
	if id == "" {
		return checkout.Order{}, false, nil
	}
	key := paymentKey(checkout.Order{Provider: kind, Refs: checkout.ProviderRefs{TokenID: id}})
	expr, err := expression.NewBuilder().WithKeyCondition(expression.Key("paymentKey").Equal(expression.Value(key))).
		WithProjection(expression.NamesList(expression.Name(dynamo.PK), expression.Name("ref"))).Build()
	if err != nil {
		return checkout.Order{}, false, apperr.Internal(err)
	}
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(IndexByPayment), KeyConditionExpression: expr.KeyCondition(),
		ProjectionExpression: expr.Projection(), ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil {
		return checkout.Order{}, false, apperr.Internal(fmt.Errorf("find the order of %s payment %s: %w", kind, key, err))
	}
	for _, item := range out.Items {
		var named struct {
			PK  string `dynamodbav:"pk"`
			Ref string `dynamodbav:"ref"`
		}
		if err := dynamo.Unmarshal(item, &named); err != nil {
			return checkout.Order{}, false, apperr.Internal(err)
		}
		if named.PK == site {
			return s.Get(ctx, site, named.Ref)
		}
	}
	return checkout.Order{}, false, nil
}
