package promodb

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo"
)

// The promotion codes table holds, per site (pk), its codes (sk "code#<CODE>"), its import
// jobs (sk "job#<id>"), their recipients (sk "job#<id>#r#<line>") and the batches of
// recipients waiting for their codes (sk "job#<id>#b#<n>"). Code items carry the keys of
// the report's indexes; job, recipient and batch items do not, so the indexes hold codes
// only.
const (
	CodeSKPrefix = "code#"
	JobSKPrefix  = "job#"
)

// Report indexes of the promotion codes table (template.yaml), each with the attribute
// names of its keys.
const (
	IndexByCreated = "byCreated" // site, createdKey: every code, newest first
	IndexByExpiry  = "byExpiry"  // site, expiryKey: by expiry date
	IndexByStatus  = "byStatus"  // statusKey (site#stored status), createdKey
	IndexByService = "byService" // serviceKey (site#service), createdKey
	IndexByEmail   = "byEmail"   // emailKey (site#email), createdKey; codes with a recipient
	IndexByName    = "byName"    // nameKey (site#lower-case name), createdKey; codes with a recipient
)

// codeItem is a promotion code as stored: the code's fields plus the keys of the table and
// of its indexes. The attribute names are this store's own (the indexes of template.yaml
// name some of them), so renaming a field of the API never changes what is stored;
// promocodes_test.go pins them.
type codeItem struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Site       string `dynamodbav:"site"`
	CreatedKey string `dynamodbav:"createdKey"`
	ExpiryKey  string `dynamodbav:"expiryKey"`
	StatusKey  string `dynamodbav:"statusKey"`
	ServiceKey string `dynamodbav:"serviceKey"`
	EmailKey   string `dynamodbav:"emailKey,omitempty"`
	NameKey    string `dynamodbav:"nameKey,omitempty"`

	Code           string       `dynamodbav:"code"`
	Service        string       `dynamodbav:"service"`
	RecipientEmail string       `dynamodbav:"recipientEmail,omitempty"`
	RecipientName  string       `dynamodbav:"recipientName,omitempty"`
	Usage          UsageItem    `dynamodbav:"usage"`
	Used           int          `dynamodbav:"used"`
	Discount       DiscountItem `dynamodbav:"discount"`
	ExpiresOn      string       `dynamodbav:"expiresOn"`
	ExpiresAt      string       `dynamodbav:"expiresAt"`
	AppliesTo      string       `dynamodbav:"appliesTo"`
	Stored         string       `dynamodbav:"storedStatus"`
	CreatedAt      string       `dynamodbav:"createdAt"`
	CreatedBy      string       `dynamodbav:"createdBy"`
	DeletedAt      string       `dynamodbav:"deletedAt,omitempty"`
	DeletedBy      string       `dynamodbav:"deletedBy,omitempty"`
	UpdatedAt      string       `dynamodbav:"updatedAt,omitempty"`
	UpdatedBy      string       `dynamodbav:"updatedBy,omitempty"`
	JobID          string       `dynamodbav:"jobId,omitempty"`
}

// CodeSK is the sort key of a code's item.
func CodeSK(code string) string { return CodeSKPrefix + code }

func CreatedKey(c promo.Code) string { return dynamo.FormatTime(c.CreatedAt) + "#" + c.Code }

func newCodeItem(c promo.Code) codeItem {
	it := codeItem{
		PK: c.Site, SK: CodeSK(c.Code), Site: c.Site,
		CreatedKey: CreatedKey(c), ExpiryKey: c.ExpiresOn + "#" + CreatedKey(c),
		StatusKey: c.Site + "#" + string(c.Stored), ServiceKey: c.Site + "#" + c.Service,
		Code: c.Code, Service: c.Service, Usage: NewUsageItem(c.Usage), Used: c.Used, Discount: NewDiscountItem(c.Discount),
		ExpiresOn: c.ExpiresOn, ExpiresAt: dynamo.FormatTime(c.ExpiresAt), AppliesTo: c.AppliesTo, Stored: string(c.Stored),
		CreatedAt: dynamo.FormatTime(c.CreatedAt), CreatedBy: c.CreatedBy, DeletedAt: dynamo.FormatTime(c.DeletedAt), DeletedBy: c.DeletedBy,
		UpdatedAt: dynamo.FormatTime(c.UpdatedAt), UpdatedBy: c.UpdatedBy, JobID: c.JobID,
	}
	if r := c.Recipient; r != nil {
		it.RecipientEmail, it.RecipientName = r.Email, r.Name
		it.EmailKey = c.Site + "#" + r.Email
		it.NameKey = c.Site + "#" + NameKey(r.Name)
	}
	return it
}

