// Package secretsmanager is an in-process, wire-compatible stand-in for AWS Secrets Manager
// (awsJson1.1), for the operations Boxoffice calls. No emulator can be installed here; this
// lets the real SDK client run unchanged against the local stack and the tests.
package secretsmanager

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// Server serves the Secrets Manager API from memory. It never logs secret values.
type Server struct {
	mu      sync.Mutex
	secrets map[string]*secret // by name
	path    string             // where Open keeps them; "" keeps them in memory only
}

// NewServer returns an empty Secrets Manager.
func NewServer() *Server {
	return &Server{secrets: map[string]*secret{}}
}

// apiError is an AWS JSON-protocol error; the SDK maps __type to its typed errors.
type apiError struct {
	Type    string
	Message string
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

func errNotFound() *apiError {
	return &apiError{"ResourceNotFoundException", "Secrets Manager can't find the specified secret."}
}

func errInvalidRequest(msg string) *apiError { return &apiError{"InvalidRequestException", msg} }
func errInvalidParam(msg string) *apiError   { return &apiError{"InvalidParameterException", msg} }

type operation func(s *Server, body []byte) (any, *apiError)

// mutating lists the operations after which a persistent server saves.
var mutating = map[string]bool{"CreateSecret": true, "PutSecretValue": true, "DeleteSecret": true, "RestoreSecret": true}

var operations = map[string]operation{
	"CreateSecret":   (*Server).createSecret,
	"GetSecretValue": (*Server).getSecretValue,
	"PutSecretValue": (*Server).putSecretValue,
	"DescribeSecret": (*Server).describeSecret,
	"DeleteSecret":   (*Server).deleteSecret,
	"RestoreSecret":  (*Server).restoreSecret,
	"ListSecrets":    (*Server).listSecrets,
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, "secretsmanager.")
	op := operations[name]
	if r.Method != http.MethodPost || !ok || op == nil {
		writeError(w, &apiError{"UnknownOperationException", "unknown operation " + target})
		return
	}
	var body json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
		writeError(w, &apiError{"SerializationException", "the body is not valid JSON"})
		return
	}
	s.mu.Lock()
	out, apiErr := op(s, body)
	if apiErr == nil && mutating[name] {
		if err := s.save(); err != nil {
			apiErr = &apiError{"InternalServiceError", "the local secrets file could not be written: " + err.Error()}
		}
	}
	s.mu.Unlock()
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(out)
}

func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", e.Type)
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Type, "message": e.Message})
}

// SecretNames lists the names of the stored secrets (including those scheduled for deletion).
func (s *Server) SecretNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.secrets))
	for n := range s.secrets {
		names = append(names, n)
	}
	return sortStrings(names)
}

// Live lists the names under prefix of the secrets not scheduled for deletion.
func (s *Server) Live(prefix string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for n, sec := range s.secrets {
		if sec.DeletedAt == nil && strings.HasPrefix(n, prefix) {
			names = append(names, n)
		}
	}
	return sortStrings(names)
}

// Values lists every secret string stored, every version: for tests that check secrets live
// here and nowhere else.
func (s *Server) Values() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, sec := range s.secrets {
		for _, v := range sec.versions {
			if v.String != nil {
				out = append(out, *v.String)
			}
		}
	}
	return out
}
