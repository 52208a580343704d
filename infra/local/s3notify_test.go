package local

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3bolt"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	bolt "go.etcd.io/bbolt"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/testenv"
)

const testBucket = "uploads"

// delivery is one invocation a subscription received.
type delivery struct {
	event     events.S3Event
	requestID string
}

// recorder is a subscription's handler that keeps what it was given.
type recorder struct {
	mu   sync.Mutex
	got  []delivery
	fail int // fail the first fail invocations
}

func (r *recorder) invoke(ctx context.Context, ev events.S3Event) error {
	lc, _ := lambdacontext.FromContext(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	d := delivery{event: ev}
	if lc != nil {
		d.requestID = lc.AwsRequestID
	}
	r.got = append(r.got, d)
	if len(r.got) <= r.fail {
		return errors.New("import failed")
	}
	return nil
}

func (r *recorder) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

// localS3 serves gofakes3 over the wrapped in-memory backend, with the bucket created, and
// returns a client of it. Retries wait a millisecond instead of seconds.
func localS3(t *testing.T, subs ...S3Subscription) (*s3.Client, *NotifyingBackend, string, *testenv.LogBuffer) {
	t.Helper()
	logs := &testenv.LogBuffer{}
	nb := NewNotifyingBackend(s3mem.New(), slog.New(slog.NewJSONHandler(logs, nil)), subs...)
	nb.retryDelays = []time.Duration{time.Millisecond, time.Millisecond}
	srv := httptest.NewServer(gofakes3.New(nb).Server())
	t.Cleanup(srv.Close)
	t.Cleanup(func() { _ = nb.Close() }) // runs first: no delivery outlives the test
	client := localaws.S3(srv.URL)
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(testBucket)}); err != nil {
		t.Fatal(err)
	}
	return client, nb, srv.URL, logs
}

func importSub(r *recorder) S3Subscription {
	return S3Subscription{
		Name: "promo-import", Bucket: testBucket, Events: []string{"s3:ObjectCreated:*"},
		Prefix: "imports/", Suffix: ".csv", Invoke: r.invoke,
	}
}

func put(t *testing.T, c *s3.Client, bucket, key, body string) {
	t.Helper()
	if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body),
	}); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

// closeAndGet waits for every delivery, then returns what r received.
func closeAndGet(t *testing.T, nb *NotifyingBackend, r *recorder) []delivery {
	t.Helper()
	if err := nb.Close(); err != nil {
		t.Fatal(err)
	}
	return r.deliveries()
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestS3NotifyPutDeliversRealShapedEvent(t *testing.T) {
	r := &recorder{}
	c, nb, _, _ := localS3(t, importSub(r))
	body := "code,discount\nSUMMER,10\n"
	before := time.Now().UTC().Truncate(time.Millisecond)
	put(t, c, testBucket, "imports/site-a/list.csv", body)

	got := closeAndGet(t, nb, r)
	if len(got) != 1 || len(got[0].event.Records) != 1 {
		t.Fatalf("want one event with one record, got %+v", got)
	}
	rec := got[0].event.Records[0]
	checks := map[string][2]string{
		"eventVersion":     {rec.EventVersion, "2.1"},
		"eventSource":      {rec.EventSource, "aws:s3"},
		"awsRegion":        {rec.AWSRegion, "us-east-1"},
		"eventName":        {rec.EventName, "ObjectCreated:Put"},
		"sourceIPAddress":  {rec.RequestParameters.SourceIPAddress, "127.0.0.1"},
		"s3SchemaVersion":  {rec.S3.SchemaVersion, "1.0"},
		"configurationId":  {rec.S3.ConfigurationID, "promo-import"},
		"bucket.name":      {rec.S3.Bucket.Name, testBucket},
		"bucket.arn":       {rec.S3.Bucket.Arn, "arn:aws:s3:::" + testBucket},
		"object.key":       {rec.S3.Object.Key, "imports/site-a/list.csv"},
		"urlDecodedKey":    {rec.S3.Object.URLDecodedKey, "imports/site-a/list.csv"},
		"object.eTag":      {rec.S3.Object.ETag, md5Hex(body)},
		"object.versionId": {rec.S3.Object.VersionID, ""},
	}
	for field, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", field, c[0], c[1])
		}
	}
	if rec.S3.Object.Size != int64(len(body)) {
		t.Errorf("size = %d, want %d", rec.S3.Object.Size, len(body))
	}
	for field, v := range map[string]string{
		"userIdentity.principalId":  rec.PrincipalID.PrincipalID,
		"ownerIdentity.principalId": rec.S3.Bucket.OwnerIdentity.PrincipalID,
		"x-amz-request-id":          rec.ResponseElements["x-amz-request-id"],
		"x-amz-id-2":                rec.ResponseElements["x-amz-id-2"],
		"lambda request ID":         got[0].requestID,
	} {
		if v == "" {
			t.Errorf("%s is empty", field)
		}
	}
	if !regexp.MustCompile(`^[0-9A-F]{18}$`).MatchString(rec.S3.Object.Sequencer) {
		t.Errorf("sequencer %q is not S3's 18 hex digits", rec.S3.Object.Sequencer)
	}
	if rec.EventTime.Location() != time.UTC || rec.EventTime.Before(before) || !rec.EventTime.Equal(rec.EventTime.Truncate(time.Millisecond)) {
		t.Errorf("eventTime %v is not a UTC millisecond time after %v", rec.EventTime, before)
	}
}

