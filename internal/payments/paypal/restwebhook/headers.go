// Package restwebhook verifies and reads PayPal REST webhook deliveries: the transmission
// signature (SHA256withRSA over transmission_id|transmission_time|webhook_id|crc32(body),
// the CRC32 in decimal) checked with PayPal's certificate from PAYPAL-CERT-URL (fetched
// only from PayPal's hosts, checked to be PayPal's, cached), the transmission time within
// a tolerance; then the event's id, type, resource, amount and the ids it hangs off.
package restwebhook

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
)

// The headers PayPal signs a delivery with.
const (
	HeaderTransmissionID   = "Paypal-Transmission-Id"
	HeaderTransmissionTime = "Paypal-Transmission-Time"
	HeaderTransmissionSig  = "Paypal-Transmission-Sig"
	HeaderCertURL          = "Paypal-Cert-Url"
	HeaderAuthAlgo         = "Paypal-Auth-Algo"
)

// AuthAlgo is the one signature algorithm PayPal uses.
const AuthAlgo = "SHA256withRSA"

// Headers are a delivery's signature headers.
type Headers struct {
	TransmissionID string
	TimeText       string    // PAYPAL-TRANSMISSION-TIME as sent: it is signed as sent
	Time           time.Time // the same, read
	Signature      []byte
	CertURL        string
}

// ReadHeaders reads the signature headers of a delivery. Each must be there once; the time
// is RFC 3339, the signature base64, the algorithm SHA256withRSA. A '|' in the ID or the
// time is refused: it would shift the fields of the signed string.
func ReadHeaders(h http.Header) (Headers, error) {
	var out Headers
	var sig, algo string
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{HeaderTransmissionID, &out.TransmissionID}, {HeaderTransmissionTime, &out.TimeText},
		{HeaderTransmissionSig, &sig}, {HeaderCertURL, &out.CertURL}, {HeaderAuthAlgo, &algo},
	} {
		vs := h.Values(f.name)
		switch {
		case len(vs) != 1 || strings.TrimSpace(vs[0]) == "":
			return Headers{}, apperr.Field(f.name, "must be given once")
		case len(vs[0]) > 2048:
			return Headers{}, apperr.Field(f.name, "is too long")
		}
		*f.dst = vs[0]
	}
	if strings.Contains(out.TransmissionID, "|") || strings.Contains(out.TimeText, "|") {
		return Headers{}, apperr.Field(HeaderTransmissionID, "holds a '|'")
	}
	at, err := time.Parse(time.RFC3339, out.TimeText)
	if err != nil {
		return Headers{}, apperr.Field(HeaderTransmissionTime, "is not an RFC 3339 time")
	}
	out.Time = at
	if out.Signature, err = base64.StdEncoding.DecodeString(sig); err != nil || len(out.Signature) == 0 {
		return Headers{}, apperr.Field(HeaderTransmissionSig, "is not base64")
	}
	if algo != AuthAlgo {
		return Headers{}, apperr.Field(HeaderAuthAlgo, "is not "+AuthAlgo)
	}
	return out, nil
}
