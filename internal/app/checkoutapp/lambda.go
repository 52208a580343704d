package checkoutapp

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/boxofficehq/boxoffice/internal/platform/lambdaapp"
)

// Lambda is the handler lambda.Start receives: the function serves HTTP API (v2) requests
// and the schedule's events (EventBridge "Scheduled Event"), told apart by their shape.
func (a App) Lambda(log *slog.Logger) func(ctx context.Context, raw json.RawMessage) (any, error) {
	httpLambda := lambdaapp.NewHTTPLambda(a.Router)
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		var probe struct {
			RouteKey   string `json:"routeKey"`
			DetailType string `json:"detail-type"`
			Source     string `json:"source"`
		}
		if err := json.Unmarshal(raw, &probe); err != nil {
			return nil, err
		}
		switch {
		case probe.RouteKey != "":
			var req events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(raw, &req); err != nil {
				return nil, err
			}
			return httpLambda(ctx, req)
		case probe.DetailType == "Scheduled Event" && probe.Source == "aws.events":
			res, err := a.Sweep(ctx)
			if err != nil {
				// An error makes the schedule's next run try again; nothing was half-done.
				log.ErrorContext(ctx, "sweep of expired reservations failed", "error", err.Error(), "expired", res.Expired)
				return nil, err
			}
			log.InfoContext(ctx, "sweep of expired reservations", "expired", res.Expired, "skipped", res.Skipped)
			return res, nil
		}
		return nil, errors.New("checkout: an event that is neither an HTTP API request nor a scheduled event")
	}
}
