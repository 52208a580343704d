package reportdb

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// The promotion code report (SPEC 3.4) reads the promotion codes table with Query only, on
// the base table or one of its report indexes, never with Scan: the time of a page must not
// grow with the number of codes a site has.
//
// Each report picks ONE key condition, from the most selective filter present, in this order:
//
//	code (exact or prefix)      base table: pk = site, sk = "code#CODE" or begins_with "code#PREFIX"
//	recipient e-mail            byEmail:    emailKey = site#email
//	recipient name              byName:     nameKey = site#namekey
//	status deleted or used_up   byStatus:   statusKey = site#deleted | site#used_up
//	expiry range                byExpiry:   site, expiryKey BETWEEN "from" AND "to~"
//	service                     byService:  serviceKey = site#service
//	status active or expired    byStatus:   statusKey = site#active (expiresAt vs now filtered)
//	creation range, or nothing  byCreated:  site, createdKey between the bounds
//
// Every other filter present becomes the FilterExpression; a creation range is part of the
// key condition whenever the index is sorted by createdKey. The order of the rows follows the
// index:
//
//   - newest first (createdKey descending) for every index sorted by createdKey, which is
//     every report but these two;
//   - alphabetically by code when the code filter is given (the base table's sort key);
//   - by expiry date, soonest first (then oldest created first), when the expiry range is
//     the key condition, that is when no code, recipient or deleted/used_up status filter is
//     given with it.
//
// Statuses: expired is not stored; a code is expired when it is stored as active and its
// expiresAt is at or before the report's instant (promo.Code.StatusAt). The active and
// expired filters also leave out codes whose uses ran out, so that no row ever shows another
// status than the one asked for; used_up finds the codes stored as used_up (whoever counts
// the last use stores the status with it).

// Filter is what a report is filtered by. The zero value lists every code.
type Filter struct {
	// CreatedFrom and CreatedTo bound the creation instant, both inclusive; zero is open.
	CreatedFrom, CreatedTo time.Time
	// ExpiresFrom and ExpiresTo bound the expiry date (promo.Code.ExpiresOn, YYYY-MM-DD),
	// both inclusive; "" is open.
	ExpiresFrom, ExpiresTo string
	// Code is a code in stored form (promo.NormalizeCode); with CodePrefix, every code that
	// starts with it.
	Code       string
	CodePrefix bool
	// RecipientEmail is an address in stored form (emailaddr.Normalize), matched exactly.
	RecipientEmail string
	// RecipientName is matched by NameKey: case-insensitive, spaces squeezed.
	RecipientName string
	// Status is a status of promo.Statuses, or "" for any.
	Status promo.Status
	// Service is events or training, or "" for any.
	Service string
	// At is the instant statuses are judged at: a code is expired from its expiresAt on. It
	// is not part of the query's identity (a cursor stays good while time passes). Zero means
	// time.Now(). Use the same instant for promo.Code.StatusAt on the rows.
	At time.Time
}

// Page is one page of a report.
type Page struct {
	Codes []promo.Code
	// Next is the cursor of the rest, or "" at the end.
	Next string
}

// WalkOptions bound one walk through a report.
type WalkOptions struct {
	// MaxRows is the most codes handed to the walk's callback (at least 1).
	MaxRows int
	// MaxEvaluated caps the items DynamoDB evaluates (reads, before the filter) in this walk,
	// so that its time is bounded however few of them the filters keep. When the cap is hit
	// the walk ends early with a cursor. Zero means DefaultReportMaxEvaluated.
	MaxEvaluated int
}

// DefaultReportMaxEvaluated is how many items a page may evaluate when nothing else is said.
const DefaultReportMaxEvaluated = 2000

// Report reads the promotion code report.
type Report struct {
	db    Querier
	table string
	// PageMaxEvaluated is the MaxEvaluated of Page (DefaultReportMaxEvaluated when 0).
	PageMaxEvaluated int
}

