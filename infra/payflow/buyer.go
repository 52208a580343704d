package payflow

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/boxofficehq/boxoffice/infra/standinpage"
)

// Buy plays the buyer on the hosted page at page: it posts the token's form there as the
// browser does, presses decision (standinpage.Approve, Decline or Cancel), and returns
// where the page posts the browser on and the fields it posts (those of the Silent Post).
func Buy(hc *http.Client, page string, token url.Values, decision string) (target string, fields url.Values, err error) {
	shown, err := postPage(hc, page, token)
	if err != nil {
		return "", nil, err
	}
	action, form, err := standinpage.ReadForm(shown)
	if err != nil {
		return "", nil, fmt.Errorf("the hosted page: %w", err)
	}
	to, err := url.Parse(page)
	if err != nil {
		return "", nil, err
	}
	decide, err := to.Parse(action)
	if err != nil {
		return "", nil, err
	}
	form.Set("decision", decision)
	back, err := postPage(hc, decide.String(), form)
	if err != nil {
		return "", nil, err
	}
	return standinpage.ReadForm(back)
}

func postPage(hc *http.Client, to string, form url.Values) (string, error) {
	resp, err := hc.PostForm(to, form)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		return "", fmt.Errorf("POST %s: %d %s", to, resp.StatusCode, b)
	}
	return string(b), nil
}
