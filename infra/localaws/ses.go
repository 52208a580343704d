package localaws

import "github.com/boxofficehq/boxoffice/internal/platform/sesmail"

// SES returns the functions' SES client (the v1 API's SendEmail) of the SES emulator at
// endpoint. The emulator accepts any signature but requires one, hence the static
// credentials of Config.
func SES(endpoint string) (*sesmail.Client, error) {
	return sesmail.NewClient(Config(), sesmail.ClientOptions{Endpoint: endpoint})
}
