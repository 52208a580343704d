package issuehttp

import (
	"net/http"
	"time"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"github.com/boxofficehq/boxoffice/internal/audit"
	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/platform/idempotency"
	"github.com/boxofficehq/boxoffice/internal/promo/issue"
)

// invocation names this request, for the e-mail run it may start: API Gateway's request ID.
func invocation(r *http.Request) string {
	if rc, ok := core.GetAPIGatewayV2ContextFromContext(r.Context()); ok && rc.RequestID != "" {
		return "api-" + rc.RequestID
	}
	return "api-" + audit.NewID(time.Now())
}

func create(is *issue.Issuer) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in issue.CreateInput
		if err := httpx.Decode(r, &in); err != nil {
			return err
		}
		out, err := is.Create(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), in, invocation(r))
		if err != nil {
			return err
		}
		if out.Queued() {
			idempotency.Remember(r.Context(), out.Job.ID)
			acceptedJob(w, *out.Job)
			return nil
		}
		body, err := createdView(out)
		if err != nil {
			return apperr.Internal(err)
		}
		ref, err := rememberCreated(body)
		if err != nil {
			return apperr.Internal(err)
		}
		idempotency.Remember(r.Context(), ref)
		httpx.JSON(w, http.StatusCreated, body)
		return nil
	}
}

func startImport(is *issue.Issuer) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in issue.ImportInput
		if err := httpx.Decode(r, &in); err != nil {
			return err
		}
		job, upload, err := is.StartImport(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), in)
		if err != nil {
			return err
		}
		idempotency.Remember(r.Context(), job.ID)
		httpx.JSON(w, http.StatusCreated, importView(job, upload))
		return nil
	}
}

// acceptedJob answers a creation left to a generation job: 202 with the job, and where to
// follow it (the one route that reads every kind of job).
func acceptedJob(w http.ResponseWriter, j issue.Job) {
	w.Header().Set("Location", "/sites/"+j.Site+"/promo-codes/imports/"+j.ID)
	httpx.JSON(w, http.StatusAccepted, map[string]any{"job": viewJob(j)})
}

func importView(j issue.Job, u issue.Upload) map[string]any {
	return map[string]any{"job": viewJob(j), "upload": viewUpload(u)}
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
		httpx.JSON(w, http.StatusOK, map[string]any{"recipients": viewRecipients(rs)})
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
