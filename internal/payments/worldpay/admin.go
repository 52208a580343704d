package worldpay

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/boxofficehq/boxoffice/internal/payments/paymentpage"
	"github.com/boxofficehq/boxoffice/internal/payments/provider"
)

// RemoteAdmin is the remote administration installation: its own ID and password, not
// the purchase installation's.
type RemoteAdmin struct {
	InstallationID string
	Password       string
}

// String leaves the password out.
func (r RemoteAdmin) String() string {
	return "worldpay remote admin " + r.InstallationID + " (password redacted)"
}

// GoString hides the password from %#v too.
func (r RemoteAdmin) GoString() string { return r.String() }

// Capture captures a pre-authorisation in full (op=postAuth-full). Capturing it again is
// refused by WorldPay (it is no longer a pre-authorisation), so a retry after a lost answer
// reads as a refusal: the order's own state must say it was captured.
func (c *Client) Capture(ctx context.Context, env provider.Env, admin RemoteAdmin, transID string) error {
	ep, ok := c.endpoints[env]
	if !ok {
		return fmt.Errorf("worldpay: unknown environment %q", env)
	}
	if !installationFormat().MatchString(admin.InstallationID) || admin.Password == "" || transID == "" {
		return fmt.Errorf("worldpay: a capture needs the remote admin installation, its password and the transaction ID")
	}
	form := url.Values{
		"instId": {admin.InstallationID}, "authPW": {admin.Password}, "op": {"postAuth-full"},
		"transId": {transID}, "testMode": {testMode(env)},
	}
	raw, err := paymentpage.Post(ctx, c.hc, paymentpage.Call{
		Provider: "worldpay", Op: "postAuth-full", URL: ep.Admin, ContentType: "application/x-www-form-urlencoded", Body: form.Encode(),
	})
	if err != nil {
		c.log.DebugContext(ctx, "worldpay remote admin failed", "op", "postAuth-full", "env", env, "error", err)
		return err
	}
	err = parseAdminReply("postAuth-full", transID, string(raw))
	c.log.DebugContext(ctx, "worldpay remote admin", "op", "postAuth-full", "env", env, "trans_id", transID, "error", err)
	return err
}

// parseAdminReply reads remote administration's one-line answer: "A,<transId>,..." when
// the operation was done on that transaction (what published integrations check, e.g.
// Magento's Phoenix_Worldpay); N or E, then a message, refused; anything else, an A on
// another transaction among them, is unusable.
func parseAdminReply(op, transID, reply string) error {
	status, rest, _ := strings.Cut(strings.TrimSpace(reply), ",")
	switch status {
	case "A":
		if id, _, _ := strings.Cut(rest, ","); id == transID {
			return nil
		}
		return &paymentpage.Unavailable{Provider: "worldpay", Op: op, Err: fmt.Errorf("the reply is about another transaction")}
	case "N", "E":
		return &paymentpage.Refused{Provider: "worldpay", Op: op, Code: status, Message: rest}
	}
	return &paymentpage.Unavailable{Provider: "worldpay", Op: op, Err: fmt.Errorf("the reply is not A,<transId> nor a refusal")}
}
