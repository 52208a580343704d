package settingshttp

import (
	"net/http"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

func service(r *http.Request) (settings.Service, error) {
	return settings.ParseService(r.PathValue("service"))
}

func getSite(m *settings.Manager) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		s, err := m.Get(r.Context(), r.PathValue("site"))
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, viewSite(s))
		return nil
	}
}

func getService(m *settings.Manager) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		svc, err := service(r)
		if err != nil {
			return err
		}
		s, err := m.Get(r.Context(), r.PathValue("site"))
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, viewService(s, svc))
		return nil
	}
}

// patchBody is settings.Patch plus the mode, which is refused here with a pointer to the
// explicit switch rather than as an unknown field.
type patchBody struct {
	settings.Patch
	Mode *string `json:"mode"`
}

func patchService(m *settings.Manager) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		svc, err := service(r)
		if err != nil {
			return err
		}
		var body patchBody
		if err := httpx.Decode(r, &body); err != nil {
			return err
		}
		if body.Mode != nil {
			return apperr.Field("mode", "the operation mode is switched explicitly: PUT /sites/{site}/settings/{service}/mode")
		}
		s, err := m.Update(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), svc, body.Patch)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, viewService(s, svc))
		return nil
	}
}

func putMode(m *settings.Manager) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		svc, err := service(r)
		if err != nil {
			return err
		}
		var body struct {
			Mode *settings.Mode `json:"mode"`
		}
		if err := httpx.Decode(r, &body); err != nil {
			return err
		}
		if body.Mode == nil {
			return apperr.Field("mode", `is required: "test" or "production"`)
		}
		s, err := m.SetMode(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), svc, *body.Mode)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, viewService(s, svc))
		return nil
	}
}
