package local

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"
	"github.com/johannesboyne/gofakes3"

	"github.com/boxofficehq/boxoffice/infra/localenv"
	"github.com/boxofficehq/boxoffice/infra/template"
	"github.com/boxofficehq/boxoffice/internal/app/registry"
	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// newS3Store wraps the local S3 backend so object writes become S3 events, and creates the
// template's buckets in it (they persist, so only the first start creates them).
func newS3Store(inner gofakes3.Backend, tpl *template.Template, log *slog.Logger) (*NotifyingBackend, error) {
	store := NewNotifyingBackend(inner, log.With("component", "s3-notifications"))
	for _, id := range tpl.Buckets() {
		name := localenv.BucketName(id)
		ok, err := store.BucketExists(name)
		if err != nil {
			return nil, err
		}
		if !ok {
			if err := store.CreateBucket(name); err != nil {
				return nil, fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
	}
	return store, nil
}

// subscribe delivers the S3 events the template gives fn to its S3 handler, as S3 and
// Lambda would: asynchronously, with retries.
func subscribe(store *NotifyingBackend, fn template.Function, reg registry.Function, env, refs map[string]string, clients registry.Clients, log *slog.Logger) error {
	if len(fn.S3Events) == 0 {
		return nil
	}
	if reg.S3 == nil {
		return fmt.Errorf("%s has S3 events but no S3 handler", fn.Name)
	}
	h, err := reg.S3(lambdaapp.MapLookup(env), clients, log.With("function", fn.Name))
	if err != nil {
		return fmt.Errorf("%s: %w", fn.Name, err)
	}
	for _, ev := range fn.S3Events {
		target, _ := template.RefTarget(ev.Bucket)
		bucket, ok := refs[target]
		if !ok {
			return fmt.Errorf("%s: S3 event %s: bucket %q has no local value", fn.LogicalID, ev.Event, ev.Bucket)
		}
		store.Subscribe(S3Subscription{
			Name: fn.Name, Bucket: bucket, Events: ev.Events, Prefix: ev.Prefix, Suffix: ev.Suffix,
			Invoke: func(ctx context.Context, e events.S3Event) error { return h(ctx, e) },
		})
	}
	return nil
}
