package local

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/template"
	"github.com/boxofficehq/boxoffice/internal/app/registry"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// ScheduleEvery is how often the local stack runs the functions' Schedule events (the
// checkout sweep): more often than on AWS, so an expiring order is seen to expire soon.
const ScheduleEvery = time.Minute

// startSchedules runs every function's scheduled job every interval until the returned
// stop is called, as EventBridge's schedule would; a run that fails is logged and the next
// one tries again.
func startSchedules(tpl *template.Template, refs map[string]string, standIns localenv.StandIns, clients registry.Clients, interval time.Duration, log *slog.Logger) (func() error, error) {
	fns, err := tpl.Functions()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var jobs []func(context.Context) error
	var names []string
	for _, fn := range fns {
		reg, ok := registry.ByName(fn.Name)
		if !ok || reg.Schedule == nil {
			continue
		}
		env, err := localEnv(fn, refs, standIns)
		if err != nil {
			cancel()
			return nil, err
		}
		job, err := reg.Schedule(lambdaapp.MapLookup(env), clients, log.With("function", fn.Name))
		if err != nil {
			cancel()
			return nil, fmt.Errorf("%s: %w", fn.Name, err)
		}
		jobs, names = append(jobs, job), append(names, fn.Name)
	}
	go func() {
		defer close(done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				for i, job := range jobs {
					if err := job(ctx); err != nil && ctx.Err() == nil {
						log.ErrorContext(ctx, "scheduled run failed", "function", names[i], "error", err.Error())
					}
				}
			}
		}
	}()
	return func() error { cancel(); <-done; return nil }, nil
}

// localEnv is a function's environment on the local stack: the template's, resolved to
// the local resources, with what only the local stack allows.
func localEnv(fn template.Function, refs map[string]string, standIns localenv.StandIns) (map[string]string, error) {
	env, err := localenv.Env(fn, refs, standIns)
	if err != nil {
		return nil, err
	}
	if _, ok := env["ALLOW_LOOPBACK_URLS"]; ok {
		env["ALLOW_LOOPBACK_URLS"] = "true" // the platform's pages run on this machine too
	}
	return env, nil
}
