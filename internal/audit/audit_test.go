package audit

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

type page struct {
	Header string `json:"header"`
	Footer string `json:"footer"`
}

type conf struct {
	Name     string   `json:"name"`
	Page     page     `json:"paymentPage"`
	Cards    []string `json:"cards"`
	Password string   `json:"password"`
}

func TestDiff(t *testing.T) {
	before := conf{Name: "A", Page: page{Header: "h"}, Cards: []string{"visa"}, Password: "old"}
	after := conf{Name: "A", Page: page{Header: "h2", Footer: "f"}, Cards: []string{"visa", "amex"}, Password: "new-secret"}
	got := Diff(before, after, "password")
	want := []Change{
		{Field: "cards", Before: []any{"visa"}, After: []any{"visa", "amex"}},
		{Field: "password", Secret: true},
		{Field: "paymentPage.footer", Before: "", After: "f"},
		{Field: "paymentPage.header", Before: "h", After: "h2"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Diff =\n%#v\nwant\n%#v", got, want)
	}
	if len(Diff(before, before)) != 0 {
		t.Fatal("equal values must have no changes")
	}
	if d := Diff(nil, page{Header: "x"}); len(d) != 2 || d[1].Field != "header" || d[1].Before != nil {
		t.Fatalf("Diff from nil = %#v", d)
	}
}

func TestIDsSortByTimeAndAreUnique(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	ids := []string{NewID(t0.Add(time.Second)), NewID(t0), NewID(t0), NewID(t0.Add(-time.Hour))}
	if ids[1] == ids[2] {
		t.Fatal("same instant gave the same ID")
	}
	sorted := append([]string(nil), ids...)
	sort.Strings(sorted)
	if sorted[0] != ids[3] || sorted[3] != ids[0] {
		t.Fatalf("IDs do not sort by time: %v", sorted)
	}
}

func TestIsID(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 0, 0, 5, time.UTC)
	for i := 0; i < 20; i++ {
		if id := NewID(at); !IsID(id) {
			t.Fatalf("IsID(NewID) = false for %q", id)
		}
	}
	good := NewID(at)
	for _, bad := range []string{"", "x", good + "0", good[:len(good)-1], strings.ToUpper(good), strings.Replace(good, "T", "t", 1),
		strings.Replace(good, "-", "_", 1), strings.Repeat("1", 1100), "../" + good[3:]} {
		if IsID(bad) {
			t.Errorf("IsID(%q) = true", bad)
		}
	}
}

func TestDerivedID(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 0, 0, 5, time.UTC)
	a, b := DerivedID(at, "request-1/job"), DerivedID(at, "request-1/job")
	if a != b || !IsID(a) || !strings.HasPrefix(a, NewID(at)[:len(idStamp)]) {
		t.Fatalf("DerivedID = %q, %q: want the same ID of NewID's shape", a, b)
	}
	if DerivedID(at, "request-2/job") == a || DerivedID(at.Add(time.Nanosecond), "request-1/job") == a {
		t.Fatal("another seed or time gave the same ID")
	}
}
