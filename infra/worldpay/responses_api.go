package worldpay

import (
	"encoding/json"
	"errors"
	"net/http"
)

// The test API of the payment responses (responses.go).

func (s *Server) listResponses(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.Responses())
}

func (s *Server) resendResponse(w http.ResponseWriter, r *http.Request) {
	got, err := s.Resend(r.Context(), r.PathValue("id"))
	w.Header().Set("Content-Type", "application/json")
	switch {
	case errors.Is(err, errUnknown):
		w.WriteHeader(http.StatusNotFound)
	case err != nil:
		w.WriteHeader(http.StatusBadGateway)
	}
	_ = json.NewEncoder(w).Encode(got)
}
