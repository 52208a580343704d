package reportdb_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/report"
)

func decodeCursorJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	payload, _, _ := strings.Cut(s, ".")
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// encodeCursorJSON encodes a cursor signed with key, as the store signs them.
func encodeCursorJSON(m map[string]any, key []byte) string {
	raw, _ := json.Marshal(m)
	payload := base64.RawURLEncoding.EncodeToString(raw)
	h := hmac.New(sha256.New, key)
	h.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

// TestReportCursorRefused: a cursor of another query, or one that was tampered with, is a
// 400 on the cursor parameter, never a 500 and never misapplied; the store says which of
// its two refusals it is.
func TestReportCursorRefused(t *testing.T) {
	db, table := codesTable(t)
	codes := reportFixture()
	putCodes(t, db, table, codes, 4)
	rep, store := reportOver(t, db, table)
	ctx := context.Background()
	active := report.Filter{Status: promo.StatusActive, CreatedFrom: day("2026-05-02"), At: reportNow}
	first, err := rep.Page(ctx, "demo", active, "", 2)
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	// The cursor works for the same query, whatever the limit and the instant.
	later := active
	later.At = reportNow.Add(time.Minute)
	if _, err := rep.Page(ctx, "demo", later, first.Next, 5); err != nil {
		t.Fatalf("same query: %v", err)
	}
	if err := store.CheckCursor("demo", active, first.Next); err != nil {
		t.Fatalf("CheckCursor: %v", err)
	}

	tamper := func(change func(k map[string]any)) string {
		// Signed with the store's own key, so that what follows the signature is tried.
		m := decodeCursorJSON(t, first.Next)
		change(m["k"].(map[string]any))
		return encodeCursorJSON(m, testCursorKey)
	}
	cases := []struct {
		name   string
		site   string
		f      report.Filter
		cursor string
	}{
		{"another status", "demo", report.Filter{Status: promo.StatusExpired, CreatedFrom: day("2026-05-02"), At: reportNow}, first.Next},
		{"another created range", "demo", report.Filter{Status: promo.StatusActive, CreatedFrom: day("2026-05-03"), At: reportNow}, first.Next},
		{"no filters", "demo", report.Filter{At: reportNow}, first.Next},
		{"another site", "other", active, first.Next},
		{"not base64", "demo", active, "!!!"},
		{"not JSON", "demo", active, encodeRaw([]byte("nope"))},
		{"empty JSON", "demo", active, encodeRaw([]byte("{}"))},
		{"one bit flipped", "demo", active, flip(first.Next)},
		{"too long", "demo", active, strings.Repeat("A", 5000)},
		{"key of another site", "demo", active, tamper(func(k map[string]any) { k["pk"] = "other" })},
		{"edited, unsigned", "demo", active, unsigned(t, first.Next, func(k map[string]any) { k["createdKey"] = "2026-05-09T00:00:00.000000000Z#Z" })},
		{"edited, signed with another key", "demo", active, encodeCursorJSON(decodeCursorJSON(t, first.Next), []byte("not the store's key, but 32 bytes long"))},
		{"without its signature", "demo", active, strings.SplitN(first.Next, ".", 2)[0]},
		{"key out of the created range", "demo", active, tamper(func(k map[string]any) { k["createdKey"] = "2026-04-01T00:00:00.000000000Z#X" })},
		{"key of another status", "demo", active, tamper(func(k map[string]any) { k["statusKey"] = "demo#deleted" })},
		{"key not of a code", "demo", active, tamper(func(k map[string]any) { k["sk"] = "job#1" })},
		{"key missing an attribute", "demo", active, tamper(func(k map[string]any) { delete(k, "sk") })},
		{"key with another attribute", "demo", active, tamper(func(k map[string]any) { k["site"] = "demo" })},
		{"key attribute not a string", "demo", active, tamper(func(k map[string]any) { k["sk"] = 7 })},
		{"key attribute empty", "demo", active, tamper(func(k map[string]any) { k["sk"] = "" })},
		{"key attribute too long", "demo", active, tamper(func(k map[string]any) { k["sk"] = "code#" + strings.Repeat("A", 1100) })},
	}
	// The store's refusal says which: a cursor of another site or other filters, or no cursor
	// at all. A flipped bit may land in either part, and a cursor without its query's identity
	// ("{}") names no query, which reads as another one.
	refusal := func(name string) error {
		switch name {
		case "another status", "another created range", "no filters", "another site":
			return report.ErrForeignCursor
		case "one bit flipped", "empty JSON":
			return nil
		}
		return report.ErrBadCursor
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rep.Page(ctx, tc.site, tc.f, tc.cursor, 10)
			e := apperr.As(err)
			if err == nil || e.Code != apperr.CodeInvalid || len(e.Details) != 1 || e.Details[0].Field != "cursor" {
				t.Fatalf("got %v, want invalid_input on cursor", err)
			}
			err = store.CheckCursor(tc.site, tc.f, tc.cursor)
			if err == nil {
				t.Fatal("CheckCursor accepted it")
			}
			if want := refusal(tc.name); want != nil && !errors.Is(err, want) {
				t.Fatalf("CheckCursor: %v, want %v", err, want)
			}
			if !errors.Is(err, report.ErrForeignCursor) && !errors.Is(err, report.ErrBadCursor) {
				t.Fatalf("CheckCursor: %v is no refusal of a cursor", err)
			}
		})
	}
}

// encodeRaw signs raw bytes as a cursor, with the store's key.
func encodeRaw(raw []byte) string {
	payload := base64.RawURLEncoding.EncodeToString(raw)
	h := hmac.New(sha256.New, testCursorKey)
	h.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

// unsigned edits a cursor and keeps its old signature, as someone who cannot sign would.
func unsigned(t *testing.T, cursor string, change func(k map[string]any)) string {
	m := decodeCursorJSON(t, cursor)
	change(m["k"].(map[string]any))
	raw, _ := json.Marshal(m)
	_, sig, _ := strings.Cut(cursor, ".")
	return base64.RawURLEncoding.EncodeToString(raw) + "." + sig
}

func flip(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}
