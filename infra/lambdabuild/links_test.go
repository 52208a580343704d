package lambdabuild

// What each function may link, for TestFunctionsLinkOnlyWhatTheyUse. Paths are relative
// to the module; "x/..." is x and everything under it.
//
// Every function may link the platform packages (internal/platform/...: they know no
// feature), except those in platformFor, which only the functions listed there may link.
// Beyond the platform, a function links its own wiring (internal/app/<fn>app) and the
// feature packages listed in mayLink: a feature's domain package where the function's use
// case reads its types, and a feature's use-case, store or HTTP package only where the
// function performs that feature's job. Anything else it links is an error, naming the
// import chain that brings it in.

var mayLink = map[string][]string{
	"settings": {
		"internal/app/settingsapp",
		"internal/settings/...",                                                // its feature
		"internal/audit", "internal/audit/auditdb", "internal/audit/audithttp", // it records and answers the settings' audit trail
		"internal/payments/provider", "internal/payments/providerview", // a site's settings hold its providers' setup (the domain types and their view only)
	},
	"providers": {
		"internal/app/providersapp",
		"internal/payments/...",                             // its feature: setup, grant states, secrets, the PayPal client
		"internal/settings", "internal/settings/settingsdb", // the setup is stored in the site's settings
		"internal/audit", "internal/audit/auditdb", // and audited with them
	},
	"promo-create": {
		"internal/app/promocreateapp", "internal/app/promoissueapp", // the wiring it shares with promo-import
		"internal/promo", "internal/promo/promodb", "internal/promo/promoview", "internal/promo/mail",
		"internal/promo/issue/...",                          // its feature: create codes, start uploads
		"internal/promo/recipients",                         // the issue use case parses recipients files
		"internal/settings", "internal/settings/settingsdb", // the site's time zone and sender
		"internal/payments/provider", // through the settings domain
		"internal/audit", "internal/audit/auditdb",
	},
	"promo-import": {
		"internal/app/promoimportapp", "internal/app/promoissueapp",
		"internal/promo", "internal/promo/promodb", "internal/promo/mail", "internal/promo/recipients",
		"internal/promo/issue", "internal/promo/issue/issuedb", "internal/promo/issue/uploads", // not issuehttp: S3 starts it
		"internal/settings", "internal/settings/settingsdb",
		"internal/payments/provider",
		"internal/audit", "internal/audit/auditdb",
	},
	"promo-report": {
		"internal/app/promoreportapp",
		"internal/promo", "internal/promo/promodb", "internal/promo/promoview",
		"internal/promo/report/...", // its feature; it changes nothing, so no audit use case
		"internal/audit", "internal/audit/auditdb",
	},
	"promo-extend": {
		"internal/app/promoextendapp",
		"internal/promo", "internal/promo/promodb",
		"internal/promo/change/...",
		"internal/settings", "internal/settings/settingsdb", // the site's time zone dates the new expiry
		"internal/payments/provider",
		"internal/audit", "internal/audit/auditdb",
	},
	"promo-delete": {
		"internal/app/promodeleteapp",
		"internal/promo", "internal/promo/promodb",
		"internal/promo/change/...",
		"internal/settings", // the change use case's types (it reads no settings: no settingsdb)
		"internal/payments/provider",
		"internal/audit", "internal/audit/auditdb",
	},
	"checkout": {
		"internal/app/checkoutapp",
		"internal/checkout/...",                    // its feature: quotes, orders, the sweep
		"internal/promo", "internal/promo/promodb", // a code's terms, and the reservation of its uses on its item
		"internal/settings", "internal/settings/settingsdb", // the service's mode, time zone and provider
		"internal/payments/provider",               // the provider's setup (the domain types only)
		"internal/audit", "internal/audit/auditdb", // through the settings store
		// the payment pages: the provider clients and the cached secrets reader
		"internal/payments/pages", "internal/payments/paymentpage", "internal/payments/paymentsecrets",
		"internal/payments/payflow", "internal/payments/paypal", "internal/payments/paypal/expresscheckout", "internal/payments/worldpay",
		"internal/payments/setup", // the paypal package asserts its client implements setup's port
	},
	"webhooks": {
		"internal/app/webhooksapp",
		"internal/webhooks/...",                           // its feature: the providers' protocols and routes
		"internal/checkout", "internal/checkout/ordersdb", // a notice applied to its order, exactly once
		"internal/checkout/buyermail",              // the buyer's e-mail on authorisation
		"internal/promo", "internal/promo/promodb", // the order's code use, confirmed or given back
		"internal/settings", "internal/settings/settingsdb", // the site's provider, to check the receiver
		"internal/payments/provider",               // the provider's setup (the domain types only)
		"internal/audit", "internal/audit/auditdb", // through the settings and orders stores
		"internal/payments/paypal/ipn", "internal/payments/paymentpage", // the IPN parser and its post-back
		"internal/payments/paypal/restwebhook", // the REST event parser and its signature check
		"internal/payments/worldpay",           // the payment response's parser and its password check
		"internal/payments/payflow",            // the Silent Post's parser and the inquiry that confirms it
		"internal/payments/paymentsecrets",     // the cached reader of WorldPay's callback password and Payflow's login
		"internal/payments/setup",              // paymentsecrets' store asserts it implements setup's port
	},
}

// platformFor names the platform packages only some functions may link.
var platformFor = map[string][]string{
	"internal/platform/sesmail":    {"promo-create", "promo-import", "checkout", "webhooks"}, // the functions that send mail: codes, the buyer's e-mail
	"internal/platform/s3object":   {"promo-create", "promo-import"},                         // the functions that hand out and read the uploads
	"internal/platform/awssecrets": {"providers", "checkout", "webhooks"},                    // providers writes and reads secrets; checkout and webhooks read them
}

// never holds whatever mayLink says: the lines a function must not cross even if its
// list above grows.
var never = []struct {
	functions []string // nil: every function
	pkgs      []string
	why       string
}{
	{nil, []string{"infra/..."}, "infra/ runs the system outside AWS; no function ships it"},
	{[]string{"promo-report"}, []string{
		"internal/payments/...", "internal/promo/issue/...", "internal/promo/recipients",
		"internal/promo/mail", "internal/platform/sesmail",
	}, "the report reads codes; it sets up no provider, imports nothing and sends no mail"},
	{[]string{"settings"}, []string{"internal/promo/...", "internal/payments/setup/..."}, "settings neither issues codes nor sets providers up"},
	{[]string{"promo-create", "promo-import", "promo-report", "promo-extend", "promo-delete"}, []string{
		"internal/payments/setup/...", "internal/payments/paymentsdb", "internal/payments/paymentsecrets", "internal/payments/paypal",
	}, "promotion codes need no provider setup"},
}

// neverOutside are packages from outside the module (standard or not) no function may
// link, and why.
var neverOutside = map[string]string{
	// Lambda hands a function its credentials in the environment (lambdaapp.AWSConfig);
	// the SDK's config loader links every other credential source, about 1.9 MB.
	"github.com/aws/aws-sdk-go-v2/config": "lambdaapp.AWSConfig reads the environment Lambda sets; the loader's credential chain is dead weight",
	// Value.MethodByName keeps every exported method of every type the binary links alive:
	// html/template alone made providers 16.5 MB instead of 11.7.
	"text/template": "its reflection defeats the linker's dead code elimination",
	"html/template": "its reflection defeats the linker's dead code elimination",
}
