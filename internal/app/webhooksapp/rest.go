package webhooksapp

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/payments/paypal/restwebhook"
)

// restVerifier is the REST webhook verifier the configuration describes: PayPal's cert
// hosts and the system's roots unless the environment names others (the stand-in's,
// locally).
func restVerifier(cfg Config, hc *http.Client, log *slog.Logger) (*restwebhook.Verifier, error) {
	var rc restwebhook.Config
	for _, p := range strings.Split(cfg.PayPalCertURLPrefixes, ",") {
		if p = strings.TrimSpace(p); p != "" {
			rc.CertURLPrefixes = append(rc.CertURLPrefixes, p)
		}
	}
	if strings.TrimSpace(cfg.PayPalWebhookCA) != "" {
		rc.Roots = x509.NewCertPool()
		if !rc.Roots.AppendCertsFromPEM([]byte(cfg.PayPalWebhookCA)) {
			return nil, fmt.Errorf("PAYPAL_WEBHOOK_CA holds no PEM certificate")
		}
	}
	v, err := restwebhook.NewVerifier(hc, rc, log)
	if err != nil {
		return nil, fmt.Errorf("PAYPAL_WEBHOOK_CERT_URL_PREFIXES: %w", err)
	}
	return v, nil
}
