package sesmail

import (
	"fmt"
	"strconv"
)

// NewConfigured returns the Sender a function's environment sets up, as every function
// that sends reads it: SENDER_ADDRESS is the sender (an identity verified in SES), and
// SES_MAX_SEND_RATE the sending rate, in e-mails per second, the Sender keeps under.
func NewConfigured(api SendEmailAPI, senderAddress, maxSendRate string) (*Sender, error) {
	rate, err := strconv.ParseFloat(maxSendRate, 64)
	if err != nil || !(rate > 0) {
		return nil, fmt.Errorf("SES_MAX_SEND_RATE = %q: want a positive number of e-mails per second", maxSendRate)
	}
	return NewSender(api, Options{From: senderAddress, RatePerSecond: rate})
}
