package setuphttp

import (
	htmltemplate "html/template"
	"strings"
	"testing"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
)

// The page was an html/template until the providers binary dropped that package; what
// html/template made of it stays the reference for what the page shows and escapes.
var grantedTemplate = htmltemplate.Must(htmltemplate.New("granted").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Permission granted</title></head>
<body><h1>PayPal permission granted</h1>
<p>Boxoffice may now take Express Checkout payments for site <strong>{{.Site}}</strong> ({{.Service}}, {{.Env}}).
You can close this window.</p></body></html>`))

func TestGrantedPageEscapesAsHTMLTemplateDid(t *testing.T) {
	for _, st := range []setup.GrantState{
		{Site: "acme", Service: "events", Env: provider.Sandbox},
		{Site: "acme.shop_2-b", Service: "training", Env: provider.Live},
		{Site: `<script>alert("x")</script>`, Service: `"><img src=x onerror=alert(1)>`, Env: provider.Env(`' & '`)},
		{Site: "{service}", Service: "{env}", Env: provider.Env("{site}")}, // a value is never expanded again
		{Site: "&amp;", Service: "</strong></p>", Env: ""},
	} {
		var want strings.Builder
		if err := grantedTemplate.Execute(&want, st); err != nil {
			t.Fatal(err)
		}
		got := grantedPage(st)
		if got != want.String() {
			t.Errorf("%+v:\n got %s\nwant %s", st, got, want.String())
		}
		for _, c := range []string{"<", ">", `"`, "'"} {
			if strings.Count(got, c) != strings.Count(grantedPageHTML, c) {
				t.Errorf("%+v: a value put a raw %s into the page: %s", st, c, got)
			}
		}
	}
}
