package paymentsdb

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/payments/provider"
	"github.com/boxofficehq/boxoffice/internal/payments/setup"
)

// grantStateItem is a grant state as stored: under its own partition, with the table's TTL
// attribute (expiresAt, Unix seconds). The attribute names are this store's own;
// grantstateitem_test.go pins them.
type grantStateItem struct {
	PK           string `dynamodbav:"pk"`
	SK           string `dynamodbav:"sk"`
	Site         string `dynamodbav:"site"`
	Service      string `dynamodbav:"service"`
	Env          string `dynamodbav:"env"`
	Kind         string `dynamodbav:"kind"`
	PayPalEmail  string `dynamodbav:"paypalEmail"`
	RequestToken string `dynamodbav:"requestToken"`
	Actor        string `dynamodbav:"actor"`
	ExpiresAt    int64  `dynamodbav:"expiresAt"`
}

func newGrantStateItem(key string, st setup.GrantState, expires time.Time) grantStateItem {
	return grantStateItem{
		PK: grantPKPrefix + key, SK: skGrantState, Site: st.Site, Service: st.Service, Env: string(st.Env),
		Kind: string(st.Kind), PayPalEmail: st.PayPalEmail, RequestToken: st.RequestToken, Actor: st.Actor,
		ExpiresAt: expires.Unix(),
	}
}

func (it grantStateItem) state() setup.GrantState {
	return setup.GrantState{
		Site: it.Site, Service: it.Service, Env: provider.Env(it.Env), Kind: provider.Kind(it.Kind),
		PayPalEmail: it.PayPalEmail, RequestToken: it.RequestToken, Actor: it.Actor,
	}
}