func TestS3NotifyEncodesKeysAsS3Does(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"imports/red flower.csv", "imports/red+flower.csv"},
		{"imports/a+b=c&d.csv", "imports/a%2Bb%3Dc%26d.csv"},
		{"imports/Café déjà vu/ünï 100%.csv", "imports/Caf%C3%A9+d%C3%A9j%C3%A0+vu/%C3%BCn%C3%AF+100%25.csv"},
		{"imports/not-a-slash %2F.csv", "imports/not-a-slash+%252F.csv"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			r := &recorder{}
			c, nb, _, _ := localS3(t, importSub(r))
			put(t, c, testBucket, tc.key, "x")
			got := closeAndGet(t, nb, r)
			if len(got) != 1 {
				t.Fatalf("want one event, got %d", len(got))
			}
			obj := got[0].event.Records[0].S3.Object
			if obj.Key != tc.want {
				t.Errorf("key = %q, want %q", obj.Key, tc.want)
			}
			if back, err := url.QueryUnescape(obj.Key); err != nil || back != tc.key {
				t.Errorf("QueryUnescape(%q) = %q, %v; want the original %q", obj.Key, back, err, tc.key)
			}
			if obj.URLDecodedKey != tc.key {
				t.Errorf("urlDecodedKey = %q, want %q", obj.URLDecodedKey, tc.key)
			}
		})
	}
}

func TestS3NotifyFiltersBucketPrefixSuffixAndEvent(t *testing.T) {
	r, putOnly := &recorder{}, &recorder{}
	sub := importSub(putOnly)
	sub.Name, sub.Events = "put-only", []string{"s3:ObjectCreated:Put"}
	c, nb, _, _ := localS3(t, importSub(r), sub)
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("other")}); err != nil {
		t.Fatal(err)
	}
	put(t, c, testBucket, "exports/list.csv", "x")     // prefix
	put(t, c, testBucket, "imports/list.csv.tmp", "x") // suffix
	put(t, c, testBucket, "imports.csv", "x")          // prefix is "imports/"
	put(t, c, "other", "imports/list.csv", "x")        // bucket
	put(t, c, testBucket, "imports/src.tsv", "x")
	if _, err := c.CopyObject(context.Background(), &s3.CopyObjectInput{ // matches *, not Put
		Bucket: aws.String(testBucket), Key: aws.String("imports/copy.csv"), CopySource: aws.String(testBucket + "/imports/src.tsv"),
	}); err != nil {
		t.Fatal(err)
	}
	if got := closeAndGet(t, nb, putOnly); len(got) != 0 {
		t.Errorf("put-only subscription got %d events, want none", len(got))
	}
	got := r.deliveries()
	if len(got) != 1 {
		t.Fatalf("want only the copy's event, got %d", len(got))
	}
	if rec := got[0].event.Records[0]; rec.EventName != "ObjectCreated:Copy" || rec.S3.Object.Key != "imports/copy.csv" || rec.S3.Object.Size != 1 || rec.S3.Object.ETag != md5Hex("x") {
		t.Errorf("copy event: %+v", rec)
	}
}

func TestS3NotifyMultipartUploadIsOneCompleteMultipartUploadEvent(t *testing.T) {
	r := &recorder{}
	c, nb, _, _ := localS3(t, importSub(r))
	ctx := context.Background()
	key := "imports/big list.csv"
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	var parts []types.CompletedPart
	for i, body := range []string{"code\n", "A\n", "B\n"} {
		n := int32(i + 1)
		p, err := c.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId, PartNumber: aws.Int32(n), Body: strings.NewReader(body),
		})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, types.CompletedPart{ETag: p.ETag, PartNumber: aws.Int32(n)})
	}
	if got := r.deliveries(); len(got) != 0 {
		t.Fatalf("parts alone sent %d events", len(got))
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	}); err != nil {
		t.Fatal(err)
	}
	got := closeAndGet(t, nb, r)
	if len(got) != 1 {
		t.Fatalf("want one event, got %d", len(got))
	}
	if rec := got[0].event.Records[0]; rec.EventName != "ObjectCreated:CompleteMultipartUpload" || rec.S3.Object.URLDecodedKey != key || rec.S3.Object.Size != int64(len("code\nA\nB\n")) {
		t.Errorf("multipart event: %+v", rec)
	}
}

