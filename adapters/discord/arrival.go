package discord

import (
	"context"
	"time"
)

// Discord's 3 s for the first answer run from when it sent the
// interaction, not from when a goroutine of ours got round to it: under
// load a request can wait to be read, verified, decoded or scheduled. So
// the time an interaction reached the adapter travels with its context and
// every first-answer budget (the deferred answer, autocomplete) counts
// from it.

type arrivalKey struct{}

// withArrival records that the interaction handled under ctx arrived at t
// (time.Now, not the adapter's settable clock: budgets need the monotonic
// clock).
func withArrival(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, arrivalKey{}, t)
}

// firstAnswerBy is when the first answer to the interaction of ctx is due:
// budget after its arrival, or after now when ctx does not say.
func firstAnswerBy(ctx context.Context, budget time.Duration) time.Time {
	t, ok := ctx.Value(arrivalKey{}).(time.Time)
	if !ok {
		t = time.Now()
	}
	return t.Add(budget)
}
