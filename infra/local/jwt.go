package local

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/boxofficehq/boxoffice/internal/platform/auth"
)

// Local tokens' issuer and audience: the local gateway accepts only tokens it minted.
const (
	Issuer   = "boxoffice-local"
	Audience = "boxoffice-local"
)

// Signer mints and verifies the local stack's tokens (HS256 with a key kept under .local/).
// In AWS, API Gateway's JWT authorizer does the verifying; the claims reach the functions in
// the same shape either way.
type Signer struct {
	key []byte
}

// LoadSigner reads the signing key from path, creating a random one on first use.
func LoadSigner(path string) (*Signer, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(hex.EncodeToString(key)), 0o600); err != nil {
			return nil, err
		}
		return &Signer{key: key}, nil
	}
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("%s does not hold a 32-byte hex key; delete it to make a new one", path)
	}
	return &Signer{key: key}, nil
}

// Mint returns a token for subject administering sites, valid for ttl.
// Every site must be a site ID (auth.CheckSite), as the product's own rule says.
func (s *Signer) Mint(subject, email string, sites []string, ttl time.Duration) (string, error) {
	return s.MintScoped(subject, email, sites, "", ttl)
}

// MintScoped is Mint with an OAuth scope claim (space-separated scopes): with "checkout",
// the platform's machine token for the checkout routes.
func (s *Signer) MintScoped(subject, email string, sites []string, scope string, ttl time.Duration) (string, error) {
	for _, site := range sites {
		if err := auth.CheckSite(site); err != nil {
			return "", fmt.Errorf("site ID %w", err)
		}
	}
	now := time.Now()
	claims := jwt.MapClaims{
		"iss": Issuer, "aud": Audience, "sub": subject,
		"iat": now.Unix(), "exp": now.Add(ttl).Unix(),
		auth.ClaimSites: sites,
	}
	if email != "" {
		claims[auth.ClaimEmail] = email
	}
	if scope != "" {
		claims[auth.ClaimScope] = scope
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.key)
}

// Verify checks a token's signature, issuer, audience and expiry, and returns its claims
// flattened to strings as API Gateway's JWT authorizer hands them to a function.
func (s *Signer) Verify(token string) (map[string]string, error) {
	parsed, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return s.key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer(Issuer), jwt.WithAudience(Audience),
		jwt.WithExpirationRequired())
	if err != nil {
		return nil, err
	}
	mc, _ := parsed.Claims.(jwt.MapClaims)
	return flattenClaims(mc), nil
}

// flattenClaims renders claim values as API Gateway does: strings as they are, numbers and
// booleans as text, arrays as "[a b c]".
func flattenClaims(mc jwt.MapClaims) map[string]string {
	out := make(map[string]string, len(mc))
	for k, v := range mc {
		switch x := v.(type) {
		case string:
			out[k] = x
		case float64:
			out[k] = fmt.Sprintf("%.0f", x)
		case []any:
			items := make([]string, len(x))
			for i, it := range x {
				items[i] = fmt.Sprint(it)
			}
			out[k] = auth.FlattenList(items)
		default:
			out[k] = fmt.Sprint(x)
		}
	}
	return out
}
