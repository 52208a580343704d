package local

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/promodb"
)

// benchRecipients is the file size the benchmarks measure: SPEC 3.2's maximum.
const benchRecipients = 1000

// benchWorkers is how many writes or sends the bare benchmark runs at once: what the import
// itself uses at the benchmark's send rate.
const benchWorkers = 16

// benchStorage is where a benchmark's stack keeps its data (DynamoDB Local's, and the S3
// and secrets files beside it; see Start): in memory (a folder on tmpfs, where a flush
// costs nothing) or on the machine's disk, where every flush waits for the disk: that is
// where the number of writes shows.
type benchStorage struct{ name, dir string }

// logged says in b's log where the data is, and on which file system: where TMPDIR is on
// tmpfs the disk case is not on the disk. (Only the innermost benchmarks' logs are shown.)
func (st benchStorage) logged(b *testing.B) {
	b.Logf("data in %s (%s)", st.dir, fileSystemOf(st.dir))
}

// benchStorages is the memory folder (left out where there is no /dev/shm) and the disk
// folder: the benchmark's temporary folder.
func benchStorages(b *testing.B) []benchStorage {
	var out []benchStorage
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		dir, err := os.MkdirTemp("/dev/shm", "boxoffice-bench-")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = os.RemoveAll(dir) })
		out = append(out, benchStorage{"memory", dir})
	}
	return append(out, benchStorage{"disk", b.TempDir()})
}

// fileSystemOf names the type of the file system dir is on, from the mount table (Linux);
// "unknown" elsewhere.
func fileSystemOf(dir string) string {
	mounts, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return "unknown"
	}
	best, kind := "", "unknown"
	for _, line := range strings.Split(string(mounts), "\n") {
		f := strings.Fields(line) // device, mount point, type, ...
		if len(f) < 3 {
			continue
		}
		at := f[1]
		if (dir == at || strings.HasPrefix(dir, strings.TrimSuffix(at, "/")+"/")) && len(at) > len(best) {
			best, kind = at, f[2]
		}
	}
	return kind
}

