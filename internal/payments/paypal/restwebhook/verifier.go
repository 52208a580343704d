package restwebhook

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
)

// PayPalCertURLPrefixes are where PayPal serves its webhook signing certificates.
var PayPalCertURLPrefixes = []string{
	"https://api.paypal.com/v1/notifications/certs/", "https://api.sandbox.paypal.com/v1/notifications/certs/",
	"https://api-m.paypal.com/v1/notifications/certs/", "https://api-m.sandbox.paypal.com/v1/notifications/certs/",
}

// PayPalCertNames are the names PayPal's signing certificates are issued for.
var PayPalCertNames = []string{"messageverificationcerts.paypal.com", "messageverificationcerts.sandbox.paypal.com"}

// ErrUnverified is a delivery that is not PayPal's: a bad signature, a certificate that is
// not PayPal's or not from PayPal's hosts, a time outside the tolerance. It is permanent:
// the same delivery never verifies; the caller acknowledges it and records it as refused.
var ErrUnverified = errors.New("restwebhook: the delivery is not verified as PayPal's")

// Config is how a Verifier trusts; the zero Config trusts PayPal as in production.
type Config struct {
	CertURLPrefixes []string       // where a cert URL may point; PayPalCertURLPrefixes when empty
	CertNames       []string       // names the certificate must be for; PayPalCertNames when empty
	Roots           *x509.CertPool // CAs the certificate must chain to; the system's when nil
	Tolerance       time.Duration  // how far the transmission time may be from now; 5 minutes when 0
	CacheSize       int            // certificates kept; 16 when 0
	CacheTTL        time.Duration  // how long one is kept at most; 24 hours when 0
	Now             func() time.Time
}

// Verifier checks deliveries' signatures.
type Verifier struct {
	hc       paymentpage.Doer
	cfg      Config
	prefixes []*url.URL
	cache    *certCache
	log      *slog.Logger
}

// NewVerifier returns a Verifier that fetches certificates through hc.
func NewVerifier(hc paymentpage.Doer, cfg Config, log *slog.Logger) (*Verifier, error) {
	if hc == nil {
		return nil, errors.New("restwebhook: an HTTP client is required")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(cfg.CertURLPrefixes) == 0 {
		cfg.CertURLPrefixes = PayPalCertURLPrefixes
	}
	if len(cfg.CertNames) == 0 {
		cfg.CertNames = PayPalCertNames
	}
	if cfg.Tolerance <= 0 {
		cfg.Tolerance = 5 * time.Minute
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = 16
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	v := &Verifier{hc: hc, cfg: cfg, cache: newCertCache(cfg.CacheSize), log: log}
	for _, p := range cfg.CertURLPrefixes {
		u, err := url.Parse(p)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !strings.HasSuffix(u.Path, "/") {
			return nil, fmt.Errorf("restwebhook: cert URL prefix %q is not an absolute URL ending in /", p)
		}
		v.prefixes = append(v.prefixes, u)
	}
	return v, nil
}

// Verify checks that body, delivered with h, was signed by PayPal for webhookID (the ID
// PayPal gave our listener in the environment the route belongs to). A refusal wraps
// ErrUnverified; a certificate that could not be fetched is a retryable
// *paymentpage.Unavailable.
func (v *Verifier) Verify(ctx context.Context, h Headers, body []byte, webhookID string) error {
	if webhookID == "" {
		return errors.New("restwebhook: no webhook ID is configured")
	}
	now := v.cfg.Now()
	if d := now.Sub(h.Time).Abs(); d > v.cfg.Tolerance {
		return fmt.Errorf("%w: the transmission time is %s from now", ErrUnverified, d.Round(time.Second))
	}
	if !v.allowed(h.CertURL) {
		return fmt.Errorf("%w: the cert URL is not PayPal's", ErrUnverified)
	}
	key, err := v.key(ctx, h.CertURL, now)
	if err != nil {
		return err
	}
	signed := h.TransmissionID + "|" + h.TimeText + "|" + webhookID + "|" + strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10)
	digest := sha256.Sum256([]byte(signed))
	if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], h.Signature); err != nil {
		return fmt.Errorf("%w: the signature does not match", ErrUnverified)
	}
	return nil
}