// New returns the report of the codes in table. It needs Query only.
func New(db Querier, table string) (*Report, error) {
	if db == nil || table == "" {
		return nil, errors.New("promo report: a client and a table name are required")
	}
	return &Report{db: db, table: table}, nil
}

// Page returns up to limit codes of site that pass f, after cursor ("" for the first page).
// A page may hold fewer codes than limit, even none, and still have a Next: that happens
// when the filters discard most of what the page evaluated.
func (r *Report) Page(ctx context.Context, site string, f Filter, cursor string, limit int) (Page, error) {
	page := Page{Codes: []promo.Code{}}
	next, err := r.Walk(ctx, site, f, cursor, WalkOptions{MaxRows: limit, MaxEvaluated: r.PageMaxEvaluated}, func(c promo.Code) bool {
		page.Codes = append(page.Codes, c)
		return true
	})
	if err != nil {
		return Page{}, err
	}
	page.Next = next
	return page, nil
}

// Walk hands the codes of site that pass f, after cursor, in report order to emit, until
// o.MaxRows codes were taken, the data ends, o.MaxEvaluated items were evaluated, or emit
// refuses a code by returning false (the refused code is not taken: it comes first after the
// cursor). It returns the cursor of the codes not taken, or "" when there are none left.
//
// No code is skipped or repeated across cursors: a cursor is the key of the last code taken,
// or, when every item up to DynamoDB's LastEvaluatedKey was taken or filtered out, that key.
func (r *Report) Walk(ctx context.Context, site string, f Filter, cursor string, o WalkOptions, emit func(promo.Code) bool) (string, error) {
	if site == "" {
		return "", apperr.New(apperr.CodeInvalid, "a site is required")
	}
	if o.MaxRows < 1 {
		return "", apperr.Internal(fmt.Errorf("promo report: MaxRows %d", o.MaxRows))
	}
	if o.MaxEvaluated <= 0 {
		o.MaxEvaluated = DefaultReportMaxEvaluated
	}
	p, err := f.plan(site)
	if err != nil {
		return "", err
	}
	pos, err := p.decodeCursor(cursor)
	if err != nil {
		return "", apperr.Field("cursor", err.Error())
	}
	b := expression.NewBuilder().WithKeyCondition(p.keyCond)
	if p.filter != nil {
		b = b.WithFilter(*p.filter)
	}
	expr, err := b.Build()
	if err != nil {
		return "", apperr.Internal(fmt.Errorf("promo report expression: %w", err))
	}
	var calls, evaluated, returned, taken int
	for ; ; calls++ {
		// DynamoDB applies Limit before the filter: it bounds what a call evaluates, not what it
		// returns. Without a filter ask for exactly the rows still wanted. With one, ask for as
		// many as the share the filter has kept so far says are needed (at least the rows still
		// wanted); never more than the cap allows, so the cap is never overshot.
		want := o.MaxRows - taken
		limit := want
		if p.filter != nil {
			switch {
			case returned > 0:
				limit = int(int64(want)*int64(evaluated)/int64(returned)) + 1
			case evaluated > 0:
				limit = 2 * evaluated
			}
			limit = max(limit, want, minFilteredLimit)
		}
		limit = min(limit, o.MaxEvaluated-evaluated)
		in := &dynamodb.QueryInput{
			TableName:                 aws.String(r.table),
			KeyConditionExpression:    expr.KeyCondition(),
			FilterExpression:          expr.Filter(),
			ExpressionAttributeNames:  expr.Names(),
			ExpressionAttributeValues: expr.Values(),
			ScanIndexForward:          aws.Bool(p.forward),
			ExclusiveStartKey:         pos,
			Limit:                     aws.Int32(int32(limit)),
		}
		if p.index != "" {
			in.IndexName = aws.String(p.index)
		}
		out, err := r.db.Query(ctx, in)
		if err != nil {
			var ae smithy.APIError
			if cursor != "" && calls == 0 && errors.As(err, &ae) && ae.ErrorCode() == "ValidationException" {
				// The checks of decodeCursor should make this unreachable; a start key DynamoDB
				// still refuses is the client's cursor, not our failure.
				return "", apperr.Field("cursor", "is not a cursor this report handed out")
			}
			return "", apperr.Internal(fmt.Errorf("query promo codes: %w", err))
		}
		evaluated += int(out.ScannedCount)
		returned += len(out.Items)
		for i, item := range out.Items {
			c, err := promodb.UnmarshalCode(item)
			if err != nil {
				return "", apperr.Internal(err)
			}
			if !emit(c) {
				if pos == nil {
					return "", apperr.Internal(errors.New("promo report: the first code of a report was refused"))
				}
				return p.encodeCursor(pos)
			}
			taken++
			pos = p.keyOf(item)
			if taken == o.MaxRows {
				if i < len(out.Items)-1 {
					// Codes after this one came back too: the next page reads them again.
					return p.encodeCursor(pos)
				}
				break
			}
		}
		if out.LastEvaluatedKey == nil {
			return "", nil // the end of the data
		}
		// Everything up to LastEvaluatedKey was taken or filtered out.
		pos = out.LastEvaluatedKey
		if taken == o.MaxRows || evaluated >= o.MaxEvaluated {
			return p.encodeCursor(pos)
		}
	}
}

