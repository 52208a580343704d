package changehttp

import (
	"net/http"

	"github.com/boxofficehq/boxoffice/internal/platform/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
)

func extend(x *change.Extender) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in promo.ExtendInput
		if err := httpx.Decode(r, &in); err != nil {
			return err
		}
		rep, err := x.Extend(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), in)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, extendView(rep))
		return nil
	}
}

func remove(d *change.Deleter) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in promo.DeleteInput
		if err := httpx.Decode(r, &in); err != nil {
			return err
		}
		rep, err := d.Delete(r.Context(), httpx.Caller(r).Actor(), r.PathValue("site"), in)
		if err != nil {
			return err
		}
		httpx.JSON(w, http.StatusOK, deleteView(rep))
		return nil
	}
}
