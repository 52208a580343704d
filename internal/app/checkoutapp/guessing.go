package checkoutapp

import (
	"fmt"
	"strconv"
	"time"

	"github.com/boxofficehq/boxoffice/internal/checkout"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle"
	"github.com/boxofficehq/boxoffice/internal/platform/throttle/throttledb"
)

// Bounds of the guessing limits: a window from a minute to a day, and at least one failure
// per window (a limit of 0 would refuse every code).
const (
	maxGuessesPerEmail = 10_000
	maxGuessesPerSite  = 1_000_000
	maxGuessWindow     = 24 * 60
)

// newGuessing builds the code-guessing throttle from the function's environment, over the
// throttle table.
func newGuessing(cfg Config, db throttledb.API) (checkout.Guessing, error) {
	perSite, err := wholeNumber("CODE_GUESSES_PER_SITE", cfg.CodeGuessesPerSite, maxGuessesPerSite)
	if err != nil {
		return checkout.Guessing{}, err
	}
	perEmail, err := wholeNumber("CODE_GUESSES_PER_EMAIL", cfg.CodeGuessesPerEmail, maxGuessesPerEmail)
	if err != nil {
		return checkout.Guessing{}, err
	}
	minutes, err := wholeNumber("CODE_GUESS_WINDOW_MINUTES", cfg.CodeGuessWindowMinutes, maxGuessWindow)
	if err != nil {
		return checkout.Guessing{}, err
	}
	store, err := throttledb.New(db, cfg.ThrottleTable)
	if err != nil {
		return checkout.Guessing{}, err
	}
	th, err := throttle.New(store, time.Now)
	if err != nil {
		return checkout.Guessing{}, err
	}
	window := time.Duration(minutes) * time.Minute
	return checkout.Guessing{Throttle: th, PerSite: throttle.Limit{Max: perSite, Window: window},
		PerEmail: throttle.Limit{Max: perEmail, Window: window}}, nil
}

func wholeNumber(name, v string, most int64) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || n > most {
		return 0, fmt.Errorf("%s = %q: want a whole number from 1 to %d", name, v, most)
	}
	return n, nil
}
