// Package mail is the e-mail a promotion code recipient gets (SPEC 3.3): a subject and
// a plain-text body with %Variable% placeholders, a friendly default, validation of an
// administrator's override, and rendering. It knows nothing of how mail is sent.
package mail

// Template is the subject and body of the recipient e-mail, before the variables are filled
// in. The administrator may override the default per creation; Validate it first.
type Template struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// Vars are the values of a template's variables for one recipient, already formatted for
// display (a discount such as "20%" or "€5.00", a date as the site shows dates).
type Vars struct {
	AttendeeName   string
	PromoCode      string
	Discount       string
	ExpirationDate string
	MerchantName   string
	SupportInfo    string
}

// Message is a rendered, plain-text e-mail.
type Message struct {
	Subject string
	Body    string
}

// Default is the template used when the administrator gives none. It uses every variable,
// so it doubles as documentation of what a template can say.
func Default() Template {
	return Template{
		Subject: "Your %Discount% promo code from %MerchantName%",
		Body: `Hello %AttendeeName%,

%MerchantName% has a promo code for you:

    %PromoCode%

It gives you %Discount% and is valid until %ExpirationDate%. Just enter it at checkout.

Questions? Contact us at %SupportInfo%.

See you soon,
%MerchantName%
`,
	}
}
