package worldpay

// The payment responses the stand-in posts, as WorldPay does: to the purchase's MC_callback
// (or the installation's Payment Response URL), with the installation's callback password,
// when the buyer approves or cancels; the buyer is then shown the page the callback
// answered. Each is kept, to be listed and sent again (duplicates):
//
//	GET  /_standin/responses               what was posted (JSON)
//	POST /_standin/responses/{id}/resend   post one again

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Response is one payment response the stand-in posted, and each delivery's answer.
type Response struct {
	ID         string     `json:"id"` // the transaction (or the cart, cancelled) and transStatus
	URL        string     `json:"url"`
	Fields     url.Values `json:"fields"`
	Deliveries []int      `json:"deliveries"` // each answer's status; 0 when none came
}

// deliveryTimeout bounds one post, as WorldPay gives up on a slow callback.
const deliveryTimeout = 10 * time.Second

// maxAnswer bounds the callback's page the buyer is shown.
const maxAnswer = 64 << 10

// errUnknown is a resend of a response the stand-in never posted.
var errUnknown = errors.New("worldpay stand-in: unknown payment response")

// record keeps a response about to be posted to target.
func (s *Server) record(target string, fields url.Values) *Response {
	id := fields.Get("transId")
	if id == "" {
		id = fields.Get("cartId")
	}
	r := &Response{ID: id + ":" + fields.Get("transStatus"), URL: target, Fields: fields}
	s.responses = append(s.responses, r)
	return r
}

// post delivers r once: through the PaymentResponse hook when one is set, or for real.
// It returns the callback's answer page when it answered 200 with one.
func (s *Server) post(ctx context.Context, r *Response) (page []byte, err error) {
	s.mu.Lock()
	hook, target, fields := s.PaymentResponse, r.URL, cloneValues(r.Fields)
	s.mu.Unlock()
	if hook != nil {
		hook(ctx, target, fields)
		s.delivered(r, http.StatusOK)
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(fields.Encode()))
	if err != nil {
		s.delivered(r, 0)
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.client.Do(req)
	if err != nil {
		s.delivered(r, 0)
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	s.delivered(r, resp.StatusCode)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("worldpay stand-in: %s answered %d", target, resp.StatusCode)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		return nil, nil
	}
	return body, nil
}

func (s *Server) delivered(r *Response, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.Deliveries = append(r.Deliveries, status)
}

// Responses lists the payment responses posted, oldest first.
func (s *Server) Responses() []Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Response, 0, len(s.responses))
	for _, r := range s.responses {
		c := *r
		c.Fields, c.Deliveries = cloneValues(r.Fields), slices.Clone(r.Deliveries)
		out = append(out, c)
	}
	return out
}

// Resend posts the response id again, byte for byte, as WorldPay's resend does; it
// returns the response with its deliveries.
func (s *Server) Resend(ctx context.Context, id string) (Response, error) {
	s.mu.Lock()
	i := slices.IndexFunc(s.responses, func(r *Response) bool { return r.ID == id })
	var r *Response
	if i >= 0 {
		r = s.responses[i]
	}
	s.mu.Unlock()
	if r == nil {
		return Response{}, fmt.Errorf("%w: %q", errUnknown, id)
	}
	_, err := s.post(ctx, r)
	for _, got := range s.Responses() {
		if got.ID == id {
			return got, err
		}
	}
	return Response{}, err
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
