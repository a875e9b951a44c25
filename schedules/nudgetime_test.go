package schedules

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// tickThrough runs the five-minute tick from one UTC time to another and
// returns, per person, the UTC times their messages were sent.
func (e *env) tickThrough(t *testing.T, from, to time.Time) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	for at := from; at.Before(to); at = at.Add(tickEvery) {
		e.Clock.Set(at)
		if _, err := e.sched.Tick(context.Background(), e.Community(), at); err != nil {
			t.Fatal(err)
		}
		for _, n := range e.rec.take() {
			got[n.To.User] = append(got[n.To.User], at.UTC().Format("Mon 02 15:04Z"))
		}
	}
	return got
}

// A person's own time and zone decide when their nudge arrives; others
// keep the community's sweep. Setting them is checked and refused clearly.
func TestNudgesOwnTimeAndZone(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-20 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", "/business add-member @bob role:owner")
	e.MustDo("alice", `/pledge add "Hire two" theme:apprenticeships target:2 due:2026-11-25`)
	for _, bad := range []string{"/nudges time 25:00", "/nudges time 8.30", "/nudges time soon", "/nudges time 08:3"} {
		if msg := e.MustFail("alice", bad, bot.Invalid); !strings.Contains(msg, "HH:MM") {
			t.Errorf("%s: %s", bad, msg)
		}
	}
	for _, bad := range []string{"/nudges timezone Europe/Dubln", "/nudges timezone Local", "/nudges timezone ../../etc/passwd", "/nudges timezone GMT+1!"} {
		if msg := e.MustFail("alice", bad, bot.Invalid); !strings.Contains(msg, "IANA") {
			t.Errorf("%s: %s", bad, msg)
		}
	}
	e.MustDo("alice", "/nudges time 07:15")
	e.MustDo("alice", "/nudges timezone America/New_York")
	out := e.MustDo("alice", "/nudges")
	for _, want := range []string{"Time: 07:15", "Time zone: America/New_York", "Next reminder: Fri 20 Nov 2026 07:15 EST"} {
		if !strings.Contains(out, want) {
			t.Fatalf("/nudges lacks %q:\n%s", want, out)
		}
	}
	// Tuesday 24 November: the community sweep at 10:00 London nudges bob;
	// alice's 07:15 in New York is 12:15 in London.
	e.at(t, "2026-11-24 10:00")
	e.run(t, JobNudges)
	if got := byUser(e.rec.take()); len(got) != 1 || got["bob"] == "" {
		t.Fatalf("community sweep sent %v, want bob only", got)
	}
	got := e.tickThrough(t, local(t, "2026-11-24 10:00"), local(t, "2026-11-25 10:00"))
	if fmt.Sprint(got) != "map[alice:[Tue 24 12:15Z]]" {
		t.Fatalf("ticks sent %v, want alice at 07:15 New York (12:15Z)", got)
	}
	// Back to the community's: the tick has nobody to look for.
	e.MustDo("alice", "/nudges time default")
	e.MustDo("alice", "/nudges timezone default")
	if out := e.MustDo("alice", "/nudges"); !strings.Contains(out, "Time: the community's") || !strings.Contains(out, "Time zone: the community's") {
		t.Fatalf("after default:\n%s", out)
	}
	if n := e.Redis.HLen(context.Background(), e.Prefix+":{"+e.Community()+"}:nudge-when").Val(); n != 0 {
		t.Fatalf("%d own times kept after default", n)
	}
}

// A person's own 08:30 London arrives at 08:30 local on every day around
// both 2026 clock changes (29 March, 25 October): 08:30Z in winter, 07:30Z
// in summer, once a day. A 01:30 slot arrives once on both change days:
// on the spring Sunday 01:30 does not exist and it comes at 01:30Z (02:30
// BST); on the autumn Sunday 01:30 happens twice and it comes once, the
// second time (01:30 GMT).
func TestNudgesOwnTimeAcrossDST(t *testing.T) {
	for _, tc := range []struct{ name, from, to, want string }{
		{"march", "2026-03-27 00:00", "2026-03-31 00:00",
			"map[early:[Fri 27 01:30Z Sat 28 01:30Z Sun 29 01:30Z Mon 30 00:30Z] morning:[Fri 27 08:30Z Sat 28 08:30Z Sun 29 07:30Z Mon 30 07:30Z]]"},
		{"october", "2026-10-23 00:00", "2026-10-27 00:00",
			"map[early:[Fri 23 00:30Z Sat 24 00:30Z Sun 25 01:30Z Mon 26 01:30Z] morning:[Fri 23 07:30Z Sat 24 07:30Z Sun 25 08:30Z Mon 26 08:30Z]]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, config.Schedules{Nudge: config.Nudge{Weekends: true}})
			start := local(t, tc.from)
			e.Clock.Set(start.AddDate(0, 0, -20))
			e.MustDo("morning", "/business register Acme")
			e.MustDo("morning", "/business add-member @early role:owner")
			// A pledge due each day: every day has something new to say.
			for i := 1; i <= 6; i++ {
				e.MustDo("morning", fmt.Sprintf(`/pledge add "Day %d" theme:carbon target:1 due:%s`, i, start.AddDate(0, 0, i).Format(time.DateOnly)))
			}
			e.MustDo("morning", "/nudges time 08:30")
			e.MustDo("morning", "/nudges timezone Europe/London")
			e.MustDo("early", "/nudges time 01:30")
			got := e.tickThrough(t, start, local(t, tc.to))
			if fmt.Sprint(got) != tc.want {
				t.Fatalf("sent at\n  %v\nwant\n  %v", got, tc.want)
			}
		})
	}
}
