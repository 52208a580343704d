package promoimportapp_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/app/promocreateapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoimportapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp"
	"github.com/boxofficehq/boxoffice/internal/app/promoissueapp/promoissueapptest"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/issue/issuedb"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
	"github.com/boxofficehq/boxoffice/internal/settings/settingsdb"
)

const (
	createEvents = "../../../events/promo-create"
	importEvents = "../../../events/promo-import"
)

// rig is the two functions against DynamoDB Local, an in-process S3 and the SES emulator,
// for the site "demo" with promotion codes switched on for events. The import's DynamoDB
// and SES clients go through hooks, so a test can make them fail as a dying run would.
type rig struct {
	l        *testenv.Local
	env      map[string]string
	create   lambdaapp.HTTPLambda
	importer lambdaapp.S3Lambda
	db       *hookedDB
	ses      *hookedSES
	jobs     *issuedb.Jobs
	domain   string // every recipient of the test mails this domain, to find its mails
	// etags are the ETags S3 gave the files uploaded, by key: what its events carry; urls
	// the presigned upload URLs, by key.
	etags, urls map[string]string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	l, env := promoissueapptest.Stack(t)
	r := &rig{l: l, env: env, db: &hookedDB{JobsAPI: l.DB, API: l.DB}, ses: &hookedSES{api: l.SES}, domain: randomDomain(), etags: map[string]string{}, urls: map[string]string{}}
	_, auditLog, err := settingsdb.NewAudited(l.DB, r.env["SITES_TABLE"], r.env["AUDIT_TABLE"])
	if err != nil {
		t.Fatal(err)
	}
	log := testenv.Logger(t)
	rt, err := promocreateapp.New(lambdaapp.MapLookup(r.env), promoissueapp.Clients{DynamoDB: l.DB, Idempotency: l.DB, S3: l.S3, SES: l.SES}, log)
	if err != nil {
		t.Fatal(err)
	}
	r.create = lambdaapp.NewHTTPLambda(rt)
	r.importer, err = promoimportapp.New(lambdaapp.MapLookup(r.env), promoissueapp.Clients{DynamoDB: r.db, S3: l.S3, SES: r.ses}, log)
	if err != nil {
		t.Fatal(err)
	}
	if r.jobs, err = issuedb.NewJobs(l.DB, r.env["PROMO_TABLE"], auditLog); err != nil {
		t.Fatal(err)
	}
	return r
}

func randomDomain() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return "t" + hex.EncodeToString(b) + ".example"
}

// recipientsFile is n lines "name-i@domain,Person i" in Excel's CSV UTF-8 (BOM, CRLF).
func (r *rig) recipientsFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeffEmail,Name\r\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "person-%d@%s,Person %d\r\n", i, r.domain, i)
	}
	return b.Bytes()
}

// startImport creates an import job through promo-create and uploads file to its presigned
// URL; it returns the job ID and its key.
func (r *rig) startImport(t *testing.T, file []byte) (job, key string) {
	t.Helper()
	resp, err := r.create(context.Background(), testenv.LoadHTTPEvent(t, createEvents, "create-import"))
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create import: %d %s %v", resp.StatusCode, resp.Body, err)
	}
	var out struct {
		Job    struct{ ID string }
		Upload struct{ Method, URL, Bucket, Key string }
	}
	if err := json.Unmarshal([]byte(resp.Body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Upload.Method != http.MethodPut {
		t.Fatalf("upload method %q", out.Upload.Method)
	}
	r.urls[out.Upload.Key] = out.Upload.URL
	r.upload(t, out.Upload.Key, file)
	return out.Job.ID, out.Upload.Key
}

// upload puts file to key's presigned URL, as the console does.
func (r *rig) upload(t *testing.T, key string, file []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, r.urls[key], bytes.NewReader(file))
	put, err := http.DefaultClient.Do(req)
	if err != nil || put.StatusCode != 200 {
		t.Fatalf("upload to the presigned URL: %v %v", put, err)
	}
	put.Body.Close()
	r.etags[key] = strings.Trim(put.Header.Get("ETag"), `"`)
}

// s3Event is the sample S3 event, for key.
func s3Event(t *testing.T, name, key string) events.S3Event {
	t.Helper()
	raw, err := os.ReadFile(importEvents + "/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.S3Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	ev.Records[0].S3.Object.Key = strings.ReplaceAll(key, " ", "+")
	return ev
}

// invoke runs the import handler as Lambda would for the invocation requestID. The sample
// event's records get the ETag S3 gave the file uploaded to their key, as S3's events carry.
func (r *rig) invoke(ev events.S3Event, requestID string) error {
	ev.Records = slices.Clone(ev.Records)
	for i, rec := range ev.Records {
		if etag, ok := r.etags[strings.ReplaceAll(rec.S3.Object.Key, "+", " ")]; ok {
			ev.Records[i].S3.Object.ETag = etag
		}
	}
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: requestID})
	return r.importer(ctx, ev)
}

func (r *rig) job(t *testing.T, id string) issue.Job {
	t.Helper()
	j, err := r.jobs.Job(context.Background(), "demo", id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// mailsTo lists the mails the SES emulator holds per recipient of this test's domain.
func (r *rig) mailsTo(t *testing.T) map[string][]promoissueapptest.Mail {
	t.Helper()
	return promoissueapptest.MailsTo(t, r.l, r.domain)
}

// codesOfSite lists every code of the site through the report's creation index.
func (r *rig) codesOfSite(t *testing.T) []promo.Code {
	t.Helper()
	var out []promo.Code
	p := dynamodb.NewQueryPaginator(r.l.DB, &dynamodb.QueryInput{
		TableName: aws.String(r.env["PROMO_TABLE"]), IndexName: aws.String(promodb.IndexByCreated),
		KeyConditionExpression:    aws.String("site = :s"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":s": &types.AttributeValueMemberS{Value: "demo"}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range page.Items {
			c, err := promodb.UnmarshalCode(item)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
	}
	return out
}

// hookedDB lets a test fail chosen DynamoDB calls of the import, as a run that dies would.
type hookedDB struct {
	issuedb.JobsAPI
	settingsdb.API
	mu       sync.Mutex
	transact func(n int, in *dynamodb.TransactWriteItemsInput) error
	n        int
}

func (h *hookedDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return h.JobsAPI.GetItem(ctx, in, o...)
}

func (h *hookedDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	h.mu.Lock()
	h.n++
	n, hook := h.n, h.transact
	h.mu.Unlock()
	if hook != nil {
		if err := hook(n, in); err != nil {
			return nil, err
		}
	}
	return h.JobsAPI.TransactWriteItems(ctx, in, o...)
}

// hookedSES lets a test refuse chosen sends.
type hookedSES struct {
	api  *sesmail.Client
	mu   sync.Mutex
	send func(n int, to string) error
	n    int
}

func (h *hookedSES) SendEmail(ctx context.Context, in sesmail.Email) (string, error) {
	h.mu.Lock()
	h.n++
	n, hook := h.n, h.send
	h.mu.Unlock()
	if hook != nil {
		if err := hook(n, in.To); err != nil {
			return "", err
		}
	}
	return h.api.SendEmail(ctx, in)
}
