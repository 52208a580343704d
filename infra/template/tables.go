package template

import (
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	cfdynamodb "github.com/awslabs/goformation/v7/cloudformation/dynamodb"
)

// Table is an AWS::DynamoDB::Table of the template.
type Table struct {
	LogicalID string
	TTL       string // the TTL attribute, if any
	// Create creates the table under the given name, as CloudFormation would.
	Create func(name string) *dynamodb.CreateTableInput
}

// Tables lists the template's tables, sorted by logical ID.
func (t *Template) Tables() []Table {
	var out []Table
	for id, tb := range t.cf.GetAllDynamoDBTableResources() {
		tb := tb
		table := Table{LogicalID: id, Create: func(name string) *dynamodb.CreateTableInput { return createInput(name, tb) }}
		if tb.TimeToLiveSpecification != nil && tb.TimeToLiveSpecification.Enabled && tb.TimeToLiveSpecification.AttributeName != nil {
			table.TTL = *tb.TimeToLiveSpecification.AttributeName
		}
		out = append(out, table)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogicalID < out[j].LogicalID })
	return out
}

func createInput(name string, tb *cfdynamodb.Table) *dynamodb.CreateTableInput {
	in := &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest}
	if tb.BillingMode != nil {
		in.BillingMode = types.BillingMode(*tb.BillingMode)
	}
	if in.BillingMode == types.BillingModeProvisioned {
		in.ProvisionedThroughput = throughput(tb.ProvisionedThroughput)
	}
	for _, a := range tb.AttributeDefinitions {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(a.AttributeName), AttributeType: types.ScalarAttributeType(a.AttributeType),
		})
	}
	in.KeySchema = keys(tb.KeySchema)
	for _, g := range tb.GlobalSecondaryIndexes {
		gsi := types.GlobalSecondaryIndex{IndexName: aws.String(g.IndexName), KeySchema: keys(g.KeySchema), Projection: projection(g.Projection)}
		if in.BillingMode == types.BillingModeProvisioned {
			gsi.ProvisionedThroughput = throughput(g.ProvisionedThroughput)
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, gsi)
	}
	for _, l := range tb.LocalSecondaryIndexes {
		in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, types.LocalSecondaryIndex{
			IndexName: aws.String(l.IndexName), KeySchema: keys(l.KeySchema), Projection: projection(l.Projection),
		})
	}
	return in
}

func keys(ks []cfdynamodb.Table_KeySchema) []types.KeySchemaElement {
	out := make([]types.KeySchemaElement, 0, len(ks))
	for _, k := range ks {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: types.KeyType(k.KeyType)})
	}
	return out
}

func projection(p *cfdynamodb.Table_Projection) *types.Projection {
	if p == nil {
		return &types.Projection{ProjectionType: types.ProjectionTypeAll}
	}
	out := &types.Projection{NonKeyAttributes: p.NonKeyAttributes, ProjectionType: types.ProjectionTypeAll}
	if p.ProjectionType != nil {
		out.ProjectionType = types.ProjectionType(*p.ProjectionType)
	}
	return out
}

func throughput(p *cfdynamodb.Table_ProvisionedThroughput) *types.ProvisionedThroughput {
	if p == nil {
		return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)}
	}
	return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(int64(p.ReadCapacityUnits)), WriteCapacityUnits: aws.Int64(int64(p.WriteCapacityUnits))}
}
