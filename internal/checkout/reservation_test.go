package checkout_test

import (
	"testing"
	"time"

	"github.com/boxofficehq/boxoffice/internal/checkout"
)

func TestParseReservation(t *testing.T) {
	for in, want := range map[string]time.Duration{"1": time.Minute, "30": 30 * time.Minute, "1440": 24 * time.Hour} {
		if got, err := checkout.ParseReservation(in); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-5", "1441", "30m", " 30", "1e3"} {
		if got, err := checkout.ParseReservation(in); err == nil {
			t.Errorf("%q: %v, want an error", in, got)
		}
	}
}
