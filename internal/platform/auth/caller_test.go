package auth

import (
	"context"
	"slices"
	"testing"
)

func TestParseList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"[acme globex]", []string{"acme", "globex"}},
		{"[acme]", []string{"acme"}},
		{`["acme","globex"]`, []string{"acme", "globex"}},
		{"acme globex", []string{"acme", "globex"}},
		{"acme,globex", []string{"acme", "globex"}},
		{"[]", nil},
	}
	for _, tt := range tests {
		got := ParseList(tt.in)
		if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("ParseList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFlattenRoundTrip(t *testing.T) {
	in := []string{"acme", "globex"}
	if got := ParseList(FlattenList(in)); !slices.Equal(got, in) {
		t.Fatalf("round trip = %q", got)
	}
}

func TestFromClaims(t *testing.T) {
	if _, ok := FromClaims(map[string]string{ClaimSites: "[acme]"}); ok {
		t.Fatal("claims without subject must not authenticate")
	}
	c, ok := FromClaims(map[string]string{ClaimSubject: "u1", ClaimEmail: "a@b.c", ClaimSites: "[acme]"})
	if !ok || !c.Holds("acme") || c.Holds("globex") || c.Holds("") {
		t.Fatalf("caller = %+v ok=%v", c, ok)
	}
	if c.Actor() != "u1 <a@b.c>" {
		t.Fatalf("actor = %q", c.Actor())
	}
	ctx := WithCaller(context.Background(), c)
	if got, ok := CallerFrom(ctx); !ok || got.Subject != "u1" {
		t.Fatalf("CallerFrom = %+v %v", got, ok)
	}
}
