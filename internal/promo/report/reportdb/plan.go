package reportdb

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"

	"github.com/boxofficehq/boxoffice/internal/platform/dynamo"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

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
// index (the order the report package promises): createdKey descending on every index sorted
// by it, the base table's sort key (the code) ascending, expiryKey ascending on byExpiry.

// plan is how one report reads the table.
type plan struct {
	site string
	// index is "" for the base table.
	index               string
	hashAttr, rangeAttr string
	hashValue           string
	rng                 keyRange
	// filter is what the key condition leaves to check, nil when it leaves nothing.
	filter  *expression.ConditionBuilder
	forward bool
	// query identifies the site and the filters in the plan's cursors.
	query string
}

// planFor is the plan of the report of site filtered by f (which passed report.Filter.Check).
func planFor(site string, f report.Filter) plan {
	p := plan{site: site, query: identity(site, f)}
	created, expiry := createdRange(f), expiryRange(f)
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

	var conds []expression.ConditionBuilder
	if !usedCreated {
		if !f.CreatedFrom.IsZero() {
			conds = append(conds, expression.Name("createdKey").GreaterThanEqual(expression.Value(created.lo)))
		}
		if !f.CreatedTo.IsZero() {
			conds = append(conds, expression.Name("createdKey").LessThanEqual(expression.Value(created.hi)))
		}
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
		conds = append(conds, statusConditions(f, p.index == promodb.IndexByStatus)...)
	}
	switch len(conds) {
	case 0:
	case 1:
		p.filter = &conds[0]
	default:
		c := expression.And(conds[0], conds[1], conds[2:]...)
		p.filter = &c
	}
	return p
}

// expression is the plan's key condition and filter, built.
func (p plan) expression() (expression.Expression, error) {
	key := expression.Key(p.hashAttr).Equal(expression.Value(p.hashValue))
	if kc, ok := p.rng.keyCondition(p.rangeAttr); ok {
		key = key.And(kc)
	}
	b := expression.NewBuilder().WithKeyCondition(key)
	if p.filter != nil {
		b = b.WithFilter(*p.filter)
	}
	return b.Build()
}

// statusConditions select f.Status as promo.Code.StatusAt(f.At) computes it. keyed says the
// query's key already holds the stored status (byStatus, site#active).
func statusConditions(f report.Filter, keyed bool) []expression.ConditionBuilder {
	stored := func(s promo.Status) expression.ConditionBuilder {
		return expression.Name("storedStatus").Equal(expression.Value(string(s)))
	}
	switch f.Status {
	case promo.StatusDeleted, promo.StatusUsedUp:
		return []expression.ConditionBuilder{stored(f.Status)}
	}
	// expiresAt is stored fixed-width in UTC (dynamo.FormatTime), so strings compare as
	// instants.
	now := expression.Value(dynamo.FormatTime(f.At))
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

// createdRange is the creation bounds as a range of createdKey ("<time>#<code>"): "~" sorts
// after every character a code may hold, so the upper bound keeps every code of its instant.
func createdRange(f report.Filter) keyRange {
	switch from, to := f.CreatedFrom, f.CreatedTo; {
	case !from.IsZero() && !to.IsZero():
		return keyRange{op: rangeBetween, lo: dynamo.FormatTime(from), hi: dynamo.FormatTime(to) + "#~"}
	case !from.IsZero():
		return keyRange{op: rangeFrom, lo: dynamo.FormatTime(from)}
	case !to.IsZero():
		return keyRange{op: rangeTo, hi: dynamo.FormatTime(to) + "#~"}
	}
	return keyRange{}
}

// expiryRange is the expiry bounds as a range of expiryKey ("<expiresOn>#<createdKey>").
func expiryRange(f report.Filter) keyRange {
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

// holds says whether v, a sort key value, satisfies the range.
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