// benchStack starts the whole local stack with its data in dir, for the site "bench" with
// promotion codes on, warmed up, and returns it with an administrator's token.
func benchStack(b *testing.B, dir string) (*Stack, string) {
	root, err := RepoRoot()
	if err != nil {
		b.Fatal(err)
	}
	// A rate well above the 1,000 mails, so the benchmark measures the work, not the limit.
	s, err := Start(context.Background(), Options{Root: root, StateDir: dir, SESRate: "1000", Log: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	token, _ := s.Signer.Mint("bench", "", []string{"bench"}, time.Hour)
	if status, body := do(b, "PATCH", s.APIURL+"/sites/bench/settings/events", token, `{"enabled":true,"promoCodesEnabled":true,"merchantName":"Bench"}`); status != 200 {
		b.Fatalf("settings: %d %s", status, body)
	}
	// DynamoDB Local runs on a JVM that compiles its write path while it is first used: two
	// creations of the most codes a request makes beforehand, so that whichever case runs
	// first is not the one that pays for it (DynamoDB on AWS has no such warm-up).
	for range 2 {
		if status, body := do(b, "POST", s.APIURL+"/sites/bench/promo-codes", token, createBody(issue.MaxSyncQuantity)); status != 201 {
			b.Fatalf("warm-up: %d %.200s", status, body)
		}
	}
	return s, token
}

// BenchmarkImport measures a 1,000-recipient file from upload to the last e-mail through the
// whole local stack (presigned PUT → local S3 event → promo-import → DynamoDB Local and the
// SES emulator), with DynamoDB Local's data in memory and on disk. Beside the time per file
// it reports when the first code existed and when the last did (s-first-code, s-codes), and
// the bare calls the import makes for the same file, made directly: the difference is what
// the import adds (validation, leases, conditions, rate limiting, bookkeeping). Run with
//
//	go run ./infra/cmd/withemulators -- go test -run '^$' -bench BenchmarkImport -benchtime 3x ./infra/local/
func BenchmarkImport(b *testing.B) {
	testenv.Endpoint(b, testenv.EnvDynamoDB)
	for _, st := range benchStorages(b) {
		b.Run(st.name, func(b *testing.B) {
			s, token := benchStack(b, st.dir)
			b.Run("upload-to-last-mail", func(b *testing.B) {
				st.logged(b)
				benchUploadToLastMail(b, s, token)
			})
			db := localaws.DynamoDB(s.DynamoURL)
			mail, err := localaws.SES(s.SESURL)
			if err != nil {
				b.Fatal(err)
			}
			table := s.Tables["PromoCodesTable"]
			b.Run("bare-calls", func(b *testing.B) {
				var writes time.Duration
				for i := 0; i < b.N; i++ {
					writes += bareCalls(b, db, mail, table, i)
				}
				b.ReportMetric(writes.Seconds()/float64(b.N), "s-codes/op")
			})
		})
	}
}

// benchUploadToLastMail times b.N imports from the upload to the job's end, following the
// job as the console does.
func benchUploadToLastMail(b *testing.B, s *Stack, token string) {
	var firstCode, allCodes time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		file := recipientsFile(fmt.Sprintf("run%d-%d.example", i, time.Now().UnixNano()))
		job, upload := startImport(b, s, token, "bench",
			`{"service":"events","usage":{"kind":"once"},"discount":{"kind":"percent","percent":10},"expiresOn":"2034-01-01"}`)
		b.StartTimer()
		start := time.Now()
		if status, body := do(b, "PUT", upload, "", string(file)); status != 200 {
			b.Fatalf("upload: %d %s", status, body)
		}
		var first, all time.Duration
		j := followJob(b, s, token, "bench", job, func(j importJob) {
			if first == 0 && j.CodesCreated > 0 {
				first = time.Since(start)
			}
			if all == 0 && j.CodesCreated == benchRecipients {
				all = time.Since(start)
			}
		})
		if j.State != "done" || j.MailsSent != benchRecipients {
			b.Fatalf("import %s: %+v; want done with %d mails sent", job, j, benchRecipients)
		}
		firstCode, allCodes = firstCode+first, allCodes+all
	}
	b.ReportMetric(firstCode.Seconds()/float64(b.N), "s-first-code/op")
	b.ReportMetric(allCodes.Seconds()/float64(b.N), "s-codes/op")
}

// BenchmarkCreate measures creations of generated codes through the local stack's API, with
// DynamoDB Local's data in memory and on disk: the largest made inside the request
// (sync-1000: issue.MaxSyncQuantity codes, against API Gateway's 29 s), and SPEC 3.1's
// largest, 10,000 codes, which a generation job makes (job-10000: from the POST to the job
// done, followed as the console follows it; s-answer is how long the 202 took), beside the
// bare writes the job makes, made directly (bare-calls): the difference is what the
// functions add (the marker's S3 event, the lease, bookkeeping) and the rest is DynamoDB's.
// Run with
//
//	go run ./infra/cmd/withemulators -- go test -run '^$' -bench BenchmarkCreate -benchtime 3x ./infra/local/
func BenchmarkCreate(b *testing.B) {
	testenv.Endpoint(b, testenv.EnvDynamoDB)
	for _, st := range benchStorages(b) {
		b.Run(st.name, func(b *testing.B) {
			s, token := benchStack(b, st.dir)
			b.Run(fmt.Sprintf("sync-%d", issue.MaxSyncQuantity), func(b *testing.B) {
				st.logged(b)
				for i := 0; i < b.N; i++ {
					status, body := do(b, "POST", s.APIURL+"/sites/bench/promo-codes", token, createBody(issue.MaxSyncQuantity))
					var out struct{ Count int }
					if _ = json.Unmarshal([]byte(body), &out); status != 201 || out.Count != issue.MaxSyncQuantity {
						b.Fatalf("create: %d, %d codes: %.200s", status, out.Count, body)
					}
				}
			})
			b.Run(fmt.Sprintf("job-%d", promo.MaxQuantity), func(b *testing.B) {
				st.logged(b)
				var answer time.Duration
				for i := 0; i < b.N; i++ {
					start := time.Now()
					status, body := do(b, "POST", s.APIURL+"/sites/bench/promo-codes", token, createBody(promo.MaxQuantity))
					answer += time.Since(start)
					var out struct{ Job struct{ ID string } }
					if _ = json.Unmarshal([]byte(body), &out); status != 202 || out.Job.ID == "" {
						b.Fatalf("create: %d: %.200s", status, body)
					}
					if j := followJob(b, s, token, "bench", out.Job.ID, nil); j.State != "done" || j.CodesCreated != promo.MaxQuantity {
						b.Fatalf("job %s: %+v; want done with %d codes", out.Job.ID, j, promo.MaxQuantity)
					}
				}
				b.ReportMetric(answer.Seconds()/float64(b.N), "s-answer/op")
			})
			db, table := localaws.DynamoDB(s.DynamoURL), s.Tables["PromoCodesTable"]
			b.Run("bare-calls", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					bareGeneration(b, db, table, i)
				}
			})
		})
	}
}