// minFilteredLimit is the least a filtered Query asks DynamoDB to evaluate: a filter that
// keeps one item in ten must not cost one round trip per row.
const minFilteredLimit = 25

// keyRange is a condition on a sort key.
type keyRange struct {
	op     rangeOp
	lo, hi string
}

type rangeOp int

const (
	rangeAny rangeOp = iota
	rangeEqual
	rangePrefix
	rangeBetween
	rangeFrom // >= lo
	rangeTo   // <= hi
)

func (k keyRange) keyCondition(attr string) (expression.KeyConditionBuilder, bool) {
	key := expression.Key(attr)
	switch k.op {
	case rangeEqual:
		return key.Equal(expression.Value(k.lo)), true
	case rangePrefix:
		return key.BeginsWith(k.lo), true
	case rangeBetween:
		return key.Between(expression.Value(k.lo), expression.Value(k.hi)), true
	case rangeFrom:
		return key.GreaterThanEqual(expression.Value(k.lo)), true
	case rangeTo:
		return key.LessThanEqual(expression.Value(k.hi)), true
	}
	return expression.KeyConditionBuilder{}, false
}

func (k keyRange) condition(attr string) (expression.ConditionBuilder, bool) {
	name := expression.Name(attr)
	switch k.op {
	case rangeEqual:
		return name.Equal(expression.Value(k.lo)), true
	case rangePrefix:
		return name.BeginsWith(k.lo), true
	case rangeBetween:
		return name.Between(expression.Value(k.lo), expression.Value(k.hi)), true
	case rangeFrom:
		return name.GreaterThanEqual(expression.Value(k.lo)), true
	case rangeTo:
		return name.LessThanEqual(expression.Value(k.hi)), true
	}
	return expression.ConditionBuilder{}, false
}

func (k keyRange) holds(v string) bool {
	switch k.op {
	case rangeEqual:
		return v == k.lo
	case rangePrefix:
		return strings.HasPrefix(v, k.lo)
	case rangeBetween:
		return k.lo <= v && v <= k.hi
	case rangeFrom:
		return k.lo <= v
	case rangeTo:
		return v <= k.hi
	}
	return true
}

// createdRange is the creation bounds as a range of createdKey ("<time>#<code>"): "~" sorts
// after every character a code may hold, so the upper bound keeps every code of its instant.
func (f Filter) createdRange() keyRange {
	switch from, to := f.CreatedFrom, f.CreatedTo; {
	case !from.IsZero() && !to.IsZero():
		return keyRange{op: rangeBetween, lo: promodb.FormatTime(from), hi: promodb.FormatTime(to) + "#~"}
	case !from.IsZero():
		return keyRange{op: rangeFrom, lo: promodb.FormatTime(from)}
	case !to.IsZero():
		return keyRange{op: rangeTo, hi: promodb.FormatTime(to) + "#~"}
	}
	return keyRange{}
}

