package localaws

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ses"
)

// SES returns a client of the SES emulator (the v1 API: SendEmail and SendRawEmail) at
// endpoint. The emulator accepts any signature but requires one, hence the static
// credentials of Config.
func SES(endpoint string) *ses.Client {
	return ses.NewFromConfig(Config(), func(o *ses.Options) { o.BaseEndpoint = aws.String(endpoint) })
}
