package coldstart

import (
	"net"
	"net/http"
	"time"
)

// NextPath is the Lambda Runtime API's "next invocation" request: a function's runtime
// client sends it as soon as the function's init is done (in lambda.Start).
const NextPath = "/2018-06-01/runtime/invocation/next"

// runtimeAPI serves NextPath on loopback and tells when it is first asked. It never hands
// out an invocation: the poll stays open until the function is stopped.
type runtimeAPI struct {
	ln     net.Listener
	srv    *http.Server
	polled chan time.Time
}

func newRuntimeAPI() (*runtimeAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &runtimeAPI{ln: ln, polled: make(chan time.Time, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+NextPath, func(w http.ResponseWriter, r *http.Request) {
		select {
		case a.polled <- time.Now():
		default: // a later poll: the first is the one that counts
		}
		<-r.Context().Done()
	})
	a.srv = &http.Server{Handler: mux}
	go a.srv.Serve(ln) //nolint:errcheck // Serve returns when Close is called
	return a, nil
}

// Addr is the value for AWS_LAMBDA_RUNTIME_API.
func (a *runtimeAPI) Addr() string { return a.ln.Addr().String() }

// Polled delivers the time of the first poll.
func (a *runtimeAPI) Polled() <-chan time.Time { return a.polled }

// Close stops serving and ends any open poll.
func (a *runtimeAPI) Close() error { return a.srv.Close() }
