package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// Step feeds one sample event to a handler and says what must come back: the status and
// values at dotted JSON paths ("error.details.0.field").
type Step struct {
	Event  string
	Status int
	Want   map[string]any
	// Check, when set, looks at the answer further.
	Check func(t *testing.T, a Answer)
	// Edit, when set, changes the event before it is fed: to point it at something made
	// earlier in the story (a job ID, say).
	Edit func(ev *events.APIGatewayV2HTTPRequest)
}

// Answer is a handler's response, with its JSON body decoded (HTML and CSV bodies are in
// Raw only).
type Answer struct {
	Status  int
	Headers map[string]string
	Raw     string
	Body    map[string]any
}

// Get returns the value at a dotted path of the body (array elements by index).
func (a Answer) Get(path string) any {
	var cur any = a.Body
	for _, k := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

// Want fails the test unless the answer has status and the values at the dotted paths
// (JSON numbers are float64, an absent value is nil).
func (a Answer) Want(t testing.TB, status int, values map[string]any) {
	t.Helper()
	a.want(t, "the answer", status, values)
}

func (a Answer) want(t testing.TB, what string, status int, values map[string]any) {
	t.Helper()
	if a.Status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, a.Status, status, a.Raw)
	}
	for path, want := range values {
		if got := a.Get(path); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s = %#v, want %#v", what, path, got, want)
		}
	}
}

// answerOf reads resp as an Answer. Every answer must say what it is: JSON (decoded into
// Body), or an HTML page or CSV file (in Raw only).
func answerOf(t testing.TB, what string, resp events.APIGatewayV2HTTPResponse) Answer {
	t.Helper()
	a := Answer{Status: resp.StatusCode, Headers: resp.Headers, Raw: resp.Body}
	ct := resp.Headers["Content-Type"]
	switch {
	case strings.HasPrefix(ct, "application/json"):
		if err := json.Unmarshal([]byte(resp.Body), &a.Body); err != nil {
			t.Fatalf("%s: body %q: %v", what, resp.Body, err)
		}
	case !strings.HasPrefix(ct, "text/html") && !strings.HasPrefix(ct, "text/csv"):
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	return a
}

// LoadHTTPEvent reads an HTTP API v2 event from dir/name.json.
func LoadHTTPEvent(t testing.TB, dir, name string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ev
}

// RunHTTPEvents feeds the steps' events, in order, through h (the function lambda.Start
// receives), checks each answer, and fails if an event file in dir was not fed.
func RunHTTPEvents(t *testing.T, h lambdaapp.HTTPLambda, dir string, steps []Step) []Answer {
	t.Helper()
	covered := map[string]bool{}
	var answers []Answer
	for i, s := range steps {
		covered[s.Event] = true
		ev := LoadHTTPEvent(t, dir, s.Event)
		if s.Edit != nil {
			s.Edit(&ev)
		}
		resp, err := h(context.Background(), ev)
		if err != nil {
			t.Fatalf("step %d %s: handler error %v", i, s.Event, err)
		}
		what := fmt.Sprintf("step %d %s", i, s.Event)
		a := answerOf(t, what, resp)
		a.want(t, what, s.Status, s.Want)
		if s.Check != nil {
			s.Check(t, a)
		}
		answers = append(answers, a)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var missing []string
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".json"); !covered[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(files) == 0 || len(missing) > 0 {
		t.Fatalf("events not fed through the handler: %v (found %d files)", missing, len(files))
	}
	return answers
}
