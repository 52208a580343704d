// Package paymentpage is what the three payment provider clients (Payflow, Express Checkout,
// WorldPay) share: where a buyer is sent to pay, amounts as the providers write them, how a
// provider call fails, and the one way they post to a provider.
package paymentpage

import "net/http"

// Redirect is where the buyer's browser goes to pay: either a plain link (GET of URL, no
// fields) or a form the browser posts (POST to URL with Fields, in order).
type Redirect struct {
	Method string  `json:"method"`
	URL    string  `json:"url"`
	Fields []Field `json:"fields,omitempty"`
}

// Field is one form field of a Redirect.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Link is a Redirect the browser follows as a plain link.
func Link(url string) Redirect { return Redirect{Method: http.MethodGet, URL: url} }

// Form is a Redirect the browser posts as a form.
func Form(action string, fields ...Field) Redirect {
	return Redirect{Method: http.MethodPost, URL: action, Fields: fields}
}

// Value returns the value of the named field ("" when absent).
func (r Redirect) Value(name string) string {
	for _, f := range r.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}
