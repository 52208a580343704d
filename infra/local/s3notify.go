package local

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/johannesboyne/gofakes3"
)

// S3Subscription is one of the template's S3 event subscriptions (a function's Events entry
// of Type S3), resolved to a local bucket and the function's handler.
type S3Subscription struct {
	// Name is the function's name; it shows in the logs and, as S3 does with the
	// notification configuration's ID, in the event's s3.configurationId.
	Name string
	// Bucket is the local bucket's name.
	Bucket string
	// Events are S3 event types such as "s3:ObjectCreated:*" or "s3:ObjectCreated:Put".
	Events []string
	// Prefix and Suffix filter on the object key as written (not URL-encoded); empty
	// matches every key.
	Prefix, Suffix string
	// Invoke is the handler lambda.Start would receive.
	Invoke func(context.Context, events.S3Event) error
}

// Event names as they appear in a record's eventName; subscriptions name them with "s3:".
const (
	eventPut       = "ObjectCreated:Put"
	eventCopy      = "ObjectCreated:Copy"
	eventMultipart = "ObjectCreated:CompleteMultipartUpload"
)

// matches tells whether S3 would send eventName about bucket/key to s.
func (s S3Subscription) matches(eventName, bucket, key string) bool {
	if s.Bucket != bucket || !strings.HasPrefix(key, s.Prefix) || !strings.HasSuffix(key, s.Suffix) {
		return false
	}
	name := "s3:" + eventName
	for _, pattern := range s.Events {
		if p, wild := strings.CutSuffix(pattern, "*"); pattern == name || (wild && strings.HasPrefix(name, p)) {
			return true
		}
	}
	return false
}

// NotifyingBackend stands in for S3 event notifications, which gofakes3 does not have: it
// wraps the storage gofakes3 serves, and after each object it successfully stores, it
// invokes every matching subscription asynchronously with the event S3 would send, retrying
// a failed invocation as Lambda retries an asynchronous one.
//
// It exposes only gofakes3.Backend, so gofakes3 sees neither versioning nor multipart
// support in the wrapped backend (s3bolt has neither anyway). That is what makes multipart
// uploads observable: gofakes3 then assembles them itself and stores the result with one
// PutObject.
type NotifyingBackend struct {
	gofakes3.Backend
	log *slog.Logger

	mu       sync.Mutex
	subs     []S3Subscription
	closed   bool
	inflight sync.WaitGroup

	ctx    context.Context // cancelled when Close gives up waiting
	cancel context.CancelFunc
	seq    atomic.Uint64

	// retryDelays are the waits before the retries of a failed invocation: Lambda retries an
	// asynchronous invocation twice, after about one and then two minutes; locally seconds.
	retryDelays []time.Duration
	// closeTimeout bounds how long Close waits for deliveries still running.
	closeTimeout time.Duration
}

// NewNotifyingBackend wraps inner and delivers its object-created events to subs.
func NewNotifyingBackend(inner gofakes3.Backend, log *slog.Logger, subs ...S3Subscription) *NotifyingBackend {
	ctx, cancel := context.WithCancel(context.Background())
	b := &NotifyingBackend{
		Backend: inner, log: log, subs: subs, ctx: ctx, cancel: cancel,
		retryDelays:  []time.Duration{time.Second, 2 * time.Second},
		closeTimeout: 30 * time.Second,
	}
	// Sequencers only increase, also across restarts, as S3's do for one key.
	b.seq.Store(uint64(time.Now().UnixNano()))
	return b
}

// Subscribe adds subscriptions. The local stack must serve S3 before it can build the
// handlers (they are given an S3 client of it), so it subscribes them afterwards; objects
// stored before that send no events, as on AWS before the notification configuration exists.
func (b *NotifyingBackend) Subscribe(subs ...S3Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = append(b.subs, subs...)
}

// PutObject stores the object, then notifies. gofakes3 calls it for a PUT (also a presigned
// one, and what `aws s3 cp` sends for small files), for a browser form POST (reported as a
// Put here), and, with the assembled body in a *bytes.Reader, when it completes a multipart
// upload; its own request paths hand it a hashing reader instead. On AWS the ETag of a
// multipart object is the MD5 of the parts' MD5s with "-N"; here it is the MD5 of the body.
func (b *NotifyingBackend) PutObject(bucket, key string, meta map[string]string, input io.Reader, size int64, conditions *gofakes3.PutConditions) (gofakes3.PutObjectResult, error) {
	eventName := eventPut
	if _, ok := input.(*bytes.Reader); ok {
		eventName = eventMultipart
	}
	h := &countingHash{Hash: md5.New()}
	res, err := b.Backend.PutObject(bucket, key, meta, io.TeeReader(input, h), size, conditions)
	if err != nil {
		return res, err
	}
	b.notify(eventName, bucket, key, h.n, hex.EncodeToString(h.Sum(nil)), string(res.VersionID))
	return res, nil
}

// CopyObject copies, then notifies. The wrapped backend copies by storing through its own
// PutObject, not this one, so a copy is reported once, as a Copy.
func (b *NotifyingBackend) CopyObject(srcBucket, srcKey, dstBucket, dstKey string, meta map[string]string) (gofakes3.CopyObjectResult, error) {
	res, err := b.Backend.CopyObject(srcBucket, srcKey, dstBucket, dstKey, meta)
	if err != nil {
		return res, err
	}
	var size int64
	version := ""
	if obj, err := b.Backend.HeadObject(dstBucket, dstKey); err == nil {
		size, version = obj.Size, string(obj.VersionID)
		_ = obj.Contents.Close()
	}
	b.notify(eventCopy, dstBucket, dstKey, size, strings.Trim(res.ETag, `"`), version)
	return res, nil
}

