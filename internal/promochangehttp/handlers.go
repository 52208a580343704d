package promochangehttp

import (
	"net/http"

	"github.com/boxofficehq/boxoffice/internal/httpx"
	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promochange"
)

func extend(x *promochange.Extender) httpx.HandlerFunc {
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

func remove(d *promochange.Deleter) httpx.HandlerFunc {
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
