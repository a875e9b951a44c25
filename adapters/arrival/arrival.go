// Package arrival carries the time a platform request reached an adapter
// in its context. Slack's and Discord's 3 s for a first answer run from
// when the platform sent the request, not from when a goroutine of ours got
// round to it: under load a request can wait to be read, verified, parsed
// or scheduled, so every answer budget counts from the arrival.
//
// It imports only the standard library.
package arrival

import (
	"context"
	"time"
)

type key struct{}

// With records that the request handled under ctx arrived at t (time.Now,
// not an adapter's settable clock: budgets need the monotonic clock).
func With(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, key{}, t)
}

// By is when the first answer to the request of ctx is due: budget after
// its arrival, or after now when ctx does not say.
func By(ctx context.Context, budget time.Duration) time.Time {
	t, ok := ctx.Value(key{}).(time.Time)
	if !ok {
		t = time.Now()
	}
	return t.Add(budget)
}
