package issuehttp

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// noticeView is something the job did not do (a file uploaded again to its key is not
// imported), when, and what to do instead.
type noticeView struct {
	Code    string    `json:"code"`
	Message string    `json:"message"`
	At      time.Time `json:"at"`
}

func viewNotice(n *issue.JobNotice) *noticeView {
	if n == nil {
		return nil
	}
	return &noticeView{Code: n.Code, Message: n.Message, At: n.At}
}
