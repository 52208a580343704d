package settingshttp

import (
	"net/http"
	"time"

	"github.com/boxofficehq/boxoffice/internal/platform/apperr"
	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/settings"
)

// siteView is a site's settings as the API shows them.
type siteView struct {
	Site      string                                        `json:"site"`
	Services  map[settings.Service]settings.ServiceSettings `json:"services"`
	Shared    bool                                          `json:"shared"`
	Version   int64                                         `json:"version"`
	UpdatedAt *time.Time                                    `json:"updatedAt,omitempty"`
	UpdatedBy string                                        `json:"updatedBy,omitempty"`
}

func viewSite(s settings.Site) siteView {
	v := siteView{Site: s.Site, Services: s.Services, Shared: s.Shared(), Version: s.Version, UpdatedBy: s.UpdatedBy}
	if !s.UpdatedAt.IsZero() {
		v.UpdatedAt = &s.UpdatedAt
	}
	return v
}

// serviceView is one service's settings as the API shows them.
type serviceView struct {
	Site      string          `json:"site"`
	Service   string          `json:"service"`
	Enabled   bool            `json:"enabled"`
	Shared    bool            `json:"shared"`
	Config    settings.Config `json:"config"`
	Version   int64           `json:"version"`
	UpdatedAt *time.Time      `json:"updatedAt,omitempty"`
	UpdatedBy string          `json:"updatedBy,omitempty"`
}

func viewService(s settings.Site, svc settings.Service) serviceView {
	v := serviceView{
		Site: s.Site, Service: string(svc), Enabled: s.Services[svc].Enabled, Shared: s.Shared(),
		Config: s.Services[svc].Config, Version: s.Version, UpdatedBy: s.UpdatedBy,
	}
	if !s.UpdatedAt.IsZero() {
		v.UpdatedAt = &s.UpdatedAt
	}
	return v
}

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
