package webhookshttp

import (
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/webhooks"
)

// The page WorldPay shows the buyer: escaped, with the link only for an accepted response.
func TestWorldPayPage(t *testing.T) {
	var b strings.Builder
	a := webhooks.WorldPayAnswer{Result: webhooks.Result{Outcome: checkout.NoticeApplied, State: checkout.StateAuthorised}, Status: "Y",
		Link: `https://platform.example/done?x="><script>&order=BO-1`}
	if err := pageOf(a).render(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.Contains(got, "Thank you") || strings.Contains(got, "<script>") || !strings.Contains(got, `href="https://platform.example/done?x=&#34;&gt;&lt;script&gt;&amp;order=BO-1"`) {
		t.Errorf("page %s", got)
	}
	b.Reset()
	a.Outcome, a.Link = checkout.NoticeRefused, ""
	if err := pageOf(a).render(&b); err != nil || strings.Contains(b.String(), "href") || !strings.Contains(b.String(), "not accepted") {
		t.Errorf("refused page %s, %v", b.String(), err)
	}
	b.Reset()
	a.Outcome, a.State, a.Status, a.Link = checkout.NoticeDuplicate, checkout.StateCancelled, "C", "https://platform.example/cancel?order=BO-1"
	if err := pageOf(a).render(&b); err != nil || !strings.Contains(b.String(), "cancelled") || !strings.Contains(b.String(), "cancel?order=BO-1") {
		t.Errorf("cancel page %s, %v", b.String(), err)
	}
}
