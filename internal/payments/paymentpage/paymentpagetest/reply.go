// Package paymentpagetest has the fake provider the clients' fuzz tests answer through.
package paymentpagetest

import (
	"bytes"
	"io"
	"net/http"
)

// Reply is a paymentpage.Doer on which the provider answers every call with Status and Body.
type Reply struct {
	Status int
	Body   []byte
}

// Do answers the call.
func (r Reply) Do(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: r.Status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(r.Body))}, nil
}
