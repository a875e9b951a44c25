package schedules

import (
	"slices"
	"sort"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

func sortedTitles(ns []bot.Notice) []bot.Notice {
	sort.Slice(ns, func(i, j int) bool { return ns[i].Reply.Title < ns[j].Reply.Title })
	return ns
}

func TestNudgesDueOverdueStale(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-10-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Hire two" theme:apprenticeships target:2 due:2026-11-25`) // #1 due tomorrow
	e.MustDo("alice", `/pledge add "Buy local" theme:buy-local target:100 due:2026-12-01`)    // #2 due in 7 days
	e.MustDo("alice", `/pledge add "Volunteer" theme:volunteering target:40 due:2026-11-20`)  // #3 overdue
	e.MustDo("alice", `/pledge add "Far off" theme:carbon target:5`)                          // #4 quiet since 1 Oct: past the stale window
	e.at(t, "2026-10-20 12:00")
	e.MustDo("alice", `/pledge add "Schools" theme:schools target:3`) // #5 stale: no progress for 35 days
	e.MustDo("alice", `/pledge add "Later" theme:waste target:1 due:2027-06-01`)
	e.at(t, "2026-11-20 12:00")
	e.MustDo("alice", "/pledge progress 6 1") // #6 recent: no nudge

	e.at(t, "2026-11-24 10:00") // Tuesday
	r := e.run(t, JobNudges)
	if r.Enqueued != 4 || r.Sent != 4 {
		t.Fatalf("result %v, want 4 enqueued and sent", r)
	}
	sent := sortedTitles(e.rec.take())
	wantTitles(t, sent,
		"No progress on pledge #5 for 30 days",
		"Pledge #1 is due tomorrow (Wednesday 25 November)",
		"Pledge #2 is due in 7 days (Tuesday 1 December)",
		"Pledge #3 was due on Friday 20 November")
	for _, n := range sent {
		if n.To.User != "alice" || n.To.Channel != "" || n.To.Platform != bot.Console {
			t.Errorf("%q went to %+v, want a direct message to alice", n.Reply.Title, n.To)
		}
		var cmds []string
		for _, a := range n.Reply.Actions {
			cmds = append(cmds, a.Command)
		}
		num := n.Reply.Items[0].Title[1:2]
		want := []string{"pledge progress " + num, "pledge done " + num, "pledge snooze " + num + " 7d"}
		if !slices.Equal(cmds, want) {
			t.Errorf("%q actions %v, want %v", n.Reply.Title, cmds, want)
		}
	}

	// Same day again: the run key says it ran.
	if r := e.run(t, JobNudges); r.Skipped == "" || r.Sent != 0 {
		t.Fatalf("second run the same day: %v", r)
	}
	// Next day: every nudge was already sent for its due date, week or quiet spell.
	e.at(t, "2026-11-25 10:00")
	if r := e.run(t, JobNudges); r.Enqueued != 0 {
		t.Fatalf("next day: %v, sent %v", r, titles(e.rec.take()))
	}
	// Next Monday: #1 is now overdue, #2 due tomorrow, #3 overdue in a new week.
	e.at(t, "2026-11-30 10:00")
	e.run(t, JobNudges)
	wantTitles(t, sortedTitles(e.rec.take()),
		"Pledge #1 was due on Wednesday 25 November",
		"Pledge #2 is due tomorrow (Tuesday 1 December)",
		"Pledge #3 was due on Friday 20 November")
}

func TestNudgesSnoozePauseOff(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-20 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Hire two" theme:apprenticeships target:2 due:2026-11-25`)
	e.MustDo("bob", "/business register Bakery")
	e.MustDo("bob", `/pledge add "Buy flour locally" theme:buy-local target:100 due:2026-11-25`)
	e.MustDo("carol", "/business register Cafe")
	e.MustDo("carol", `/pledge add "Volunteer" theme:volunteering target:10 due:2026-11-25`)

	e.MustFail("bob", "/pledge snooze 1 7d", bot.Forbidden)
	e.MustFail("alice", "/pledge snooze 1 soon", bot.Invalid)
	e.MustFail("alice", "/pledge snooze 1 2y", bot.Invalid)
	e.MustFail("alice", "/pledge snooze 99 7d", bot.NotFound)
	e.MustDo("alice", "/pledge snooze 1 7d")
	e.MustFail("bob", "/nudges pause until:2026-11-20", bot.Invalid)
	e.MustDo("bob", "/nudges pause until:2026-11-30")
	e.MustDo("carol", "/nudges off")

	e.at(t, "2026-11-24 10:00")
	if r := e.run(t, JobNudges); r.Sent != 0 {
		t.Fatalf("snoozed, paused and off still nudged: %v", titles(e.rec.take()))
	}
	// Carol turns them back on; alice's snooze and bob's pause end.
	e.MustDo("carol", "/nudges on")
	e.at(t, "2026-11-30 10:00")
	e.run(t, JobNudges)
	wantTitles(t, sortedTitles(e.rec.take()),
		"Pledge #1 was due on Wednesday 25 November",
		"Pledge #2 was due on Wednesday 25 November",
		"Pledge #3 was due on Wednesday 25 November")
}

func TestNudgesWeekendsAndHours(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-20 09:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Hire two" theme:apprenticeships target:2 due:2026-11-29`) // a Sunday

	e.at(t, "2026-11-27 19:30") // Friday evening
	if r := e.run(t, JobNudges); r.Skipped == "" || r.Sent != 0 {
		t.Fatalf("outside hours: %v", r)
	}
	e.at(t, "2026-11-28 10:00") // Saturday
	if r := e.run(t, JobNudges); r.Skipped == "" || r.Sent != 0 {
		t.Fatalf("weekend: %v", r)
	}
	// Friday's sweep is the last before the Sunday due date.
	e.at(t, "2026-11-27 10:00")
	e.run(t, JobNudges)
	wantTitles(t, e.rec.take(), "Pledge #1 is due on Sunday 29 November")

	// Configured for weekends and early hours, Saturday works.
	w := setup(t, config.Schedules{Nudge: config.Nudge{Weekends: true, From: "07:00", Until: "21:00"}})
	w.at(t, "2026-11-20 09:00")
	w.MustDo("alice", "/business register Acme")
	w.MustDo("alice", `/pledge add "Hire two" theme:apprenticeships target:2 due:2026-11-29`)
	w.at(t, "2026-11-28 07:30")
	w.run(t, JobNudges)
	wantTitles(t, w.rec.take(), "Pledge #1 is due tomorrow (Sunday 29 November)")
}

// Someone who has left the business gets no more nudges about its pledges:
// they go to an owner instead.
func TestNudgesSkipPeopleWhoLeft(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-20 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", "/business add-member bob")
	e.MustDo("bob", `/pledge add "Hire two" theme:apprenticeships target:2 due:2026-11-25`)
	e.MustDo("alice", "/business remove-member bob")
	e.at(t, "2026-11-24 10:00")
	e.run(t, JobNudges)
	sent := e.rec.take()
	if len(sent) != 1 || sent[0].To.User != "alice" {
		t.Fatalf("nudges %+v, want one to alice", sent)
	}
}