// expiryRange is the expiry bounds as a range of expiryKey ("<expiresOn>#<createdKey>").
func (f Filter) expiryRange() keyRange {
	switch from, to := f.ExpiresFrom, f.ExpiresTo; {
	case from != "" && to != "":
		return keyRange{op: rangeBetween, lo: from, hi: to + "~"}
	case from != "":
		return keyRange{op: rangeFrom, lo: from}
	case to != "":
		return keyRange{op: rangeTo, hi: to + "~"}
	}
	return keyRange{}
}

// plan is how one report reads the table.
type plan struct {
	site string
	// index is "" for the base table.
	index               string
	hashAttr, rangeAttr string
	hashValue           string
	rng                 keyRange
	keyCond             expression.KeyConditionBuilder
	filter              *expression.ConditionBuilder
	forward             bool
	// hash identifies the query (site and filters) in its cursors.
	hash string
}

// check refuses filters the report cannot run (the HTTP layer reports them first, by name).
func (f Filter) check() error {
	var v apperr.Errors
	if !f.CreatedFrom.IsZero() && !f.CreatedTo.IsZero() && f.CreatedTo.Before(f.CreatedFrom) {
		v.Add("createdTo", "must not be before createdFrom")
	}
	for _, d := range []struct{ field, day string }{{"expiresFrom", f.ExpiresFrom}, {"expiresTo", f.ExpiresTo}} {
		if d.day != "" {
			if _, err := promo.ParseDate(d.day); err != nil {
				v.Add(d.field, "must be a date in YYYY-MM-DD form")
			}
		}
	}
	if f.ExpiresFrom != "" && f.ExpiresTo != "" && f.ExpiresTo < f.ExpiresFrom {
		v.Add("expiresTo", "must not be before expiresFrom")
	}
	if f.CodePrefix && f.Code == "" {
		v.Add("code", "a prefix needs at least one character")
	}
	switch f.Status {
	case "", promo.StatusActive, promo.StatusExpired, promo.StatusUsedUp, promo.StatusDeleted:
	default:
		v.Add("status", "must be active, expired, used_up or deleted")
	}
	return v.Err()
}

