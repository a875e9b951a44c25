package commands_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/pledgetest"
)

// Dates read on the community's day, and dates that look back without a
// year: each case came from a review of the dates change meeting s172,
// nudges and reopening.
func TestDatesOnTheCommunitysDay(t *testing.T) {
	// 00:30 BST on Monday 29 March 2027 is still Sunday 28 March in UTC.
	t.Run("pause until today is not the future", func(t *testing.T) {
		h := pledgetest.New(t)
		h.MustDo("alice", `/business register "Acme Bakery"`)
		h.Clock.Set(time.Date(2027, 3, 28, 23, 30, 0, 0, time.UTC))
		if r := h.Do("alice", `/nudges pause until:today`); !strings.Contains(r, "until: Mon 29 Mar 2027 is not in the future") {
			t.Fatalf("until:today: %q", r)
		}
	})
	t.Run("reopen without due after the due day passed", func(t *testing.T) {
		h := pledgetest.New(t)
		h.MustDo("alice", `/business register "Acme Bakery"`)
		h.Clock.Set(time.Date(2027, 3, 27, 12, 0, 0, 0, time.UTC))
		h.MustDo("alice", `/pledge add "x" theme:carbon target:1 due:28/03/2027`)
		h.MustDo("alice", `/pledge done 1`)
		h.Clock.Set(time.Date(2027, 3, 28, 23, 30, 0, 0, time.UTC))
		if r := h.Do("alice", `/pledge reopen 1`); !strings.HasPrefix(r, "Sorry") {
			t.Fatalf("reopened with a due day already past in the community: %q", r)
		}
		h.MustDo("alice", `/pledge reopen 1 due:tomorrow`)
	})
}

func TestYearlessDatesThatLookBack(t *testing.T) {
	h := pledgetest.New(t) // Tue 24 Nov 2026
	h.MustDo("alice", `/business register "Acme Bakery"`)
	out := h.MustDo("alice", `/s172 log "New supplier" a:long-term cost date:20 November meeting:19 Nov`)
	if !strings.Contains(out, "Fri 20 Nov 2026") {
		t.Fatalf("date:20 November read on 24 Nov 2026:\n%s", out)
	}
	if show := h.MustDo("alice", "/s172 show 1"); !strings.Contains(show, "19 Nov 2026") {
		t.Fatalf("meeting:19 Nov:\n%s", show)
	}
	if r := h.Do("alice", `/s172 log "Later" a:cost meeting:2026-11-25`); !strings.Contains(r, "meeting: Wed 25 Nov 2026 is in the future") {
		t.Fatalf("a meeting tomorrow: %q", r)
	}
	// A year end typed in November 2026: the year that ended on 31 March 2026.
	st := h.MustDo("alice", `/s172 statement year-end:31 March`)
	if !strings.Contains(st, "1 Apr 2025 to 31 Mar 2026") {
		t.Fatalf("year-end:31 March read on 24 Nov 2026:\n%s", st)
	}
	// A due date still looks forward.
	if r := h.MustDo("alice", `/pledge add "Plant" theme:carbon target:1 due:20 November`); !strings.Contains(r, "due Sat 20 Nov 2027") {
		t.Fatalf("due:20 November:\n%s", r)
	}
}

// A two-digit number after a date that is whole without it, with text
// after, stays in the text: it may be a count, not a year.
func TestDateLeavesACountToTheText(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register "Acme Bakery"`)
	out := h.MustDo("alice", `/pledge add theme:volunteering target:10 due:1 March 27 volunteers at the food bank`)
	if !strings.Contains(out, "27 volunteers at the food bank") || !strings.Contains(out, "due Mon 1 Mar 2027") {
		t.Fatalf("the 27 was taken as a year:\n%s", out)
	}
	out = h.MustDo("alice", `/pledge add "Trees" theme:carbon target:1 due:5 Mar 28`)
	if !strings.Contains(out, "due Sun 5 Mar 2028") {
		t.Fatalf("a two-digit year ending the line:\n%s", out)
	}
}