// notify starts one delivery per matching subscription; the S3 request does not wait.
func (b *NotifyingBackend) notify(eventName, bucket, key string, size int64, etag, version string) {
	b.mu.Lock()
	var matched []S3Subscription
	for _, s := range b.subs {
		if s.matches(eventName, bucket, key) {
			matched = append(matched, s)
		}
	}
	if len(matched) > 0 && b.closed {
		b.mu.Unlock()
		b.log.Warn("s3 event dropped: notifications stopped", "bucket", bucket, "key", key, "event", eventName)
		return
	}
	b.inflight.Add(len(matched))
	b.mu.Unlock()
	if len(matched) == 0 {
		return
	}
	rec := objectCreatedRecord(eventName, bucket, key, size, etag, version, fmt.Sprintf("%018X", b.seq.Add(1)), time.Now())
	for _, s := range matched {
		r := rec
		r.S3.ConfigurationID = s.Name
		go b.deliver(s, r, key)
	}
}

// deliver invokes s as Lambda's asynchronous invocation does: retried twice on error, then
// given up and logged, where AWS would hand it to an on-failure destination. The retries
// keep the request ID, as Lambda's do.
func (b *NotifyingBackend) deliver(s S3Subscription, rec events.S3EventRecord, key string) {
	defer b.inflight.Done()
	payload, err := json.Marshal(events.S3Event{Records: []events.S3EventRecord{rec}})
	if err != nil {
		b.log.Error("s3 event not encodable", "function", s.Name, "error", err)
		return
	}
	requestID := newUUID()
	log := b.log.With("function", s.Name, "bucket", rec.S3.Bucket.Name, "key", key, "event", rec.EventName, "requestId", requestID)
	for attempt := 1; ; attempt++ {
		err := b.invoke(s, payload, requestID)
		if err == nil {
			log.Info("s3 event delivered", "attempt", attempt, "outcome", "ok")
			return
		}
		if attempt > len(b.retryDelays) {
			log.Error("s3 event delivery failed; giving up", "attempt", attempt, "outcome", "failed", "error", err)
			return
		}
		delay := b.retryDelays[attempt-1]
		log.Warn("s3 event delivery failed; retrying", "attempt", attempt, "outcome", "retry", "retryIn", delay.String(), "error", err)
		select {
		case <-time.After(delay):
		case <-b.ctx.Done():
			log.Error("s3 event delivery abandoned: stopping", "attempt", attempt, "outcome", "abandoned")
			return
		}
	}
}

// invoke runs one attempt the way the Lambda runtime would: the event decoded afresh from
// its JSON (so it is exactly what lambda.Start's handler gets, urlDecodedKey included, and
// one attempt cannot change the next one's), a Lambda context, and a panic counted as an
// error.
func (b *NotifyingBackend) invoke(s S3Subscription, payload []byte, requestID string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	var ev events.S3Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return err
	}
	ctx := lambdacontext.NewContext(b.ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       requestID,
		InvokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:" + s.Name,
	})
	return s.Invoke(ctx, ev)
}

// Close stops notifying: later writes send no events, and it waits up to 30 s for the
// deliveries still running (retries included), then cancels them. Close it before the S3
// server and its store, since handlers read the object they were told about.
func (b *NotifyingBackend) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	timer := time.NewTimer(b.closeTimeout)
	defer timer.Stop()
	defer b.cancel()
	select {
	case <-done:
		return nil
	case <-timer.C:
		return errors.New("s3 notifications: deliveries still running after " + b.closeTimeout.String() + "; cancelled")
	}
}

// objectCreatedRecord is the record S3 sends for an object created at t.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
func objectCreatedRecord(eventName, bucket, key string, size int64, etag, version, sequencer string, t time.Time) events.S3EventRecord {
	return events.S3EventRecord{
		EventVersion: "2.1", EventSource: "aws:s3", AWSRegion: "us-east-1",
		EventTime:         t.UTC().Truncate(time.Millisecond),
		EventName:         eventName,
		PrincipalID:       events.S3UserIdentity{PrincipalID: "AWS:AIDALOCALDEVELOPER"},
		RequestParameters: events.S3RequestParameters{SourceIPAddress: "127.0.0.1"},
		ResponseElements: map[string]string{
			"x-amz-request-id": strings.ToUpper(hex.EncodeToString(randomBytes(8))),
			"x-amz-id-2":       base64.StdEncoding.EncodeToString(randomBytes(57)),
		},
		S3: events.S3Entity{
			SchemaVersion: "1.0",
			Bucket: events.S3Bucket{
				Name: bucket, OwnerIdentity: events.S3UserIdentity{PrincipalID: "A1LOCALBUCKETOWNER"}, Arn: "arn:aws:s3:::" + bucket,
			},
			Object: events.S3Object{Key: eventKey(key), Size: size, ETag: etag, VersionID: version, Sequencer: sequencer},
		},
	}
}

// eventKey encodes a key as S3 writes it into event notifications: form-URL encoded, so
// "red flower.jpg" is "red+flower.jpg", "+" is "%2B" and other bytes are %XX (UTF-8), but
// with "/" left as it is ("uploads/a b.csv" is "uploads/a+b.csv"), as S3 does. Handlers
// decode it with url.QueryUnescape (aws-lambda-go fills S3Object.URLDecodedKey that way).
func eventKey(key string) string {
	// Every "%" of the key is escaped to "%25", so each "%2F" here is an escaped "/".
	return strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
}

// countingHash is the MD5 (the ETag) and the length of what the backend stored.
type countingHash struct {
	hash.Hash
	n int64
}

func (c *countingHash) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.Hash.Write(p)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// newUUID is a version 4 UUID, the form of a Lambda request ID.
func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
