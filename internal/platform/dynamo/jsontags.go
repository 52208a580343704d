package dynamo

import "github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

// Transitional: stores that still marshal domain structs by their json tags. Removed once
// every store maps a private item struct.
func JSONTags(o *attributevalue.EncoderOptions)    { o.TagKey = "json" }
func JSONTagsDec(o *attributevalue.DecoderOptions) { o.TagKey = "json" }
