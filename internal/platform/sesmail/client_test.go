package sesmail_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/platform/awsrequest/awsrequesttest"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
)

var keys = aws.Credentials{AccessKeyID: "AKIDLOCAL", SecretAccessKey: "local-secret"}

// sesServer records the forms it is sent (after checking their signature) and answers
// each with answer(n), n counting from 1.
type sesServer struct {
	mu     sync.Mutex
	forms  []url.Values
	answer func(n int, w http.ResponseWriter)
}

func newSESServer(t *testing.T, answer func(n int, w http.ResponseWriter)) (*sesServer, string) {
	t.Helper()
	s := &sesServer{answer: answer}
	srv := httptest.NewServer(awsrequesttest.Verifier{Credentials: keys}.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/" || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			http.Error(w, "want a form POST to /", http.StatusBadRequest)
			return
		}
		b, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(b))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.forms = append(s.forms, form)
		n := len(s.forms)
		s.mu.Unlock()
		s.answer(n, w)
	})))
	t.Cleanup(srv.Close)
	return s, srv.URL
}

func sent(w http.ResponseWriter, id string) {
	io.WriteString(w, `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>`+id+
		`</MessageId></SendEmailResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></SendEmailResponse>`)
}

func refused(w http.ResponseWriter, code, message string) {
	w.Header().Set("X-Amzn-RequestId", "req-0123456789")
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>`+code+
		`</Code><Message>`+message+`</Message></Error><RequestId>req-0123456789</RequestId></ErrorResponse>`)
}

func config() aws.Config {
	return aws.Config{Region: "eu-west-1", Credentials: credentials.StaticCredentialsProvider{Value: keys}}
}

func client(t *testing.T, endpoint string) *sesmail.Client {
	t.Helper()
	c, err := sesmail.NewClient(config(), sesmail.ClientOptions{Endpoint: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The Client sends what the SDK's SES client sends for the same message: one recipient, a
// plain-text body and the subject, both in UTF-8, and nothing else (no CC, BCC or HTML).
func TestClientSendsOnePlainTextUTF8Message(t *testing.T) {
	srv, endpoint := newSESServer(t, func(n int, w http.ResponseWriter) { sent(w, "msg-1") })
	email := sesmail.Email{From: `"Teatro Azul" <promo@teatro.example>`, To: "zoe@example.com", Subject: "Für Zoë & co", Body: "Hallo Zoë\nCode: X1 = 20%+"}
	id, err := client(t, endpoint).SendEmail(context.Background(), email)
	if err != nil || id != "msg-1" {
		t.Fatalf("SendEmail = %q, %v", id, err)
	}
	sdk := ses.NewFromConfig(config(), func(o *ses.Options) { o.BaseEndpoint = aws.String(endpoint) })
	if _, err := sdk.SendEmail(context.Background(), &ses.SendEmailInput{
		Source:      aws.String(email.From),
		Destination: &types.Destination{ToAddresses: []string{email.To}},
		Message: &types.Message{
			Subject: &types.Content{Data: aws.String(email.Subject), Charset: aws.String("UTF-8")},
			Body:    &types.Body{Text: &types.Content{Data: aws.String(email.Body), Charset: aws.String("UTF-8")}},
		},
	}); err != nil {
		t.Fatal(err)
	}
	mine, theirs := srv.forms[0], srv.forms[1]
	want := url.Values{
		"Action": {"SendEmail"}, "Version": {"2010-12-01"}, "Source": {email.From},
		"Destination.ToAddresses.member.1": {"zoe@example.com"},
		"Message.Subject.Data":             {email.Subject}, "Message.Subject.Charset": {"UTF-8"},
		"Message.Body.Text.Data": {email.Body}, "Message.Body.Text.Charset": {"UTF-8"},
	}
	if mine.Encode() != want.Encode() {
		t.Errorf("form\n%v\nwant\n%v", mine, want)
	}
	if mine.Encode() != theirs.Encode() {
		t.Errorf("form\n%v\nthe SDK's\n%v", mine, theirs)
	}
}

// SES's refusals reach the Sender as the SDK's did: throttling is retried, a rejected
// message is permanent, with SES's message and without its request ID.
func TestClientRefusalsAsTheSenderSeesThem(t *testing.T) {
	srv, endpoint := newSESServer(t, func(n int, w http.ResponseWriter) {
		switch n {
		case 1:
			refused(w, "Throttling", "Maximum sending rate exceeded.")
		case 2:
			sent(w, "msg-2")
		default:
			refused(w, "MessageRejected", "Email address is not verified.")
		}
	})
	s, err := sesmail.NewSender(client(t, endpoint), sesmail.Options{From: "promo@teatro.example", RatePerSecond: 1000, BaseBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Send(context.Background(), "zoe@example.com", "s", "b")
	if err != nil || id != "msg-2" || len(srv.forms) != 2 {
		t.Fatalf("Send = %q, %v after %d calls: want the throttled send retried", id, err, len(srv.forms))
	}
	_, err = s.Send(context.Background(), "zoe@example.com", "s", "b")
	var perm *sesmail.PermanentError
	if !errors.As(err, &perm) || perm.Reason != "rejected by SES: Email address is not verified." {
		t.Fatalf("err = %v, want permanent: rejected by SES", err)
	}
	if len(srv.forms) != 3 {
		t.Errorf("%d calls: a rejected message must not be sent again", len(srv.forms))
	}
}

// The SES emulator's own refusal (a message without a body) is JSON that names no error:
// the Sender reports it by its status, as it did the SDK's unreadable answer.
func TestEmulatorRefusalIsPermanent(t *testing.T) {
	c, err := localaws.SES(testenv.Endpoint(t, testenv.EnvSES))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sesmail.NewSender(withoutBody{c}, sesmail.Options{From: "promo@teatro.example", RatePerSecond: 50})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Send(context.Background(), "zoe-"+randomHex(t)+"@example.com", "s", "b")
	var perm *sesmail.PermanentError
	if !errors.As(err, &perm) || perm.Reason != "rejected by SES (HTTP 400)" {
		t.Fatalf("err = %v, want permanent, HTTP 400", err)
	}
	if !strings.Contains(errors.Unwrap(perm).Error(), "400") {
		t.Errorf("the cause %v does not keep the status", errors.Unwrap(perm))
	}
}

// withoutBody drops the body of every message, which the emulator refuses.
type withoutBody struct{ c *sesmail.Client }

func (w withoutBody) SendEmail(ctx context.Context, e sesmail.Email) (string, error) {
	e.Body = ""
	return w.c.SendEmail(ctx, e)
}