// createBody is a creation of quantity generated codes.
func createBody(quantity int) string {
	return fmt.Sprintf(`{"service":"events","type":"generated","quantity":%d,"usage":{"kind":"once"},"discount":{"kind":"percent","percent":10},"expiresOn":"2034-01-01"}`, quantity)
}

// bareGeneration makes the writes a generation job of promo.MaxQuantity codes makes: the
// job's item, then transactions of 99 conditional code puts and the job's conditional count,
// one after the other, then the job's end with the audit entry.
func bareGeneration(b *testing.B, db *dynamodb.Client, table string, run int) {
	ctx := context.Background()
	site := fmt.Sprintf("bare-create-%d-%d", run, time.Now().UnixNano())
	now := time.Now().UTC()
	job := map[string]dbtypes.AttributeValue{
		"pk": &dbtypes.AttributeValueMemberS{Value: site}, "sk": &dbtypes.AttributeValueMemberS{Value: "job"},
		"codesCreated": &dbtypes.AttributeValueMemberN{Value: "0"}, "plan": &dbtypes.AttributeValueMemberS{Value: strings.Repeat("x", 300)},
	}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: job}); err != nil {
		b.Fatal(err)
	}
	jobKey := map[string]dbtypes.AttributeValue{"pk": job["pk"], "sk": job["sk"]}
	for made := 0; made < promo.MaxQuantity; {
		n := min(99, promo.MaxQuantity-made)
		items := []dbtypes.TransactWriteItem{{Update: &dbtypes.Update{
			TableName: aws.String(table), Key: jobKey, UpdateExpression: aws.String("ADD codesCreated :n"),
			ConditionExpression: aws.String("codesCreated = :made"),
			ExpressionAttributeValues: map[string]dbtypes.AttributeValue{
				":n": &dbtypes.AttributeValueMemberN{Value: strconv.Itoa(n)}, ":made": &dbtypes.AttributeValueMemberN{Value: strconv.Itoa(made)},
			},
		}}}
		for i := made; i < made+n; i++ {
			item, err := promodb.MarshalCode(promo.Code{
				Site: site, Code: fmt.Sprintf("BARE%08d", i), Service: "events", Usage: promo.Usage{Kind: promo.UsageOnce},
				Discount: promo.Discount{Kind: promo.DiscountPercent, PercentBasisPoints: 1000}, ExpiresOn: "2034-01-01",
				ExpiresAt: time.Date(2034, 1, 2, 0, 0, 0, 0, time.UTC), AppliesTo: promo.AppliesToAll, Stored: promo.StatusActive,
				CreatedAt: now, CreatedBy: "bench", JobID: "job",
			})
			if err != nil {
				b.Fatal(err)
			}
			items = append(items, dbtypes.TransactWriteItem{Put: &dbtypes.Put{TableName: aws.String(table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
		}
		if _, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items}); err != nil {
			b.Fatal(err)
		}
		made += n
	}
	// The job's end and the audit entry: an item about an entry's size stands in for it.
	if _, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dbtypes.TransactWriteItem{
		{Update: &dbtypes.Update{TableName: aws.String(table), Key: jobKey, UpdateExpression: aws.String("SET #s = :done"),
			ExpressionAttributeNames:  map[string]string{"#s": "state"},
			ExpressionAttributeValues: map[string]dbtypes.AttributeValue{":done": &dbtypes.AttributeValueMemberS{Value: "done"}}}},
		{Put: &dbtypes.Put{TableName: aws.String(table), Item: map[string]dbtypes.AttributeValue{
			"pk": job["pk"], "sk": &dbtypes.AttributeValueMemberS{Value: "audit"},
			"changes": &dbtypes.AttributeValueMemberS{Value: strings.Repeat("x", 200)},
		}}},
	}}); err != nil {
		b.Fatal(err)
	}
}

