package issuehttp

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
	"github.com/boxofficehq/boxoffice/internal/promo/promoview"
)

// jobView is a job as the API shows it: its progress, for a progress bar, and a refused
// file's problems line by line.
type jobView struct {
	ID           string           `json:"id"`
	State        promo.JobState   `json:"state"`
	Percent      int              `json:"percent"`
	Recipients   int              `json:"recipients"`
	CodesCreated int              `json:"codesCreated"`
	MailsSent    int              `json:"mailsSent"`
	MailsFailed  int              `json:"mailsFailed"`
	ErrorCode    apperr.Code      `json:"errorCode,omitempty"`
	Errors       []apperr.Detail  `json:"errors,omitempty"`
	Plan         promo.ImportPlan `json:"plan"`
	Bucket       string           `json:"bucket,omitempty"`
	Key          string           `json:"key,omitempty"`
	CreatedAt    time.Time        `json:"createdAt"`
	CreatedBy    string           `json:"createdBy"`
	UpdatedAt    time.Time        `json:"updatedAt"`
}

func viewJob(j promo.Job) jobView {
	return jobView{
		ID: j.ID, State: j.State, Percent: j.Percent(), Recipients: j.Recipients, CodesCreated: j.CodesCreated,
		MailsSent: j.MailsSent, MailsFailed: j.MailsFailed, ErrorCode: j.ErrorCode, Errors: j.Errors, Plan: j.Plan,
		Bucket: j.Bucket, Key: j.Key, CreatedAt: j.CreatedAt, CreatedBy: j.CreatedBy, UpdatedAt: j.UpdatedAt,
	}
}

// invocation names this request, for the e-mail run it may start: API Gateway's request ID.
func invocation(r *http.Request) string {
	if rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok && rc.RequestID != "" {
		return "api-" + rc.RequestID
	}
	return "api-" + audit.NewID(time.Now())
}

func create(is *issue.Issuer) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in promo.CreateInput
		if err := httpx.Decode(r, &in); err != nil {
			return err
		}
		out, err := is.Create(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), in, invocation(r))
		if err != nil {
			return err
		}
		body, err := createdView(out)
		if err != nil {
			return apperr.Internal(err)
		}
		httpx.JSON(w, http.StatusCreated, body)
		return nil
	}
}

// createdView is what a creation answers: the codes, and what they share once (10,000
// codes in full would not fit the 6 MB a Lambda may answer). With a recipient, the job of
// one that records the e-mail, and the recipient's mail state.
func createdView(out issue.Created) (map[string]any, error) {
	list := make([]string, len(out.Codes))
	for i, c := range out.Codes {
		list[i] = c.Code
	}
	raw, err := json.Marshal(promoview.NewRow(out.Codes[0], time.Now()))
	if err != nil {
		return nil, err
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, err
	}
	delete(body, "code")
	body["count"], body["codes"] = len(list), list
	if out.Job != nil {
		body["job"], body["mail"] = viewJob(*out.Job), out.Recipient
	}
	return body, nil
}

func startImport(is *issue.Issuer) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in promo.ImportInput
		if err := httpx.Decode(r, &in); err != nil {
			return err
		}
		job, upload, err := is.StartImport(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), in)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusCreated, map[string]any{"job": viewJob(job), "upload": upload})
		return nil
	}
}

func getJob(is *issue.Issuer) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		j, err := is.Job(r.Context(), r.PathValue("site"), r.PathValue("job"))
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, viewJob(j))
		return nil
	}
}

func listRecipients(is *issue.Issuer) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		rs, err := is.Recipients(r.Context(), r.PathValue("site"), r.PathValue("job"))
		if err != nil {
			return err
		}
		if rs == nil {
			rs = []promo.JobRecipient{}
		}
		httpx.JSON(w, http.StatusOK, map[string]any{"recipients": rs})
		return nil
	}
}

func resend(is *issue.Issuer) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		j, err := is.RequestResend(r.Context(), r.PathValue("site"), r.PathValue("job"))
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusAccepted, map[string]any{"job": viewJob(j), "resending": j.MailsFailed})
		return nil
	}
}
