package bot

import (
	"context"
	"time"
)

// Event kinds written by scheduled jobs and /pledge snooze.
const (
	EventLapsed  = "lapsed"
	EventSnoozed = "snoozed"
)

// ScheduleStore keeps what people choose about nudges and digests.
type ScheduleStore interface {
	// SnoozePledge stops nudges about an active pledge until a time.
	SnoozePledge(ctx context.Context, community string, actor Actor, n int, until time.Time, reqID string) (Pledge, error)
	// SetNudges turns a person's nudges off, pauses them until a time, or
	// (neither) turns them back on.
	SetNudges(ctx context.Context, community string, who Identity, off bool, pauseUntil time.Time) error
	// SetNudgeWhen sets one part of when a person's nudges arrive: part
	// "clock" ("HH:MM") or "zone" (an IANA name); "" is the community's.
	SetNudgeWhen(ctx context.Context, community string, who Identity, part, value string) error
	// NudgeSetting reads a person's choices.
	NudgeSetting(ctx context.Context, community string, who Identity) (NudgeSetting, error)
	// SetNeedNudges opts a person in to (on) or out of the weekly "needs
	// near you" message; on twice is on.
	SetNeedNudges(ctx context.Context, community string, who Identity, on bool) error
	// SubscribeDigest adds (on) or removes a channel from the weekly digest
	// and reports whether anything changed.
	SubscribeDigest(ctx context.Context, community string, to Recipient, on bool) (bool, error)
}

// CanDeliver reports whether an adapter for platform p is running in this
// process, so a scheduler leaves other platforms' notices to a replica that
// has one.
func (b *Bot) CanDeliver(p Platform) bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	_, ok := b.senders[p]
	return ok
}

// NudgeSetting is what a person chose about their nudges.
type NudgeSetting struct {
	Off        bool
	PauseUntil time.Time // zero when not paused
	Clock      string    // "HH:MM", "" for the community's time
	Zone       string    // IANA time zone, "" for the community's
	Needs      bool      // opted in to the weekly "needs near you" message
}
