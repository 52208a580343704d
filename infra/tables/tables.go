// Package tables creates the template's DynamoDB tables in DynamoDB Local, for the local
// stack and the tests, exactly as the template declares them.
package tables

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/template"
)

// API is the part of DynamoDB that table creation needs.
type API interface {
	CreateTable(ctx context.Context, in *dynamodb.CreateTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	UpdateTimeToLive(ctx context.Context, in *dynamodb.UpdateTimeToLiveInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateTimeToLiveOutput, error)
}

var _ API = (*dynamodb.Client)(nil)

// Create creates every table of the template under name(logicalID) and waits until each is
// active. A table that exists already is left as it is, so the local stack keeps its data
// across restarts. It returns the table names by logical ID.
func Create(ctx context.Context, db API, tpl *template.Template, name func(logicalID string) string) (map[string]string, error) {
	names := map[string]string{}
	for _, t := range tpl.Tables() {
		n := name(t.LogicalID)
		names[t.LogicalID] = n
		_, err := db.CreateTable(ctx, t.Create(n))
		var inUse *types.ResourceInUseException
		switch {
		case errors.As(err, &inUse):
			continue
		case err != nil:
			return nil, fmt.Errorf("create table %s (%s): %w", n, t.LogicalID, err)
		}
		if err := waitActive(ctx, db, n); err != nil {
			return nil, err
		}
		if t.TTL != "" {
			_, err := db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
				TableName:               aws.String(n),
				TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(t.TTL), Enabled: aws.Bool(true)},
			})
			if err != nil {
				return nil, fmt.Errorf("enable TTL on %s: %w", n, err)
			}
		}
	}
	return names, nil
}

func waitActive(ctx context.Context, db API, name string) error {
	const patience = 2 * time.Minute // DynamoDB Local is active at once; a loaded machine is slow to say so
	deadline := time.Now().Add(patience)
	for {
		out, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err == nil && out.Table.TableStatus == types.TableStatusActive {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("table %s was not active %s after its creation (last error: %v)", name, patience, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