func (f Filter) plan(site string) (plan, error) {
	if err := f.check(); err != nil {
		return plan{}, err
	}
	p := plan{site: site, hash: f.identity(site)}
	created, expiry := f.createdRange(), f.expiryRange()
	usedCreated, usedExpiry, usedRecipient, usedStatus, usedService := false, false, false, false, false
	onIndex := func(index, hashAttr, hashValue string) {
		p.index, p.hashAttr, p.rangeAttr, p.hashValue = index, hashAttr, "createdKey", hashValue
		p.rng, usedCreated = created, true
	}
	switch {
	case f.Code != "":
		p.hashAttr, p.rangeAttr, p.hashValue, p.forward = dynamo.PK, dynamo.SK, site, true
		p.rng = keyRange{op: rangeEqual, lo: promodb.CodeSK(f.Code)}
		if f.CodePrefix {
			p.rng.op = rangePrefix
		}
	case f.RecipientEmail != "":
		onIndex(promodb.IndexByEmail, "emailKey", site+"#"+f.RecipientEmail)
		usedRecipient = true
	case f.RecipientName != "":
		onIndex(promodb.IndexByName, "nameKey", site+"#"+promodb.NameKey(f.RecipientName))
		usedRecipient = true
	case f.Status == promo.StatusDeleted || f.Status == promo.StatusUsedUp:
		onIndex(promodb.IndexByStatus, "statusKey", site+"#"+string(f.Status))
		usedStatus = true
	case expiry.op != rangeAny:
		p.index, p.hashAttr, p.rangeAttr, p.hashValue, p.forward = promodb.IndexByExpiry, "site", "expiryKey", site, true
		p.rng, usedExpiry = expiry, true
	case f.Service != "":
		onIndex(promodb.IndexByService, "serviceKey", site+"#"+f.Service)
		usedService = true
	case f.Status == promo.StatusActive || f.Status == promo.StatusExpired:
		onIndex(promodb.IndexByStatus, "statusKey", site+"#"+string(promo.StatusActive))
		// The stored status is the key; the expiry instant and the uses are still filtered.
	default:
		onIndex(promodb.IndexByCreated, "site", site)
	}
	p.keyCond = expression.Key(p.hashAttr).Equal(expression.Value(p.hashValue))
	if kc, ok := p.rng.keyCondition(p.rangeAttr); ok {
		p.keyCond = p.keyCond.And(kc)
	}

	var conds []expression.ConditionBuilder
	if c, ok := created.condition("createdKey"); ok && !usedCreated {
		conds = append(conds, c)
	}
	if !usedExpiry {
		if f.ExpiresFrom != "" {
			conds = append(conds, expression.Name("expiresOn").GreaterThanEqual(expression.Value(f.ExpiresFrom)))
		}
		if f.ExpiresTo != "" {
			conds = append(conds, expression.Name("expiresOn").LessThanEqual(expression.Value(f.ExpiresTo)))
		}
	}
	if !usedRecipient {
		if f.RecipientEmail != "" {
			conds = append(conds, expression.Name("emailKey").Equal(expression.Value(site+"#"+f.RecipientEmail)))
		}
		if f.RecipientName != "" {
			conds = append(conds, expression.Name("nameKey").Equal(expression.Value(site+"#"+promodb.NameKey(f.RecipientName))))
		}
	}
	if f.Service != "" && !usedService {
		conds = append(conds, expression.Name("service").Equal(expression.Value(f.Service)))
	}
	if f.Status != "" && !usedStatus {
		conds = append(conds, f.statusConditions(p.index == promodb.IndexByStatus)...)
	}
	switch len(conds) {
	case 0:
	case 1:
		p.filter = &conds[0]
	default:
		c := expression.And(conds[0], conds[1], conds[2:]...)
		p.filter = &c
	}
	return p, nil
}

// statusConditions select f.Status as promo.Code.StatusAt(f.At) computes it. keyed says the
// query's key already holds the stored status (byStatus, site#active).
func (f Filter) statusConditions(keyed bool) []expression.ConditionBuilder {
	stored := func(s promo.Status) expression.ConditionBuilder {
		return expression.Name("storedStatus").Equal(expression.Value(string(s)))
	}
	switch f.Status {
	case promo.StatusDeleted, promo.StatusUsedUp:
		return []expression.ConditionBuilder{stored(f.Status)}
	}
	at := f.At
	if at.IsZero() {
		at = time.Now()
	}
	// expiresAt is stored fixed-width in UTC (formatTime), so strings compare as instants.
	now := expression.Value(promodb.FormatTime(at))
	expires := expression.Name("expiresAt")
	var conds []expression.ConditionBuilder
	if !keyed {
		conds = append(conds, stored(promo.StatusActive))
	}
	if f.Status == promo.StatusExpired {
		conds = append(conds, expires.LessThanEqual(now)) // expired from expiresAt on
	} else {
		conds = append(conds, expires.GreaterThan(now))
	}
	kind, used := expression.Name("usage.kind"), expression.Name("used")
	usesLeft := expression.Or(
		kind.Equal(expression.Value(string(promo.UsageUnlimited))),
		kind.Equal(expression.Value(string(promo.UsageOnce))).And(used.LessThan(expression.Value(1))),
		kind.Equal(expression.Value(string(promo.UsageMultiple))).And(used.LessThan(expression.Name("usage.max"))),
	)
	return append(conds, usesLeft)
}

