package provider

// SecretName names one secret field of a provider.
type SecretName string

// The secret fields. The permission token and its secret are what PayPal hands over when
// the merchant grants the Express Checkout API permission.
const (
	SecretPassword              SecretName = "password"
	SecretCallbackPassword      SecretName = "callbackPassword"
	SecretMD5                   SecretName = "md5Secret"
	SecretPermissionToken       SecretName = "permissionToken"
	SecretPermissionTokenSecret SecretName = "permissionTokenSecret"
	// SecretRemoteAdminPassword is the password of WorldPay's remote administration
	// installation (its own, not the purchase installation's).
	SecretRemoteAdminPassword SecretName = "remoteAdminPassword"
)

// Secrets are secret values by name. They travel only between the API request, the
// secret store and the payment code; nothing else may hold them.
type Secrets map[SecretName]string

// String hides the values, so a Secrets that reaches a log line or an error leaks nothing.
func (s Secrets) String() string { return "[secrets redacted]" }

// GoString hides the values from %#v too.
func (s Secrets) GoString() string { return s.String() }

// SecretFields lists the secrets an administrator sets for a kind; optional ones may be
// left unset.
func SecretFields(k Kind) (required, optional []SecretName) {
	switch k {
	case PayflowPro, WebsitePaymentsProUK:
		return []SecretName{SecretPassword}, nil
	case WorldPay:
		return []SecretName{SecretCallbackPassword}, []SecretName{SecretMD5, SecretRemoteAdminPassword}
	}
	return nil, nil
}

// Merge returns base with changes applied; an empty value removes the secret.
func Merge(base, changes Secrets) Secrets {
	out := Secrets{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range changes {
		if v == "" {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}
