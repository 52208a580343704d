package settingsdb

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/audit/auditdb"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// API is the part of DynamoDB the settings store needs.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// skSettings is the sort key of a site's settings item in the sites table.
const skSettings = "settings"

// Store keeps sites' settings in the sites table, one item per site.
type Store struct {
	db    API
	table string
	audit *auditdb.Log
}

var _ settings.Store = (*Store)(nil)

// New returns a store over the sites table that audits into log.
func New(db API, table string, log *auditdb.Log) (*Store, error) {
	if db == nil || table == "" || log == nil {
		return nil, fmt.Errorf("settings store: a client, a table name and an audit log are required")
	}
	return &Store{db: db, table: table, audit: log}, nil
}

// NewAudited returns the settings store over sitesTable and the audit log in
// auditTable it writes its entries to: what every function that changes settings needs.
func NewAudited(db interface {
	API
	auditdb.Querier
}, sitesTable, auditTable string) (*Store, *auditdb.Log, error) {
	log, err := auditdb.New(db, auditTable)
	if err != nil {
		return nil, nil, err
	}
	store, err := New(db, sitesTable, log)
	if err != nil {
		return nil, nil, err
	}
	return store, log, nil
}

// Get reads a site's settings strongly consistently (a save is conditional on what was read).
func (s *Store) Get(ctx context.Context, site string) (settings.Site, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table), Key: dynamo.Key(site, skSettings), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return settings.Site{}, apperr.Internal(fmt.Errorf("get settings of %s: %w", site, err))
	}
	if out.Item == nil {
		return settings.New(site), nil
	}
	var it siteItem
	if err := dynamo.Unmarshal(out.Item, &it); err != nil {
		return settings.Site{}, apperr.Internal(fmt.Errorf("decode settings of %s: %w", site, err))
	}
	got := it.site()
	// A service added after the item was written starts from the defaults.
	if got.Services == nil {
		got.Services = map[settings.Service]settings.ServiceSettings{}
	}
	for _, svc := range settings.Services {
		if _, ok := got.Services[svc]; !ok {
			got.Services[svc] = settings.ServiceSettings{Config: settings.DefaultConfig()}
		}
	}
	return got, nil
}

// Save writes next if the stored version is next.Version-1, with its audit entry, atomically.
func (s *Store) Save(ctx context.Context, next settings.Site, e audit.Entry) error {
	item, err := dynamo.Marshal(newSiteItem(next))
	if err != nil {
		return apperr.Internal(fmt.Errorf("encode settings: %w", err))
	}
	cond := expression.AttributeNotExists(expression.Name(dynamo.PK))
	if next.Version > 1 {
		cond = expression.Name("version").Equal(expression.Value(next.Version - 1))
	}
	expr, err := expression.NewBuilder().WithCondition(cond).Build()
	if err != nil {
		return apperr.Internal(err)
	}
	auditPut, err := s.audit.Put(e)
	if err != nil {
		return apperr.Internal(err)
	}
	// A conflict with another transaction on the item is tried again; a stale version is not.
	err = dynamo.TransactWrite(ctx, s.db, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{
			TableName: aws.String(s.table), Item: item,
			ConditionExpression:       expr.Condition(),
			ExpressionAttributeNames:  expr.Names(),
			ExpressionAttributeValues: expr.Values(),
		}},
		auditPut,
	}})
	if dynamo.ConditionFailedAt(err, 0) {
		return settings.ErrVersionConflict
	}
	if err != nil {
		return apperr.Internal(fmt.Errorf("save settings of %s: %w", next.Site, err))
	}
	return nil
}
