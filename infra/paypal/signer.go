package paypal

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"hash/crc32"
	"math/big"
	"strconv"
	"time"
)

// CertNames are the names the stand-in's signing certificate is for: PayPal's own, so that
// a verifier checks the same names locally; only the trusted CA differs (the stand-in's).
var CertNames = []string{"messageverificationcerts.sandbox.paypal.com", "messageverificationcerts.paypal.com"}

// signer signs REST webhook transmissions as PayPal does: SHA256withRSA with the key of a
// certificate served at a cert URL, here issued by the stand-in's own CA.
type signer struct {
	caPEM, leafPEM []byte
	key            *rsa.PrivateKey
	certID         string
}

func newSigner(now time.Time) (*signer, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	ca := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{Organization: []string{"PayPal stand-in"}, CommonName: "PayPal stand-in CA"},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	if ca, err = x509.ParseCertificate(caDER); err != nil {
		return nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{Organization: []string{"PayPal, Inc. (stand-in)"}, CommonName: CertNames[0]},
		DNSNames: CertNames, NotBefore: now.Add(-24 * time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	return &signer{
		caPEM:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		leafPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}),
		key:     key, certID: "CERT-" + random(4) + "-" + random(4) + "-" + random(4),
	}, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n
}

// sign returns PAYPAL-TRANSMISSION-SIG for a transmission of body.
func (s *signer) sign(transmissionID, transmissionTime, webhookID string, body []byte) (string, error) {
	signed := transmissionID + "|" + transmissionTime + "|" + webhookID + "|" + strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10)
	digest := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, digest[:])
	return base64.StdEncoding.EncodeToString(sig), err
}