// allowed reports whether raw is under one of the configured prefixes: same scheme and
// host, path below the prefix's, nothing else (no user, query, fragment or dot segment).
func (v *Verifier) allowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || strings.Contains(u.Path, "..") {
		return false
	}
	for _, p := range v.prefixes {
		if u.Scheme == p.Scheme && strings.EqualFold(u.Host, p.Host) && strings.HasPrefix(u.Path, p.Path) && len(u.Path) > len(p.Path) {
			return true
		}
	}
	return false
}

// key returns the public key of the certificate at certURL, from the cache while it holds.
func (v *Verifier) key(ctx context.Context, certURL string, now time.Time) (*rsa.PublicKey, error) {
	if key, ok := v.cache.get(certURL, now); ok {
		return key, nil
	}
	pemBytes, err := v.fetch(ctx, certURL)
	if err != nil {
		return nil, err
	}
	key, until, err := v.check(pemBytes, now)
	if err != nil {
		return nil, err
	}
	if ttl := now.Add(v.cfg.CacheTTL); ttl.Before(until) {
		until = ttl
	}
	v.cache.put(certURL, key, until)
	v.log.InfoContext(ctx, "paypal webhook certificate fetched", "cert_url", certURL, "until", until)
	return key, nil
}

// maxCert bounds a certificate download: a chain is a few kilobytes.
const maxCert = 64 << 10

func (v *Verifier) fetch(ctx context.Context, certURL string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	unavailable := func(retry bool, err error) error {
		return &paymentpage.Unavailable{Provider: "paypal", Op: "webhook certificate", Retryable: retry, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, certURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: the cert URL is not a URL", ErrUnverified)
	}
	resp, err := v.hc.Do(req)
	if err != nil {
		return nil, unavailable(true, errors.New("no answer"))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxCert+1))
	switch {
	case err != nil:
		return nil, unavailable(true, err)
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return nil, unavailable(true, fmt.Errorf("status %d", resp.StatusCode))
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%w: PayPal has no certificate there (status %d)", ErrUnverified, resp.StatusCode)
	case len(b) > maxCert:
		return nil, fmt.Errorf("%w: the certificate is over %d bytes", ErrUnverified, maxCert)
	}
	return b, nil
}

// check reads a PEM chain (the signing certificate first), verifies it chains to the
// trusted roots at now and is for one of PayPal's names, and returns its RSA key and
// when the chain stops being valid.
func (v *Verifier) check(pemBytes []byte, now time.Time) (*rsa.PublicKey, time.Time, error) {
	var chain []*x509.Certificate
	for rest := pemBytes; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("%w: the certificate cannot be read", ErrUnverified)
		}
		chain = append(chain, c)
	}
	if len(chain) == 0 {
		return nil, time.Time{}, fmt.Errorf("%w: there is no certificate at the cert URL", ErrUnverified)
	}
	leaf, intermediates := chain[0], x509.NewCertPool()
	for _, c := range chain[1:] {
		intermediates.AddCert(c)
	}
	verified, err := leaf.Verify(x509.VerifyOptions{Roots: v.cfg.Roots, Intermediates: intermediates, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("%w: the certificate is not trusted now: %v", ErrUnverified, err)
	}
	named := false
	for _, name := range v.cfg.CertNames {
		named = named || leaf.VerifyHostname(name) == nil
	}
	key, isRSA := leaf.PublicKey.(*rsa.PublicKey)
	if !named || !isRSA {
		return nil, time.Time{}, fmt.Errorf("%w: the certificate is not PayPal's signing certificate", ErrUnverified)
	}
	until := leaf.NotAfter
	for _, c := range verified[0] {
		if c.NotAfter.Before(until) {
			until = c.NotAfter
		}
	}
	return key, until, nil
}