func TestS3NotifyPresignedPutFromPlainHTTP(t *testing.T) {
	r := &recorder{}
	c, nb, _, _ := localS3(t, importSub(r))
	req, err := s3.NewPresignClient(c).PresignPutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(testBucket), Key: aws.String("imports/from browser.csv"), ContentType: aws.String("text/csv"),
	}, s3.WithPresignExpires(5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	body := "code\nWINTER\n"
	hr, err := http.NewRequest(req.Method, req.URL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range req.SignedHeader {
		if !strings.EqualFold(k, "Host") {
			hr.Header[k] = vs
		}
	}
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("presigned PUT: %s", res.Status)
	}
	got := closeAndGet(t, nb, r)
	if len(got) != 1 {
		t.Fatalf("want one event, got %d", len(got))
	}
	if obj := got[0].event.Records[0].S3.Object; obj.Key != "imports/from+browser.csv" || obj.Size != int64(len(body)) || obj.ETag != md5Hex(body) {
		t.Errorf("presigned PUT event object: %+v", obj)
	}
}

func TestS3NotifySequencerIncreases(t *testing.T) {
	r := &recorder{}
	c, nb, _, _ := localS3(t, importSub(r))
	put(t, c, testBucket, "imports/a.csv", "1")
	put(t, c, testBucket, "imports/a.csv", "2")
	got := closeAndGet(t, nb, r)
	if len(got) != 2 {
		t.Fatalf("want two events, got %d", len(got))
	}
	seq := map[string]string{} // eTag -> sequencer: deliveries may arrive in either order
	for _, d := range got {
		o := d.event.Records[0].S3.Object
		seq[o.ETag] = o.Sequencer
	}
	if first, second := seq[md5Hex("1")], seq[md5Hex("2")]; len(first) != len(second) || first >= second {
		t.Errorf("sequencers %q then %q do not increase", first, second)
	}
}

// TestS3NotifyOverBoltStore runs on the store the local stack keeps its objects in.
func TestS3NotifyOverBoltStore(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "s3.bolt"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	r := &recorder{}
	nb := NewNotifyingBackend(s3bolt.New(db), slog.New(slog.DiscardHandler), importSub(r))
	if err := nb.CreateBucket(testBucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(nb).Server())
	t.Cleanup(srv.Close)
	c := localaws.S3(srv.URL)
	put(t, c, testBucket, "imports/a b.csv", "code\n")
	if _, err := c.CopyObject(context.Background(), &s3.CopyObjectInput{
		Bucket: aws.String(testBucket), Key: aws.String("imports/c.csv"), CopySource: aws.String(testBucket + "/imports/a%20b.csv"),
	}); err != nil {
		t.Fatal(err)
	}
	got := closeAndGet(t, nb, r)
	names := map[string]string{}
	for _, d := range got {
		rec := d.event.Records[0]
		names[rec.EventName] = rec.S3.Object.Key
		if rec.S3.Object.Size != 5 || rec.S3.Object.ETag != md5Hex("code\n") {
			t.Errorf("%s: object %+v", rec.EventName, rec.S3.Object)
		}
	}
	if len(got) != 2 || names["ObjectCreated:Put"] != "imports/a+b.csv" || names["ObjectCreated:Copy"] != "imports/c.csv" {
		t.Errorf("events: %v", names)
	}
}

