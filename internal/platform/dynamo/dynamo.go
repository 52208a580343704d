// Package dynamo holds what every DynamoDB store shares and no feature knows: the key
// attributes of every table, the item codec, and how a failed transaction is read and retried.
package dynamo

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Key attribute names shared by every table: a string partition key and sort key.
const (
	PK = "pk"
	SK = "sk"
)

// Key is the primary key of the item pk/sk.
func Key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		PK: &types.AttributeValueMemberS{Value: pk},
		SK: &types.AttributeValueMemberS{Value: sk},
	}
}

// Marshal encodes a store's item struct (its `dynamodbav` tags name the attributes).
func Marshal(item any) (map[string]types.AttributeValue, error) {
	m, err := attributevalue.MarshalMap(item)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", item, err)
	}
	return m, nil
}

// Unmarshal decodes an item into a store's item struct.
func Unmarshal(m map[string]types.AttributeValue, item any) error {
	if err := attributevalue.UnmarshalMap(m, item); err != nil {
		return fmt.Errorf("decode %T: %w", item, err)
	}
	return nil
}