// bareCalls makes, for 1,000 recipients, the writes and sends an import makes: one
// transaction storing the recipients in 31 batches, 31 transactions of a batch's 33 codes,
// its 33 recipients, its mark and the job's count, one after the other, then per recipient a
// SendEmail and a 2-item transaction (recipient, job counter). It returns how long the
// writes before the mails took.
func bareCalls(b *testing.B, db *dynamodb.Client, mail *sesmail.Client, table string, run int) (codes time.Duration) {
	ctx := context.Background()
	began := time.Now()
	site, job := fmt.Sprintf("bare-%d-%d", run, time.Now().UnixNano()), "job"
	item := func(sk string, attrs ...string) map[string]dbtypes.AttributeValue {
		m := map[string]dbtypes.AttributeValue{"pk": &dbtypes.AttributeValueMemberS{Value: site}, "sk": &dbtypes.AttributeValueMemberS{Value: sk}}
		for i := 0; i+1 < len(attrs); i += 2 {
			m[attrs[i]] = &dbtypes.AttributeValueMemberS{Value: attrs[i+1]}
		}
		return m
	}
	key := func(sk string) map[string]dbtypes.AttributeValue { return item(sk) }
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	counter := func(n int) dbtypes.TransactWriteItem {
		return dbtypes.TransactWriteItem{Update: &dbtypes.Update{TableName: aws.String(table), Key: key("job#" + job),
			UpdateExpression: aws.String("ADD n :n"), ExpressionAttributeValues: map[string]dbtypes.AttributeValue{":n": &dbtypes.AttributeValueMemberN{Value: strconv.Itoa(n)}}}}
	}
	set := func(sk, attr, value string) dbtypes.TransactWriteItem {
		return dbtypes.TransactWriteItem{Update: &dbtypes.Update{TableName: aws.String(table), Key: key(sk),
			UpdateExpression: aws.String("SET #a = :v"), ExpressionAttributeNames: map[string]string{"#a": attr},
			ExpressionAttributeValues: map[string]dbtypes.AttributeValue{":v": &dbtypes.AttributeValueMemberS{Value: value}}}}
	}
	put := func(it map[string]dbtypes.AttributeValue) dbtypes.TransactWriteItem {
		return dbtypes.TransactWriteItem{Put: &dbtypes.Put{TableName: aws.String(table), Item: it}}
	}
	const batch = 33
	stored := []dbtypes.TransactWriteItem{counter(0)}
	for start := 0; start < benchRecipients; start += batch {
		stored = append(stored, put(item("job#b#"+strconv.Itoa(start), "recipients", strings.Repeat("x@y.example,Name;", batch))))
	}
	_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: stored})
	must(err)
	for start := 0; start < benchRecipients; start += batch {
		end := min(start+batch, benchRecipients)
		items := []dbtypes.TransactWriteItem{set("job#b#"+strconv.Itoa(start), "created", "yes"), counter(end - start)}
		for i := start; i < end; i++ {
			code := put(item("code#"+strconv.Itoa(i), "code", "X"))
			code.Put.ConditionExpression = aws.String("attribute_not_exists(pk)")
			items = append(items, code, put(item("job#r#"+strconv.Itoa(i), "email", "x@y.example", "mail", "pending")))
		}
		_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		must(err)
	}
	codes = time.Since(began)
	parallel(benchRecipients, func(i int) {
		_, err := mail.SendEmail(ctx, sesmail.Email{
			From: "bench@boxoffice.example", To: fmt.Sprintf("bare-%d@%s.example", i, site),
			Subject: "Your code", Body: "Hello, use CODE123 for 10% off.",
		})
		must(err)
		_, err = db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dbtypes.TransactWriteItem{
			set("job#r#"+strconv.Itoa(i), "mail", "sent"), counter(1),
		}})
		must(err)
	})
	return codes
}

func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < benchWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

func recipientsFile(domain string) []byte {
	var b bytes.Buffer
	for i := 1; i <= benchRecipients; i++ {
		fmt.Fprintf(&b, "person-%d@%s,Person %d\r\n", i, domain, i)
	}
	return b.Bytes()
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
