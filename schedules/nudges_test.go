package schedules

import (
	"slices"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// lines is a nudge message as text: its headings and items, one a line.
func lines(n bot.Notice) string {
	var out []string
	for _, it := range n.Reply.Items {
		if it.Text == "" {
			out = append(out, it.Title)
			continue
		}
		out = append(out, "  "+it.Title+": "+it.Text)
	}
	return strings.Join(out, "\n")
}

// byUser is what each person was sent, their messages' lines joined.
func byUser(ns []bot.Notice) map[string]string {
	out := map[string]string{}
	for _, n := range ns {
		if out[n.To.User] != "" {
			out[n.To.User] += "\n--\n"
		}
		out[n.To.User] += lines(n)
	}
	return out
}

func wantLines(t *testing.T, got, want string) {
	t.Helper()
	if got != strings.TrimSpace(want) {
		t.Fatalf("sent:\n%s\nwant:\n%s", got, strings.TrimSpace(want))
	}
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
	if r.Enqueued != 1 || r.Sent != 1 {
		t.Fatalf("result %v, want one message enqueued and sent", r)
	}
	sent := e.rec.take()
	n := sent[0]
	if n.To.User != "alice" || n.To.Channel != "" || n.To.Platform != bot.Console {
		t.Errorf("went to %+v, want a direct message to alice", n.To)
	}
	if n.Reply.Title != "Your pledges" || !strings.HasPrefix(n.Reply.Text, "2 due soon · 1 overdue · 1 quiet.") {
		t.Errorf("title %q, text %q", n.Reply.Title, n.Reply.Text)
	}
	wantLines(t, lines(n), `
Due soon (2)
  #1 Hire two: Due tomorrow (Wed 25 Nov 2026)
  #2 Buy local: Due in 7 days (Tue 1 Dec 2026)
Overdue (1)
  #3 Volunteer: Was due Fri 20 Nov 2026
Quiet (1)
  #5 Schools: No progress for 35 days`)
	for _, it := range n.Reply.Items {
		if it.Text == "" {
			if it.Actions != nil || it.Progress != nil {
				t.Errorf("heading %q has buttons or progress", it.Title)
			}
			continue
		}
		var cmds []string
		for _, a := range it.Actions {
			cmds = append(cmds, a.Command)
		}
		num := it.Title[1:2]
		want := []string{"pledge progress " + num, "pledge done " + num, "pledge snooze " + num + " 7d"}
		if !slices.Equal(cmds, want) || it.Progress == nil {
			t.Errorf("%q actions %v, want %v (progress %v)", it.Title, cmds, want, it.Progress)
		}
	}

	// Same day again: alice had her message today.
	if r := e.run(t, JobNudges); r.Enqueued != 0 || r.Sent != 0 {
		t.Fatalf("second run the same day: %v", r)
	}
	// Next day: every item was already sent for its due date, week or quiet spell.
	e.at(t, "2026-11-25 10:00")
	if r := e.run(t, JobNudges); r.Enqueued != 0 {
		t.Fatalf("next day: %v, sent %v", r, byUser(e.rec.take()))
	}
	// Next Monday: #1 is now overdue, #2 due tomorrow, #3 overdue in a new week.
	e.at(t, "2026-11-30 10:00")
	e.run(t, JobNudges)
	wantLines(t, byUser(e.rec.take())["alice"], `
Due soon (1)
  #2 Buy local: Due tomorrow (Tue 1 Dec 2026)
Overdue (2)
  #3 Volunteer: Was due Fri 20 Nov 2026
  #1 Hire two: Was due Wed 25 Nov 2026`)
}

// The complaint: eleven quiet pledges made eleven messages. Now
// they make one, listing all eleven with their buttons.
func TestElevenQuietPledgesOneMessage(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-10-20 12:00")
	e.MustDo("alice", "/business register Acme")
	for range 11 {
		e.MustDo("alice", `/pledge add "Schools" theme:schools target:3`)
	}
	e.at(t, "2026-11-24 10:00")
	e.run(t, JobNudges)
	sent := e.rec.take()
	if len(sent) != 1 {
		t.Fatalf("sent %d messages, want 1", len(sent))
	}
	buttons := 0
	for _, it := range sent[0].Reply.Items {
		buttons += len(it.Actions)
	}
	if len(sent[0].Reply.Items) != 12 || buttons != 33 || !strings.HasPrefix(sent[0].Reply.Text, "11 quiet.") {
		t.Fatalf("items %d, buttons %d, text %q", len(sent[0].Reply.Items), buttons, sent[0].Reply.Text)
	}
}

// Nudges go to every owner of the business and to the pledge's maker while
// a member, each person once a run however many pledges concern them, and
// not to anyone who turned them off.
func TestNudgesOwnersAndMakerOnce(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-20 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", "/business add-member @bob")
	e.MustDo("alice", "/business add-member @carol role:owner")
	e.MustDo("alice", "/business add-member @dave role:owner")
	e.MustDo("bob", `/pledge add "Hire two" theme:apprenticeships target:2 due:2026-11-25`)
	e.MustDo("alice", `/pledge add "Buy local" theme:buy-local target:100 due:2026-11-25`)
	e.MustDo("dave", "/nudges off")
	e.at(t, "2026-11-24 10:00")
	e.run(t, JobNudges)
	got := byUser(e.rec.take())
	if len(got) != 3 {
		t.Fatalf("sent to %v, want alice, bob and carol", got)
	}
	both := `
Due soon (2)
  #1 Hire two: Due tomorrow (Wed 25 Nov 2026)
  #2 Buy local: Due tomorrow (Wed 25 Nov 2026)`
	wantLines(t, got["alice"], both)
	wantLines(t, got["carol"], both)
	wantLines(t, got["bob"], `
Due soon (1)
  #1 Hire two: Due tomorrow (Wed 25 Nov 2026)`)
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
		t.Fatalf("snoozed, paused and off still nudged: %v", byUser(e.rec.take()))
	}
	// Carol turns them back on; alice's snooze and bob's pause end.
	e.MustDo("carol", "/nudges on")
	e.at(t, "2026-11-30 10:00")
	e.run(t, JobNudges)
	got := byUser(e.rec.take())
	wantLines(t, got["alice"]+"\n"+got["bob"]+"\n"+got["carol"], `
Overdue (1)
  #1 Hire two: Was due Wed 25 Nov 2026
Overdue (1)
  #2 Buy flour locally: Was due Wed 25 Nov 2026
Overdue (1)
  #3 Volunteer: Was due Wed 25 Nov 2026`)
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
	wantLines(t, byUser(e.rec.take())["alice"], `
Due soon (1)
  #1 Hire two: Due Sun 29 Nov 2026`)

	// Configured for weekends and early hours, Saturday works.
	w := setup(t, config.Schedules{Nudge: config.Nudge{Weekends: true, From: "07:00", Until: "21:00"}})
	w.at(t, "2026-11-20 09:00")
	w.MustDo("alice", "/business register Acme")
	w.MustDo("alice", `/pledge add "Hire two" theme:apprenticeships target:2 due:2026-11-29`)
	w.at(t, "2026-11-28 07:30")
	w.run(t, JobNudges)
	wantLines(t, byUser(w.rec.take())["alice"], `
Due soon (1)
  #1 Hire two: Due tomorrow (Sun 29 Nov 2026)`)
}

