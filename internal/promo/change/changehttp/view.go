package changehttp

import (
	"time"

	"github.com/boxofficehq/boxoffice/internal/promo"
	"github.com/boxofficehq/boxoffice/internal/promo/change"
)

// expiryChange is an extended code's expiry before and after.
type expiryChange struct {
	Before string `json:"before"`
	After  string `json:"after"`
}

// extendResultView is one code's result: expiresOn is {before, after} when extended, and
// the date the code keeps when it was not (unchanged, earlier_than_current, before_today);
// today is the date it is in the code's time zone (before_today).
type extendResultView struct {
	Code      string             `json:"code"`
	Result    promo.ChangeResult `json:"result"`
	ExpiresOn any                `json:"expiresOn,omitempty"`
	Today     string             `json:"today,omitempty"`
}

type extendReportView struct {
	ExpiresOn string                     `json:"expiresOn"`
	Results   []extendResultView         `json:"results"`
	Summary   map[promo.ChangeResult]int `json:"summary"`
}

func extendView(rep change.ExtendReport) extendReportView {
	v := extendReportView{
		ExpiresOn: rep.ExpiresOn, Results: make([]extendResultView, 0, len(rep.Results)),
		Summary: summary(promo.ExtendResults),
	}
	for _, r := range rep.Results {
		rv := extendResultView{Code: r.Code, Result: r.Result, Today: r.Today}
		switch {
		case r.Result == promo.ChangeExtended:
			rv.ExpiresOn = expiryChange{Before: r.Before, After: r.After}
		case r.Before != "":
			rv.ExpiresOn = r.Before
		}
		v.Results = append(v.Results, rv)
		v.Summary[r.Result]++
	}
	return v
}

// deleteResultView is one code's result, with when and by whom the code was deleted (by
// this request or before it).
type deleteResultView struct {
	Code      string             `json:"code"`
	Result    promo.ChangeResult `json:"result"`
	DeletedAt time.Time          `json:"deletedAt,omitzero"`
	DeletedBy string             `json:"deletedBy,omitempty"`
}

type deleteReportView struct {
	Results []deleteResultView         `json:"results"`
	Summary map[promo.ChangeResult]int `json:"summary"`
}

func deleteView(rep change.DeleteReport) deleteReportView {
	v := deleteReportView{Results: make([]deleteResultView, 0, len(rep.Results)), Summary: summary(promo.DeleteResults)}
	for _, r := range rep.Results {
		v.Results = append(v.Results, deleteResultView{Code: r.Code, Result: r.Result, DeletedAt: r.DeletedAt.UTC(), DeletedBy: r.DeletedBy})
		v.Summary[r.Result]++
	}
	return v
}

// summary counts results per kind, every kind of the operation present (0 when none).
func summary(kinds []promo.ChangeResult) map[promo.ChangeResult]int {
	m := make(map[promo.ChangeResult]int, len(kinds))
	for _, k := range kinds {
		m[k] = 0
	}
	return m
}
