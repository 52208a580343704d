package provider

// Input is a provider as an administrator sends it: the whole setup (a PUT replaces the
// previous one). Pointers tell a field that was left out from one sent empty, so a field
// that does not belong to the kind is refused rather than silently dropped.
//
// Secrets are write-only. Left out, a secret keeps its stored value when the kind stays the
// same; an optional secret sent as "" is removed.
type Input struct {
	Kind             Kind         `json:"kind"`
	PartnerID        *string      `json:"partnerId"`
	Vendor           *string      `json:"vendor"`
	UserID           *string      `json:"userId"`
	AccountType      *AccountType `json:"accountType"`
	ExpressCheckout  *bool        `json:"expressCheckout"`
	Cards            []Card       `json:"cards"`
	PayPalEmail      *string      `json:"paypalEmail"`
	InstallationID   *string      `json:"installationId"`
	Currency         *Currency    `json:"currency"`
	Password         *string      `json:"password"`
	CallbackPassword *string      `json:"callbackPassword"`
	MD5Secret        *string      `json:"md5Secret"`
	// RemoteAdminInstallationID and RemoteAdminPassword are WorldPay's remote
	// administration installation, both or neither.
	RemoteAdminInstallationID *string `json:"remoteAdminInstallationId"`
	RemoteAdminPassword       *string `json:"remoteAdminPassword"`
}

// fieldsSent names the fields present in the input, by their JSON names.
func (in Input) fieldsSent() []string {
	var out []string
	add := func(name string, present bool) {
		if present {
			out = append(out, name)
		}
	}
	add("partnerId", in.PartnerID != nil)
	add("vendor", in.Vendor != nil)
	add("userId", in.UserID != nil)
	add("accountType", in.AccountType != nil)
	add("expressCheckout", in.ExpressCheckout != nil)
	add("cards", in.Cards != nil)
	add("paypalEmail", in.PayPalEmail != nil)
	add("installationId", in.InstallationID != nil)
	add("currency", in.Currency != nil)
	add(string(SecretPassword), in.Password != nil)
	add(string(SecretCallbackPassword), in.CallbackPassword != nil)
	add(string(SecretMD5), in.MD5Secret != nil)
	add("remoteAdminInstallationId", in.RemoteAdminInstallationID != nil)
	add(string(SecretRemoteAdminPassword), in.RemoteAdminPassword != nil)
	return out
}

// secretsSent returns the secret values present in the input.
func (in Input) secretsSent() Secrets {
	out := Secrets{}
	for name, v := range map[SecretName]*string{
		SecretPassword: in.Password, SecretCallbackPassword: in.CallbackPassword, SecretMD5: in.MD5Secret,
		SecretRemoteAdminPassword: in.RemoteAdminPassword,
	} {
		if v != nil {
			out[name] = *v
		}
	}
	return out
}