// identity is a digest of the site and the filters (not At, not the limit): a cursor carries
// it, and a cursor of another query is refused rather than misapplied.
func (f Filter) identity(site string) string {
	parts := []string{
		"promo-report/1", site, promodb.FormatTime(f.CreatedFrom), promodb.FormatTime(f.CreatedTo), f.ExpiresFrom, f.ExpiresTo,
		f.Code, fmt.Sprint(f.CodePrefix), f.RecipientEmail, promodb.NameKey(f.RecipientName), string(f.Status), f.Service,
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// keyAttrs are the attributes of a start key on the plan's table or index.
func (p plan) keyAttrs() []string {
	if p.index == "" {
		return []string{dynamo.PK, dynamo.SK}
	}
	return []string{dynamo.PK, dynamo.SK, p.hashAttr, p.rangeAttr}
}

// keyOf is the start key that resumes right after item.
func (p plan) keyOf(item map[string]types.AttributeValue) map[string]types.AttributeValue {
	key := make(map[string]types.AttributeValue, 4)
	for _, a := range p.keyAttrs() {
		key[a] = item[a]
	}
	return key
}

// reportCursor is a cursor as handed out: base64url of this JSON.
type reportCursor struct {
	// Query is the identity of the query it belongs to.
	Query string `json:"q"`
	// Key is the start key, attribute by attribute (all strings).
	Key map[string]string `json:"k"`
}

// maxCursor bounds what is decoded: a real cursor is a few hundred characters.
const maxCursor = 4096

func (p plan) encodeCursor(key map[string]types.AttributeValue) (string, error) {
	c := reportCursor{Query: p.hash, Key: make(map[string]string, len(key))}
	for _, a := range p.keyAttrs() {
		s, ok := key[a].(*types.AttributeValueMemberS)
		if !ok {
			return "", apperr.Internal(fmt.Errorf("promo report: start key attribute %s is %T", a, key[a]))
		}
		c.Key[a] = s.Value
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return "", apperr.Internal(err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// ErrForeignCursor is the reason given for a cursor of another query.
var ErrForeignCursor = errors.New("belongs to another query (the filters or the site changed); start again without a cursor")

// decodeCursor reads a cursor into a start key, and refuses one this query did not hand out:
// the wrong query, or a key DynamoDB would refuse or that lies outside the key condition.
func (p plan) decodeCursor(s string) (map[string]types.AttributeValue, error) {
	if s == "" {
		return nil, nil
	}
	bad := errors.New("is not a cursor this report handed out")
	if len(s) > maxCursor {
		return nil, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var c reportCursor
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() {
		return nil, bad
	}
	if c.Query != p.hash {
		return nil, ErrForeignCursor
	}
	attrs := p.keyAttrs()
	if len(c.Key) != len(attrs) {
		return nil, bad
	}
	key := make(map[string]types.AttributeValue, len(attrs))
	for _, a := range attrs {
		v, ok := c.Key[a]
		if !ok || v == "" || len(v) > 1024 || !utf8.ValidString(v) {
			return nil, bad
		}
		key[a] = &types.AttributeValueMemberS{Value: v}
	}
	if c.Key[dynamo.PK] != p.site || !strings.HasPrefix(c.Key[dynamo.SK], promodb.CodeSKPrefix) ||
		c.Key[p.hashAttr] != p.hashValue || !p.rng.holds(c.Key[p.rangeAttr]) {
		return nil, bad
	}
	return key, nil
}

// CheckCursor says whether cursor is one that the report of site filtered by f handed
// out; the error's text is the reason, for the cursor parameter.
func CheckCursor(site string, f Filter, cursor string) error {
	p, err := f.plan(site)
	if err != nil {
		return err
	}
	_, err = p.decodeCursor(cursor)
	return err
}

// Querier is the part of DynamoDB the report needs: Query, and nothing else.
type Querier interface {
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}
