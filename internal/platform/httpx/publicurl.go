package httpx

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// PublicURL is the base URL the API is reached at, from configuration. A link the API
// hands out that leads back to it (where a provider sends the browser back) is built on
// it, never on a request's Host or X-Forwarded-* headers: the client writes those.
type PublicURL struct{ base string }

// ParsePublicURL reads a configured base URL: absolute, https (http only on a loopback
// host, for the local stack), a host and at most a path; no user, query or fragment. A
// trailing slash is dropped.
func ParsePublicURL(raw string) (PublicURL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return PublicURL{}, fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return PublicURL{}, fmt.Errorf("%q: want an absolute https URL", raw)
	case u.Host == "" || u.Hostname() == "":
		return PublicURL{}, fmt.Errorf("%q has no host", raw)
	case u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Opaque != "":
		return PublicURL{}, fmt.Errorf("%q: want a scheme, a host and at most a path (no user, query or fragment)", raw)
	case u.Scheme == "http" && !loopback(u.Hostname()):
		return PublicURL{}, errors.New(raw + ": http only on a loopback host (the local stack); the API is public over https")
	}
	return PublicURL{base: u.Scheme + "://" + u.Host + strings.TrimSuffix(u.EscapedPath(), "/")}, nil
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

// IsZero reports a URL that was not configured.
func (p PublicURL) IsZero() bool { return p.base == "" }

// String returns the base URL, without a trailing slash.
func (p PublicURL) String() string { return p.base }

// Link returns the URL of path (from "/") under the base, with query q (none when empty).
func (p PublicURL) Link(path string, q url.Values) string {
	link := p.base + path
	if len(q) > 0 {
		link += "?" + q.Encode()
	}
	return link
}
