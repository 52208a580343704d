package payflow

// The Silent Posts the stand-in sends, as Payflow does: the transaction's result fields,
// posted server to server to the token's SILENTPOSTURL when a transaction succeeds (the
// guide: "whenever a transaction succeeds", as the receipt page is shown), before the
// browser is sent on. Each is kept in an outbox, to be listed and sent again (duplicates):
//
//	GET  /_standin/silent-posts               what was posted (JSON)
//	POST /_standin/silent-posts/{id}/resend   post one again (the id is the PNREF)

import (
	"context"
	"net/http"
	"net/url"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
)

// SilentPostSent is one Silent Post the stand-in posted, and each delivery's answer. Its ID
// is the transaction's PNREF; its Body the form, fields in Payflow's order.
type SilentPostSent = standinpage.Sent

// KindSilentPost is the Kind of every SilentPostSent.
const KindSilentPost = "silent-post"

// silentPostsPath is where the outbox's API is served.
const silentPostsPath = "/_standin/silent-posts"

// newOutbox keeps the Silent Posts; a delivery goes to the SilentPost hook when one is set.
func (s *Server) newOutbox() *standinpage.Outbox {
	return standinpage.NewOutbox(standinpage.OutboxConfig{Name: "payflow stand-in", Client: standinpage.HookedClient(s.client, &s.SilentPost)})
}

// silentPost posts the transaction pnref's fields to target. Payflow goes on whatever the
// answer (Force Silent Post Confirmation, which would void the transaction, is not played).
func (s *Server) silentPost(ctx context.Context, target, pnref string, fields []paymentpage.Field) {
	form := make([]byte, 0, 256)
	for i, f := range fields {
		if i > 0 {
			form = append(form, '&')
		}
		form = append(form, url.QueryEscape(f.Name)+"="+url.QueryEscape(f.Value)...)
	}
	_, _, _ = s.outbox.Send(ctx, SilentPostSent{ID: pnref, Kind: KindSilentPost, URL: target,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: form})
}

// SilentPosts lists the Silent Posts posted, oldest first.
func (s *Server) SilentPosts() []SilentPostSent { return s.outbox.List() }

// ResendSilentPost posts the Silent Post of transaction pnref again, byte for byte; it
// returns it with its deliveries.
func (s *Server) ResendSilentPost(ctx context.Context, pnref string) (SilentPostSent, error) {
	m, _, err := s.outbox.Resend(ctx, pnref)
	return m, err
}
