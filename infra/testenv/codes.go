package testenv

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// PutCodes stores codes in the promotion codes table as promo-create would have, keys and
// index attributes included.
func PutCodes(t testing.TB, db *dynamodb.Client, table string, codes ...promo.Code) {
	t.Helper()
	for _, c := range codes {
		item, err := promodb.MarshalCode(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
}

// StoredCodes lists the codes of site in the promotion codes table, sorted, read strongly
// consistently from the table itself (not an index): what a creation really wrote.
func StoredCodes(t testing.TB, db *dynamodb.Client, table, site string) []string {
	t.Helper()
	var out []string
	p := dynamodb.NewQueryPaginator(db, &dynamodb.QueryInput{
		TableName: aws.String(table), KeyConditionExpression: aws.String("pk = :s AND begins_with(sk, :c)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":s": &types.AttributeValueMemberS{Value: site}, ":c": &types.AttributeValueMemberS{Value: promodb.CodeSKPrefix},
		},
		ConsistentRead: aws.Bool(true), ProjectionExpression: aws.String("sk"),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range page.Items {
			sk, _ := item["sk"].(*types.AttributeValueMemberS)
			out = append(out, strings.TrimPrefix(sk.Value, promodb.CodeSKPrefix))
		}
	}
	slices.Sort(out)
	return out
}
