package schedules

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/config"
)

// A correction counts in the digest of the week it was made: the week's
// delivered change is how far it moved the totals.
func TestDigestCountsCorrectionsInTheirWeek(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-10 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Volunteer" theme:volunteering target:40`)
	e.MustDo("alice", `/pledge progress 1 100`) // a typo, the week before
	e.at(t, "2026-11-17 12:00")
	e.MustDo("alice", `/pledge correct 1 10 meant ten`)
	e.MustDo("alice", `/pledge progress 1 2`)
	e.subscribeDigest(t)
	text := weeklyDigest(t, e, "2026-11-23 09:00")
	// Delivered to date 12; this week -90 + 2 = -88; the week before +100.
	want := "staff volunteering: committed 40 hours (+0, +40) · delivered 12 hours (-88, +100)"
	if !strings.Contains(text, want) {
		t.Errorf("digest lacks %q:\n%s", want, text)
	}
}
