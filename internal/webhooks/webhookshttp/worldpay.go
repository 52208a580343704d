package webhookshttp

import (
	"fmt"
	"html"
	"io"
	"net/http"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/webhooks"
)

// maxWorldPayBody bounds a payment response: a few dozen short fields.
const maxWorldPayBody = 64 << 10

// receiveWorldPay answers WorldPay with the page it shows the buyer (text/html): a link
// back to the platform for an accepted response (also a duplicate or a note), a plain page
// without one for a refused or unknown one; 400 for a body that is no payment response,
// 503 when it could not be checked or recorded now.
func receiveWorldPay(wh *webhooks.Webhooks) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		site, body, err := posted(r, maxWorldPayBody, "the payment response")
		if err != nil {
			return err
		}
		a, err := wh.ReceiveWorldPay(r.Context(), site, body)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		return pageOf(a).render(w)
	}
}

type page struct {
	Title, Text, Link, LinkText string
}

func pageOf(a webhooks.WorldPayAnswer) page {
	switch {
	case a.Link == "" || a.Outcome == checkout.NoticeRefused:
		return page{Title: "Payment not recorded", Text: "This payment response was not accepted."}
	case a.Status == "C":
		return page{Title: "Payment cancelled", Text: "Your payment was cancelled.", Link: a.Link, LinkText: "Back to the shop"}
	}
	return page{Title: "Thank you", Text: "Your payment was received.", Link: a.Link, LinkText: "Continue"}
}

// render writes the page, every text escaped (the link is the order's own URL).
func (p page) render(w io.Writer) error {
	link := ""
	if p.Link != "" {
		link = fmt.Sprintf(`<p><a href="%s">%s</a></p>`, html.EscapeString(p.Link), html.EscapeString(p.LinkText))
	}
	title := html.EscapeString(p.Title)
	_, err := fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n<body><h1>%s</h1><p>%s</p>%s</body></html>\n",
		title, title, html.EscapeString(p.Text), link)
	return err
}
