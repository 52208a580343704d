package local

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
)

// benchRecipients is the file size the benchmarks measure: SPEC 3.2's maximum.
const benchRecipients = 1000

// benchWorkers is how many writes or sends the bare benchmark runs at once: what the import
// itself uses at the benchmark's send rate.
const benchWorkers = 16

// BenchmarkImport measures a 1,000-recipient file from upload to the last e-mail through the
// whole local stack (presigned PUT → local S3 event → promo-import → DynamoDB Local and the
// SES emulator), beside the bare calls the import makes for the same file, made directly
// with the same concurrency. The difference is what the import adds: validation, leases,
// conditional transactions, rate limiting and bookkeeping. Run with
//
//	go run ./infra/cmd/withemulators -- go test -run '^$' -bench BenchmarkImport -benchtime 3x ./infra/local/
func BenchmarkImport(b *testing.B) {
	testenv.Endpoint(b, testenv.EnvDynamoDB)
	root, err := RepoRoot()
	if err != nil {
		b.Fatal(err)
	}
	// A rate well above the 1,000 mails, so the benchmark measures the work, not the limit.
	s, err := Start(context.Background(), Options{Root: root, StateDir: b.TempDir(), SESRate: "1000", Log: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	token, _ := s.Signer.Mint("bench", "", []string{"bench"}, time.Hour)
	if status, body := do(b, "PATCH", s.APIURL+"/sites/bench/settings/events", token, `{"enabled":true,"promoCodesEnabled":true,"merchantName":"Bench"}`); status != 200 {
		b.Fatalf("settings: %d %s", status, body)
	}

	b.Run("upload-to-last-mail", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			file := recipientsFile(fmt.Sprintf("run%d-%d.example", i, time.Now().UnixNano()))
			status, body := do(b, "POST", s.APIURL+"/sites/bench/promo-codes/imports", token,
				`{"service":"events","usage":{"kind":"once"},"discount":{"kind":"percent","percent":10},"expiresOn":"2034-01-01"}`)
			if status != 201 {
				b.Fatalf("create import: %d %s", status, body)
			}
			var out struct {
				Job    struct{ ID string }
				Upload struct{ URL string }
			}
			_ = json.Unmarshal([]byte(body), &out)
			b.StartTimer()
			if status, body := do(b, "PUT", out.Upload.URL, "", string(file)); status != 200 {
				b.Fatalf("upload: %d %s", status, body)
			}
			for {
				_, body := do(b, "GET", s.APIURL+"/sites/bench/promo-codes/imports/"+out.Job.ID, token, "")
				var j struct {
					State     string
					MailsSent int
				}
				_ = json.Unmarshal([]byte(body), &j)
				if j.State == "failed" {
					b.Fatalf("import failed: %s", body)
				}
				if j.State == "done" {
					if j.MailsSent != benchRecipients {
						b.Fatalf("sent %d", j.MailsSent)
					}
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
	})

	db := localaws.DynamoDB(s.DynamoURL)
	mail, err := localaws.SES(s.SESURL)
	if err != nil {
		b.Fatal(err)
	}
	table := s.Tables["PromoCodesTable"]
	b.Run("bare-calls", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bareCalls(b, db, mail, table, i)
		}
	})
}

// bareCalls makes, for 1,000 recipients, the writes and sends an import makes: the
// recipients in 40 BatchWriteItem calls, then per recipient a 3-item transaction (code,
// recipient, job counter), a SendEmail and a 2-item transaction (recipient, job counter).
func bareCalls(b *testing.B, db *dynamodb.Client, mail *sesmail.Client, table string, run int) {
	ctx := context.Background()
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
	for start := 0; start < benchRecipients; start += 25 {
		var reqs []dbtypes.WriteRequest
		for i := start; i < start+25; i++ {
			reqs = append(reqs, dbtypes.WriteRequest{PutRequest: &dbtypes.PutRequest{Item: item("job#r#"+strconv.Itoa(i), "email", "x@y.example", "mail", "pending")}})
		}
		_, err := db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]dbtypes.WriteRequest{table: reqs}})
		must(err)
	}
	counter := func() dbtypes.TransactWriteItem {
		return dbtypes.TransactWriteItem{Update: &dbtypes.Update{TableName: aws.String(table), Key: key("job#" + job),
			UpdateExpression: aws.String("ADD n :one"), ExpressionAttributeValues: map[string]dbtypes.AttributeValue{":one": &dbtypes.AttributeValueMemberN{Value: "1"}}}}
	}
	mark := func(i int) dbtypes.TransactWriteItem {
		return dbtypes.TransactWriteItem{Update: &dbtypes.Update{TableName: aws.String(table), Key: key("job#r#" + strconv.Itoa(i)),
			UpdateExpression: aws.String("SET mail = :m"), ExpressionAttributeValues: map[string]dbtypes.AttributeValue{":m": &dbtypes.AttributeValueMemberS{Value: "sent"}}}}
	}
	parallel(benchRecipients, func(i int) {
		_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dbtypes.TransactWriteItem{
			{Put: &dbtypes.Put{TableName: aws.String(table), Item: item("code#"+strconv.Itoa(i), "code", "X"), ConditionExpression: aws.String("attribute_not_exists(pk)")}},
			mark(i), counter(),
		}})
		must(err)
	})
	parallel(benchRecipients, func(i int) {
		_, err := mail.SendEmail(ctx, sesmail.Email{
			From: "bench@boxoffice.example", To: fmt.Sprintf("bare-%d@%s.example", i, site),
			Subject: "Your code", Body: "Hello, use CODE123 for 10% off.",
		})
		must(err)
		_, err = db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []dbtypes.TransactWriteItem{mark(i), counter()}})
		must(err)
	})
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