// NameKey is how recipient names are matched: case-insensitive, spaces squeezed.
func NameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

func (it codeItem) code() promo.Code {
	c := promo.Code{
		Site: it.PK, Code: it.Code, Service: it.Service, Usage: it.Usage.Usage(), Used: it.Used, Discount: it.Discount.Discount(),
		ExpiresOn: it.ExpiresOn, ExpiresAt: dynamo.ParseTime(it.ExpiresAt), AppliesTo: it.AppliesTo, Stored: promo.Status(it.Stored),
		CreatedAt: dynamo.ParseTime(it.CreatedAt), CreatedBy: it.CreatedBy, DeletedAt: dynamo.ParseTime(it.DeletedAt), DeletedBy: it.DeletedBy,
		UpdatedAt: dynamo.ParseTime(it.UpdatedAt), UpdatedBy: it.UpdatedBy, JobID: it.JobID,
	}
	if it.RecipientEmail != "" {
		c.Recipient = &promo.Recipient{Email: it.RecipientEmail, Name: it.RecipientName}
	}
	return c
}

// MarshalCode encodes a code as its table item.
func MarshalCode(c promo.Code) (map[string]types.AttributeValue, error) {
	item, err := dynamo.Marshal(newCodeItem(c))
	if err != nil {
		return nil, fmt.Errorf("encode code %s: %w", c.Code, err)
	}
	return item, nil
}

// UnmarshalCode decodes a code item.
func UnmarshalCode(item map[string]types.AttributeValue) (promo.Code, error) {
	var it codeItem
	if err := dynamo.Unmarshal(item, &it); err != nil {
		return promo.Code{}, fmt.Errorf("decode code: %w", err)
	}
	if !strings.HasPrefix(it.SK, CodeSKPrefix) {
		return promo.Code{}, fmt.Errorf("item %s/%s is not a code", it.PK, it.SK)
	}
	return it.code(), nil
}

// Attribute names of a code item that conditions on existing codes test.
const (
	AttrExpiresOn    = "expiresOn"
	AttrStoredStatus = "storedStatus"
)

// ExpiryUpdate is the update that gives a stored code to's expiry, with the index key
// derived from it.
func ExpiryUpdate(to promo.Code) expression.UpdateBuilder {
	it := newCodeItem(to)
	return expression.
		Set(expression.Name(AttrExpiresOn), expression.Value(it.ExpiresOn)).
		Set(expression.Name("expiresAt"), expression.Value(it.ExpiresAt)).
		Set(expression.Name("expiryKey"), expression.Value(it.ExpiryKey)).
		Set(expression.Name("updatedAt"), expression.Value(it.UpdatedAt)).
		Set(expression.Name("updatedBy"), expression.Value(it.UpdatedBy))
}

// DeletionUpdate is the update that stores a code as deleted (the deleted value of
// promo.Code.Deleted), with the index key derived from it.
func DeletionUpdate(deleted promo.Code) expression.UpdateBuilder {
	it := newCodeItem(deleted)
	return expression.
		Set(expression.Name(AttrStoredStatus), expression.Value(it.Stored)).
		Set(expression.Name("statusKey"), expression.Value(it.StatusKey)).
		Set(expression.Name("deletedAt"), expression.Value(it.DeletedAt)).
		Set(expression.Name("deletedBy"), expression.Value(it.DeletedBy)).
		Set(expression.Name("updatedAt"), expression.Value(it.UpdatedAt)).
		Set(expression.Name("updatedBy"), expression.Value(it.UpdatedBy))
}
