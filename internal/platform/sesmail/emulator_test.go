package sesmail_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/infra/localaws"
	"github.com/boxofficehq/boxoffice/infra/testenv"
	"github.com/boxofficehq/boxoffice/internal/platform/sesmail"
)

// storedEmail is one mail in the SES emulator's `GET /store` answer:
// {"templates": {...}, "emails": [{"messageId", "from", "replyTo", "destination": {"to",
// "cc", "bcc"}, "subject", "body": {"text", "html"}, "attachments", "at"}]}.
type storedEmail struct {
	MessageID   string `json:"messageId"`
	From        string `json:"from"`
	Destination struct {
		To []string `json:"to"`
	} `json:"destination"`
	Subject string `json:"subject"`
	Body    struct {
		Text string `json:"text"`
		HTML string `json:"html"`
	} `json:"body"`
}

// TestSendThroughEmulator sends real SendEmail requests to the SES emulator and reads them
// back from its store. Other tests share the emulator, so the store is not cleared: this
// test only looks at recipients unique to it.
func TestSendThroughEmulator(t *testing.T) {
	ep := testenv.Endpoint(t, testenv.EnvSES)
	client, err := localaws.SES(ep)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sesmail.NewSender(client, sesmail.Options{From: "Teatro Azul <promo@teatro.example>", RatePerSecond: 50})
	if err != nil {
		t.Fatal(err)
	}
	tag := randomHex(t)
	mails := []struct{ to, subject, body string }{
		{"zoe-" + tag + "@example.com", "Your code, Zoë Ørsted", "Hello Zoë Ørsted,\n\nyour code is SPRING-7F3K: 20% off, until 2026-06-30.\n"},
		{"ana-" + tag + "@example.com", "Your code, Ana", "Hello Ana,\nyour code is SPRING-9QX2."},
	}
	// A bound for a hung emulator only: two sends take milliseconds, also on a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ids := map[string]string{}
	for _, m := range mails {
		id, err := s.Send(ctx, m.to, m.subject, m.body)
		if err != nil {
			t.Fatalf("Send to %s: %v", m.to, err)
		}
		if id == "" {
			t.Fatalf("Send to %s returned an empty message ID", m.to)
		}
		ids[m.to] = id
	}

	stored := readStore(t, ep)
	for _, m := range mails {
		var found []storedEmail
		for _, e := range stored {
			if slices.Contains(e.Destination.To, m.to) {
				found = append(found, e)
			}
		}
		if len(found) != 1 {
			t.Fatalf("store has %d mails to %s, want 1", len(found), m.to)
		}
		e := found[0]
		if !slices.Equal(e.Destination.To, []string{m.to}) {
			t.Errorf("to = %v, want [%s]", e.Destination.To, m.to)
		}
		if e.MessageID != ids[m.to] {
			t.Errorf("stored message ID %q, Send returned %q", e.MessageID, ids[m.to])
		}
		if e.Subject != m.subject {
			t.Errorf("subject = %q, want %q", e.Subject, m.subject)
		}
		if e.Body.Text != m.body || e.Body.HTML != "" {
			t.Errorf("body = %q (html %q), want text %q", e.Body.Text, e.Body.HTML, m.body)
		}
		if !strings.Contains(e.From, "Teatro Azul") || !strings.Contains(e.From, "<promo@teatro.example>") {
			t.Errorf("from = %q", e.From)
		}
	}
}

func readStore(t *testing.T, ep string) []storedEmail {
	t.Helper()
	resp, err := http.Get(strings.TrimSuffix(ep, "/") + "/store")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /store: %s", resp.Status)
	}
	var store struct {
		Emails []storedEmail `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&store); err != nil {
		t.Fatalf("decode /store: %v", err)
	}
	return store.Emails
}

func randomHex(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
