package idempotencydb

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
)

// Sort keys: a key's record, and the steps of a request (under the request's ID).
const (
	recordSK   = "request"
	stepPrefix = "step#"
)

// recordItem is a key's record as stored (pk: the key's hash within its scope; the key
// itself is not kept). Times are Unix numbers: leaseUntil in milliseconds, began in
// nanoseconds (the request's ID carries it), expiresAt in seconds, the table's TTL.
type recordItem struct {
	PK          string `dynamodbav:"pk"`
	SK          string `dynamodbav:"sk"`
	Scope       string `dynamodbav:"scope"`
	Fingerprint string `dynamodbav:"fingerprint"`
	State       string `dynamodbav:"state"`
	Owner       string `dynamodbav:"owner,omitempty"`
	LeaseUntil  int64  `dynamodbav:"leaseUntil"`
	Began       int64  `dynamodbav:"began"`
	Status      int    `dynamodbav:"status,omitempty"`
	Ref         string `dynamodbav:"ref,omitempty"`
	ExpiresAt   int64  `dynamodbav:"expiresAt"`
}

func newRecordItem(req idempotency.Request, h idempotency.Hold) recordItem {
	return recordItem{
		PK: req.Hash(), SK: recordSK, Scope: req.Scope, Fingerprint: req.Fingerprint, State: string(idempotency.InProgress),
		Owner: h.Owner, LeaseUntil: h.Until.UnixMilli(), Began: h.Now.UnixNano(), ExpiresAt: h.Now.Add(idempotency.Window).Unix(),
	}
}

func (it recordItem) record() idempotency.Record {
	return idempotency.Record{
		Hash: it.PK, Scope: it.Scope, Fingerprint: it.Fingerprint, State: idempotency.State(it.State), Owner: it.Owner,
		LeaseUntil: time.UnixMilli(it.LeaseUntil).UTC(), Began: time.Unix(0, it.Began).UTC(), Expires: time.Unix(it.ExpiresAt, 0).UTC(),
		Status: it.Status, Ref: it.Ref,
	}
}

// stepItem is one recorded step of a request: what the step made (the codes of one
// transaction, say), kept as long as the request's record.
type stepItem struct {
	PK        string   `dynamodbav:"pk"`
	SK        string   `dynamodbav:"sk"`
	Values    []string `dynamodbav:"values"`
	ExpiresAt int64    `dynamodbav:"expiresAt"`
}
