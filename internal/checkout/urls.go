package checkout

import (
	"net"
	"net/url"
	"strings"
)

// MaxURL is the longest return or cancel URL accepted.
const MaxURL = 2048

// checkReturnURL says why s cannot be where the buyer is sent back: an absolute https URL
// with a host and no user info; plain http only to a loopback host, and only when
// loopback is allowed (the local stack), since a buyer's browser must never be sent back
// over an unencrypted link.
func checkReturnURL(s string, allowLoopback bool) string {
	if s == "" {
		return "is required: an absolute https URL"
	}
	if len(s) > MaxURL {
		return "must be at most 2048 characters"
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return "must be an absolute URL such as https://platform.example/checkout/done"
	}
	if u.User != nil {
		return "must not carry a user name or password"
	}
	if strings.ContainsAny(s, " \t\r\n") {
		return "must not contain spaces or line breaks"
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		if allowLoopback && loopback(u.Hostname()) {
			return ""
		}
		if loopback(u.Hostname()) {
			return "must use https (http is accepted for a loopback host only on the local stack)"
		}
	}
	return "must use https"
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