func TestS3NotifyRetriesTwiceLikeLambdaAsync(t *testing.T) {
	t.Run("third attempt succeeds", func(t *testing.T) {
		r := &recorder{fail: 2}
		c, nb, _, logs := localS3(t, importSub(r))
		put(t, c, testBucket, "imports/list.csv", "x")
		got := closeAndGet(t, nb, r)
		if len(got) != 3 {
			t.Fatalf("want 3 attempts, got %d", len(got))
		}
		for _, d := range got[1:] {
			if d.requestID != got[0].requestID || d.event.Records[0].S3.Object.Sequencer != got[0].event.Records[0].S3.Object.Sequencer {
				t.Errorf("a retry is a different invocation: %+v vs %+v", d, got[0])
			}
		}
		if l := logs.String(); strings.Count(l, `"outcome":"retry"`) != 2 || !strings.Contains(l, `"outcome":"ok"`) || !strings.Contains(l, `"attempt":3`) {
			t.Errorf("logs:\n%s", l)
		}
	})
	t.Run("gives up after the third", func(t *testing.T) {
		r := &recorder{fail: 100}
		c, nb, _, logs := localS3(t, importSub(r))
		put(t, c, testBucket, "imports/list.csv", "x")
		if got := closeAndGet(t, nb, r); len(got) != 3 {
			t.Fatalf("want 3 attempts, got %d", len(got))
		}
		if l := logs.String(); !strings.Contains(l, `"outcome":"failed"`) || !strings.Contains(l, `"function":"promo-import"`) || !strings.Contains(l, `"key":"imports/list.csv"`) {
			t.Errorf("logs:\n%s", l)
		}
	})
	t.Run("a panic is a failure", func(t *testing.T) {
		calls := 0
		sub := importSub(nil)
		sub.Invoke = func(context.Context, events.S3Event) error {
			calls++ // attempts run one after another
			if calls == 1 {
				panic("boom")
			}
			return nil
		}
		c, nb, _, _ := localS3(t, sub)
		put(t, c, testBucket, "imports/list.csv", "x")
		if err := nb.Close(); err != nil {
			t.Fatal(err)
		}
		if calls != 2 {
			t.Errorf("want a retry after the panic, got %d calls", calls)
		}
	})
}

func TestS3NotifyPutReturnsBeforeDeliveryAndCloseWaits(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var finished bool
	sub := importSub(nil)
	sub.Invoke = func(context.Context, events.S3Event) error {
		close(started)
		<-release
		finished = true
		return nil
	}
	c, nb, _, _ := localS3(t, sub)
	put(t, c, testBucket, "imports/list.csv", "x") // returns while the handler is blocked
	<-started

	closed := make(chan error)
	go func() { closed <- nb.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a delivery was running", err)
	default:
	}
	close(release)
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if !finished {
		t.Error("Close returned before the delivery finished")
	}

	// After Close, writes still succeed but send nothing.
	calls := 0
	nb.Subscribe(S3Subscription{Name: "late", Bucket: testBucket, Events: []string{"s3:ObjectCreated:*"}, Invoke: func(context.Context, events.S3Event) error {
		calls++
		return nil
	}})
	put(t, c, testBucket, "imports/after.csv", "x")
	if calls != 0 {
		t.Errorf("a write after Close was delivered")
	}
}

func TestS3NotifyCloseIsBounded(t *testing.T) {
	sub := importSub(nil)
	cancelled := make(chan struct{})
	sub.Invoke = func(ctx context.Context, _ events.S3Event) error {
		<-ctx.Done() // a handler that would run forever, but honours its context
		close(cancelled)
		return ctx.Err()
	}
	c, nb, _, _ := localS3(t, sub)
	nb.closeTimeout = time.Millisecond
	put(t, c, testBucket, "imports/list.csv", "x")
	if err := nb.Close(); err == nil {
		t.Error("Close gave up on a stuck delivery without saying so")
	}
	<-cancelled // the stuck invocation was cancelled
}

func TestS3SubscriptionMatches(t *testing.T) {
	s := S3Subscription{Bucket: "b", Events: []string{"s3:ObjectCreated:Put", "s3:ObjectCreated:Copy"}, Prefix: "in/", Suffix: ".csv"}
	for _, tc := range []struct {
		event, bucket, key string
		want               bool
	}{
		{"ObjectCreated:Put", "b", "in/x.csv", true},
		{"ObjectCreated:Copy", "b", "in/x.csv", true},
		{"ObjectCreated:CompleteMultipartUpload", "b", "in/x.csv", false},
		{"ObjectCreated:Put", "c", "in/x.csv", false},
		{"ObjectCreated:Put", "b", "out/x.csv", false},
		{"ObjectCreated:Put", "b", "in/x.CSV", false}, // S3 filters are case-sensitive
	} {
		if got := s.matches(tc.event, tc.bucket, tc.key); got != tc.want {
			t.Errorf("matches(%s, %s, %s) = %v, want %v", tc.event, tc.bucket, tc.key, got, tc.want)
		}
	}
	all := S3Subscription{Bucket: "b", Events: []string{"s3:ObjectCreated:*"}}
	for _, ev := range []string{eventPut, eventCopy, eventMultipart} {
		if !all.matches(ev, "b", "any/key") {
			t.Errorf("s3:ObjectCreated:* does not match %s", ev)
		}
	}
	if all.matches("ObjectRemoved:Delete", "b", "k") {
		t.Error("s3:ObjectCreated:* matches a removal")
	}
}
