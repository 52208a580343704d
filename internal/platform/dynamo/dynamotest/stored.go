// Package dynamotest helps the stores' tests check what they write.
package dynamotest

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// AssertStored fails unless item holds exactly what golden, a JSON document, describes:
// the same attribute names, values and shapes (strings, numbers, booleans, null, lists,
// maps). A store's items are its contract with the data already in a table, so each store
// pins them.
func AssertStored(t testing.TB, name string, item map[string]types.AttributeValue, golden string) {
	t.Helper()
	var got, want map[string]any
	if err := attributevalue.UnmarshalMap(item, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(golden), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		raw, _ := json.MarshalIndent(got, "", "\t")
		t.Errorf("%s: stored as\n%s\nwant\n%s", name, raw, golden)
	}
}
