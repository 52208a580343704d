package localaws

import "github.com/boxofficehq/boxoffice/internal/platform/awssecrets"

// SecretsManager returns the functions' Secrets Manager client of the local stand-in at
// endpoint.
func SecretsManager(endpoint string) (*awssecrets.Client, error) {
	return awssecrets.New(Config(), awssecrets.Options{Endpoint: endpoint})
}
