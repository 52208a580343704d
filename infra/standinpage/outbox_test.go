package standinpage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

type post struct {
	header http.Header
	body   []byte
}

// target records each post and answers with status and page.
func target(t *testing.T, status int, page string) (*httptest.Server, chan post) {
	got := make(chan post, 16)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- post{r.Header.Clone(), b}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, page)
	}))
	t.Cleanup(hs.Close)
	return hs, got
}

// A message is posted as given but for the stand-in's own headers, kept, and resent byte
// for byte; each delivery's status is recorded and the answer returned.
func TestOutboxSendsListsAndResends(t *testing.T) {
	hs, got := target(t, http.StatusOK, "<p>thanks</p>")
	o := NewOutbox(OutboxConfig{Name: "test stand-in"})
	body := []byte("a=1&b=%E9")
	m, ans, err := o.Send(context.Background(), Sent{ID: "M-1", Kind: "ipn", URL: hs.URL + "/n",
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Standin-Secret": {"kept"}}, Body: body})
	if err != nil || ans.Status != 200 || string(ans.Body) != "<p>thanks</p>" || !strings.HasPrefix(ans.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("send: %+v %v", ans, err)
	}
	first := <-got
	if !bytes.Equal(first.body, body) || first.header.Get("Content-Type") != "application/x-www-form-urlencoded" || first.header.Get("X-Standin-Secret") != "" {
		t.Fatalf("posted %q with %v", first.body, first.header)
	}
	if m.ID != "M-1" || !slices.Equal(m.Deliveries, []int{200}) || m.Header.Get("X-Standin-Secret") != "kept" {
		t.Fatalf("sent %+v", m)
	}
	again, _, err := o.Resend(context.Background(), "M-1")
	if err != nil || !slices.Equal(again.Deliveries, []int{200, 200}) {
		t.Fatalf("resend: %+v %v", again, err)
	}
	if second := <-got; !bytes.Equal(second.body, body) || second.header.Get("Content-Type") != first.header.Get("Content-Type") {
		t.Errorf("resent %q with %v", second.body, second.header)
	}
	list := o.List()
	list[0].Body[0], list[0].Deliveries[0] = 'x', 0
	if now := o.List(); len(now) != 1 || !bytes.Equal(now[0].Body, body) || now[0].Deliveries[0] != 200 {
		t.Errorf("List gave the outbox's own message: %+v", now)
	}
	if _, _, err := o.Resend(context.Background(), "M-2"); !errors.Is(err, ErrUnknown) {
		t.Errorf("an unknown resend: %v", err)
	}
}

// A target that answers other than 2xx is an error, with its answer; one that does not
// answer is status 0.
func TestOutboxRecordsFailedDeliveries(t *testing.T) {
	hs, _ := target(t, http.StatusInternalServerError, "down")
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	o := NewOutbox(OutboxConfig{Name: "test stand-in"})
	m, ans, err := o.Send(context.Background(), Sent{ID: "A", URL: hs.URL})
	if err == nil || ans.Status != 500 || string(ans.Body) != "down" || !slices.Equal(m.Deliveries, []int{500}) {
		t.Errorf("a 500: %+v %+v %v", m, ans, err)
	}
	m, ans, err = o.Send(context.Background(), Sent{ID: "B", URL: gone.URL})
	if err == nil || ans.Status != 0 || !slices.Equal(m.Deliveries, []int{0}) {
		t.Errorf("no answer: %+v %+v %v", m, ans, err)
	}
	if ids := []string{o.List()[0].ID, o.List()[1].ID}; !slices.Equal(ids, []string{"A", "B"}) {
		t.Errorf("listed %v, not oldest first", ids)
	}
}

// The answer's body is bounded.
func TestOutboxBoundsTheAnswer(t *testing.T) {
	hs, _ := target(t, http.StatusOK, strings.Repeat("x", MaxAnswer+10))
	_, ans, err := NewOutbox(OutboxConfig{}).Send(context.Background(), Sent{ID: "A", URL: hs.URL})
	if err != nil || len(ans.Body) != MaxAnswer {
		t.Errorf("answer of %d bytes, %v", len(ans.Body), err)
	}
}

// Each delivery has its own deadline, the configured timeout from when it starts.
func TestOutboxBoundsEachDelivery(t *testing.T) {
	var deadlines []time.Time
	client := doerFunc(func(r *http.Request) (*http.Response, error) {
		d, ok := r.Context().Deadline()
		if !ok {
			t.Error("a delivery without a deadline")
		}
		deadlines = append(deadlines, d)
		return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody}, nil
	})
	o := NewOutbox(OutboxConfig{Client: client, Timeout: time.Hour})
	before := time.Now()
	if _, _, err := o.Send(context.Background(), Sent{ID: "A", URL: "http://target.invalid/"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.Resend(context.Background(), "A"); err != nil {
		t.Fatal(err)
	}
	if len(deadlines) != 2 || deadlines[0].Before(before.Add(time.Hour)) || deadlines[0].After(time.Now().Add(time.Hour)) || deadlines[1].Before(deadlines[0]) {
		t.Errorf("deadlines %v", deadlines)
	}
}

// Renew gives a resend its new header; the body stays the same.
func TestOutboxRenewsAResendsHeader(t *testing.T) {
	hs, got := target(t, http.StatusOK, "")
	n := 0
	o := NewOutbox(OutboxConfig{Renew: func(m Sent) (http.Header, error) {
		n++
		return http.Header{"Signature": {m.Header.Get("X-Standin-Key") + "-" + string(rune('0'+n))}, "X-Standin-Key": m.Header["X-Standin-Key"]}, nil
	}})
	if _, _, err := o.Send(context.Background(), Sent{ID: "E", URL: hs.URL, Header: http.Header{"Signature": {"k-0"}, "X-Standin-Key": {"k"}}, Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	<-got
	m, _, err := o.Resend(context.Background(), "E")
	if again := <-got; err != nil || again.header.Get("Signature") != "k-1" || string(again.body) != "{}" || m.Header.Get("Signature") != "k-1" {
		t.Errorf("resent with %v %q (kept %v), %v", again.header, again.body, m.Header, err)
	}
}

// Concurrent sends are each kept once.
func TestOutboxConcurrentSends(t *testing.T) {
	hs, _ := target(t, http.StatusOK, "")
	o := NewOutbox(OutboxConfig{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			_, _, _ = o.Send(context.Background(), Sent{ID: string(rune('a' + i)), URL: hs.URL})
			_, _, _ = o.Resend(context.Background(), string(rune('a'+i)))
			_ = o.List()
		})
	}
	wg.Wait()
	list := o.List()
	if len(list) != 8 {
		t.Fatalf("kept %d", len(list))
	}
	for _, m := range list {
		if !slices.Equal(m.Deliveries, []int{200, 200}) {
			t.Errorf("%s: deliveries %v", m.ID, m.Deliveries)
		}
	}
}

// The JSON API lists and resends under the stand-in's prefix: 404 for an unknown
// message, 502 when the target does not take it.
func TestOutboxAPI(t *testing.T) {
	ok, _ := target(t, http.StatusOK, "")
	down, _ := target(t, http.StatusServiceUnavailable, "")
	o := NewOutbox(OutboxConfig{Name: "test stand-in"})
	_, _, _ = o.Send(context.Background(), Sent{ID: "OK", Kind: "ipn", URL: ok.URL, Body: []byte("a=1")})
	_, _, _ = o.Send(context.Background(), Sent{ID: "DOWN", URL: down.URL})
	mux := http.NewServeMux()
	o.Route(mux, "/_standin/things")
	api := httptest.NewServer(mux)
	defer api.Close()

	resp, err := http.Get(api.URL + "/_standin/things")
	if err != nil {
		t.Fatal(err)
	}
	var list []Sent
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("list: %v %v", resp.Header, err)
	}
	resp.Body.Close()
	if len(list) != 2 || list[0].ID != "OK" || string(list[0].Body) != "a=1" || list[0].Kind != "ipn" {
		t.Fatalf("listed %+v", list)
	}
	for id, want := range map[string]int{"OK": 200, "DOWN": 502, "NONE": 404} {
		resp, err := http.Post(api.URL+"/_standin/things/"+id+"/resend", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		var answer struct {
			Error string `json:"error"`
			Sent  []Sent `json:"sent"`
		}
		err = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		if err != nil || resp.StatusCode != want || (want == 404) != (len(answer.Sent) == 0) || (want != 404 && answer.Sent[0].ID != id) || (want == 200) != (answer.Error == "") {
			t.Errorf("resend %s: %d %+v %v", id, resp.StatusCode, answer, err)
		}
	}
}
