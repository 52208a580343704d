package testenv

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

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
