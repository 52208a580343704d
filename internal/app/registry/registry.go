// Package registry lists every function the template declares, with how to build it. The
// local server mounts them all, and the tests walk them all, so a new function added here is
// served and checked without further wiring.
package registry

import (
	"log/slog"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/boxofficehq/boxoffice/internal/app"
	"github.com/boxofficehq/boxoffice/internal/app/providersapp"
	"github.com/boxofficehq/boxoffice/internal/app/settingsapp"
	"github.com/boxofficehq/boxoffice/internal/httpx"
)

// Clients are the AWS clients a process builds once and hands to its functions.
type Clients struct {
	DynamoDB       *dynamodb.Client
	SecretsManager *secretsmanager.Client
	// HTTP calls payment providers' APIs (nil: a client with a timeout).
	HTTP *http.Client
}

// Function is one Lambda function.
type Function struct {
	// Name is its directory under functions/ (and the template's logical ID, in kebab case,
	// without "Function").
	Name string
	// Config is its zero config value: the variables it reads and the access it needs.
	Config any
	// HTTP builds the router of an HTTP function.
	HTTP func(env app.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error)
}

// Functions is every function of Boxoffice.
var Functions = []Function{
	{
		Name:   "settings",
		Config: settingsapp.Config{},
		HTTP: func(env app.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error) {
			return settingsapp.New(env, c.DynamoDB, log)
		},
	},
	{
		Name:   "providers",
		Config: providersapp.Config{},
		HTTP: func(env app.Lookup, c Clients, log *slog.Logger) (*httpx.Router, error) {
			return providersapp.New(env, c.DynamoDB, c.SecretsManager, c.HTTP, log)
		},
	},
}

// ByName returns the function called name.
func ByName(name string) (Function, bool) {
	for _, f := range Functions {
		if f.Name == name {
			return f, true
		}
	}
	return Function{}, false
}
