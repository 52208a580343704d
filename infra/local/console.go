package local

import (
	"encoding/json"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// ConsoleDir is where the built web console is (`make console` writes it).
func ConsoleDir(root string) string { return filepath.Join(root, "console", "dist") }

// Local console tokens: who they name, and for how long they hold.
const (
	consoleSubject  = "local-admin"
	consoleEmail    = "admin@example.com"
	consoleTokenTTL = 12 * time.Hour
)

// consoleSite is what the sign-in page accepts as a site: the characters a site ID has.
var consoleSite = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

// consoleConfig is the console's config.json: the console reads it at run time, so the same
// build serves the local stack and any deployment.
type consoleConfig struct {
	APIURL        string            `json:"apiUrl"`
	Auth          map[string]string `json:"auth"`
	MailViewerURL string            `json:"mailViewerUrl,omitempty"`
}

// ServeConsole serves the built console from dir on 127.0.0.1:port (0 picks a free one),
// with a config.json that points it at this stack's API in local sign-in mode, and the
// local-only endpoint that mints a token for the site a person picks. It returns the
// console's URL; Close stops it with the rest.
func (s *Stack) ServeConsole(port int, dir string) (string, error) {
	cfg := consoleConfig{APIURL: s.APIURL, Auth: map[string]string{"mode": "local"}, MailViewerURL: s.SESURL}
	return s.serve(port, newConsoleHandler(dir, cfg, s.Signer))
}

func newConsoleHandler(dir string, cfg consoleConfig, signer *Signer) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /config.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		consoleJSON(w, http.StatusOK, cfg)
	})
	mux.HandleFunc("POST /local/token", func(w http.ResponseWriter, r *http.Request) { mintConsoleToken(w, r, signer) })
	files := http.FileServer(http.Dir(dir))
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
			http.Error(w, "The console is not built: run `make console` (or `make run`, which builds it).", http.StatusServiceUnavailable)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			// Vite names assets by their content: they never change under one name.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
	return mux
}

// mintConsoleToken answers {"token"} for {"site"}. It takes only JSON from the console's
// own origin: a page elsewhere cannot send that without a preflight this server refuses, so
// no other site can have a token minted through a visitor's browser.
func mintConsoleToken(w http.ResponseWriter, r *http.Request, signer *Signer) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		consoleError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "send application/json")
		return
	}
	if origin := r.Header.Get("Origin"); origin != "" && origin != "http://"+r.Host {
		consoleError(w, http.StatusForbidden, "forbidden", "tokens are minted only for the console's own page")
		return
	}
	var in struct {
		Site string `json:"site"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		consoleError(w, http.StatusBadRequest, "invalid_input", "the body must be {\"site\": \"...\"}")
		return
	}
	if !consoleSite.MatchString(in.Site) {
		consoleError(w, http.StatusBadRequest, "invalid_input", "site: 1-63 letters, digits, '.', '_' or '-'")
		return
	}
	token, err := signer.Mint(consoleSubject, consoleEmail, []string{in.Site}, consoleTokenTTL)
	if err != nil {
		consoleError(w, http.StatusInternalServerError, "internal", "minting the token failed: "+err.Error())
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	consoleJSON(w, http.StatusOK, map[string]string{"token": token})
}

func consoleError(w http.ResponseWriter, status int, code, msg string) {
	consoleJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func consoleJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
