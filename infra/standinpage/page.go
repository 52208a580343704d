// Package standinpage is the HTML the local provider stand-ins show a buyer: the page that
// approves, declines or cancels a payment, the page that posts the browser on to a URL as
// the providers do, a plain message page; ReadForm, which reads such a page back the
// way a browser would, for tests that drive the stand-ins with net/http; and the Outbox
// (outbox.go) of what a stand-in sends the app on its own, to list and resend.
package standinpage

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"sync"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
)

// The choices a Decision page offers, sent as the field "decision".
const (
	Approve = "approve"
	Decline = "decline"
	Cancel  = "cancel"
)

// Decision is a provider's payment page.
type Decision struct {
	Provider string // "Payflow", "PayPal", "WorldPay"
	Title    string
	Lines    [][2]string // what is paid for: label, value
	Action   string      // where the choice is posted
	Hidden   []paymentpage.Field
}

var pages = template.Must(template.New("decision").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Provider}} (local stand-in): {{.Title}}</title></head>
<body>
<h1>{{.Title}}</h1>
<p><em>{{.Provider}} local stand-in: no card is asked for and no money moves.</em></p>
<dl>{{range .Lines}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
<form method="post" action="{{.Action}}">
{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="decline">Decline</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form>
</body></html>
{{define "autopost"}}<!doctype html>
<html><head><meta charset="utf-8"><title>Returning to the merchant</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="{{.Action}}">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<noscript><button type="submit">Continue</button></noscript>
</form>
</body></html>
{{end}}{{define "message"}}<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>
{{end}}`))

// Render writes the page.
func (d Decision) Render(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pages.Execute(w, d)
}

// AutoPost writes a page that posts fields to action as soon as it loads: how Payflow and
// WorldPay send the browser on with a result.
func AutoPost(w http.ResponseWriter, action string, fields []paymentpage.Field) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pages.ExecuteTemplate(w, "autopost", map[string]any{"Action": template.URL(action), "Fields": fields})
}

// Message writes a page with a title and a line of text.
func Message(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pages.ExecuteTemplate(w, "message", map[string]string{"Title": title, "Text": text})
}

var (
	formTag  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`<form method="post" action="([^"]*)">`) })
	inputTag = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
	})
)

// ReadForm reads the form of a page this package wrote: its action and hidden fields.
func ReadForm(page string) (action string, fields url.Values, err error) {
	m := formTag().FindStringSubmatch(page)
	if m == nil {
		return "", nil, fmt.Errorf("the page has no form")
	}
	fields = url.Values{}
	for _, in := range inputTag().FindAllStringSubmatch(page, -1) {
		fields.Add(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
	}
	return html.UnescapeString(m[1]), fields, nil
}
