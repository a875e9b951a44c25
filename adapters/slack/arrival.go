package slack

import (
	"context"
	"time"
)

// Slack's 3 s for an acknowledgement run from when it sent the request,
// not from when a goroutine of ours got round to it: under load a request
// can wait to be read, verified, parsed or scheduled. So the time a request
// reached the adapter travels with its context and every acknowledgement
// budget (slash commands, modal submissions, events) counts from it.

type arrivalKey struct{}

// withArrival records that the request handled under ctx arrived at t
// (time.Now, not the adapter's settable clock: budgets need the monotonic
// clock).
func withArrival(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, arrivalKey{}, t)
}

// answerBy is when the acknowledgement of the request of ctx is due:
// budget after its arrival, or after now when ctx does not say.
func answerBy(ctx context.Context, budget time.Duration) time.Time {
	t, ok := ctx.Value(arrivalKey{}).(time.Time)
	if !ok {
		t = time.Now()
	}
	return t.Add(budget)
}
