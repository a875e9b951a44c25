package schedules

import (
	"context"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// Store is what the jobs ask of the store, and nothing more: *store.Store
// satisfies it, and wiring passes one in. Declaring it here keeps the
// scheduler's reach into the store in one list, and lets a test hand it
// something smaller. It includes DecisionSource, the digest's s172 reading.
type Store interface {
	DecisionSource

	Communities(ctx context.Context) ([]string, error)
	RunDone(ctx context.Context, c, run string) (bool, error)
	Enqueue(ctx context.Context, c, run string, runTTL, ttl time.Duration, items []store.Outgoing) (int, error)

	// The digest.
	DigestChannels(ctx context.Context, c string) ([]bot.Recipient, error)
	DigestData(ctx context.Context, c string, from, end, overdueBefore, quietBefore time.Time, limit int) (store.DigestData, error)
	Needs(ctx context.Context, c string) ([]bot.Need, error)

	// The weekly "needs near you" message.
	NeedNudgees(ctx context.Context, c string) ([]store.NeedNudgee, map[int]store.NeedNudgeBusiness, error)
	Partners(ctx context.Context, c string) ([]bot.Partner, error)

	// Nudges and lapses.
	HasOwnNudgeTimes(ctx context.Context, c string) (bool, error)
	NudgeCandidates(ctx context.Context, c string, dueFrom, dueTo, updFrom, updTo time.Time) ([]store.NudgeCandidate, map[bot.Identity]store.Nudgee, error)
	NudgeSetting(ctx context.Context, c string, who bot.Identity) (bot.NudgeSetting, error)
	EnqueueNudges(ctx context.Context, c string, ttl time.Duration, msgs []store.NudgeMessage) (int, error)
	LapseDue(ctx context.Context, c string, cutoff, at time.Time) ([]int, error)
	Told(ctx context.Context, c string, ns []int) error

	// The outbox.
	OutboxPending(ctx context.Context, c, consumer, after string, count int) ([]store.OutboxEntry, error)
	OutboxClaim(ctx context.Context, c, consumer string, minIdle time.Duration, cursor string, count int) ([]store.OutboxEntry, string, error)
	OutboxNew(ctx context.Context, c, consumer string, count int) ([]store.OutboxEntry, error)
	OutboxDone(ctx context.Context, c string, ids ...string) error
	OutboxFailed(ctx context.Context, c, id string) (int, error)
	OutboxDead(ctx context.Context, c string, e store.OutboxEntry, reason string) error
}

// The store the server wires in must keep satisfying Store.
var _ Store = (*store.Store)(nil)