// Someone who has left the business gets no more nudges about its pledges;
// its owners still do.
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

// /nudges with no arguments shows a person's setting, when the next
// reminder goes out, and what it would list: the pledges not yet told.
func TestNudgesStatusShowsWhatComesNext(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-20 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Hire two" theme:apprenticeships target:2 due:2026-11-25`)
	e.MustDo("alice", `/pledge add "Buy local" theme:buy-local target:100 due:2026-11-27`)
	e.at(t, "2026-11-24 09:00")
	out := e.MustDo("alice", "/nudges")
	for _, want := range []string{"Your reminders", "Reminders: on", "Next reminder: Tue 24 Nov 2026 10:00 GMT",
		"Due soon (2)", "#1 Hire two", "Due tomorrow (Wed 25 Nov 2026)", "#2 Buy local", "Due in 3 days (Fri 27 Nov 2026)"} {
		if !strings.Contains(out, want) {
			t.Fatalf("/nudges lacks %q:\n%s", want, out)
		}
	}
	e.at(t, "2026-11-24 10:00")
	e.run(t, JobNudges)
	e.rec.take()
	e.MustDo("alice", "/nudges pause until:2026-12-01")
	out = e.MustDo("alice", "/nudges")
	if !strings.Contains(out, "paused until Tue 1 Dec 2026") || !strings.Contains(out, "Next reminder: Wed 25 Nov 2026 10:00 GMT") ||
		!strings.Contains(out, "Nothing to remind you of") {
		t.Fatalf("after the sweep, paused:\n%s", out)
	}
	e.MustDo("alice", "/nudges off")
	if out = e.MustDo("alice", "/nudges"); !strings.Contains(out, "Reminders: off") {
		t.Fatalf("off:\n%s", out)
	}
}
