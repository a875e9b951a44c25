package schedules

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// The digest's cron schedule, stepped with a fake schedule clock through
// the weeks around both 2026 clock changes in Europe/London (29 March,
// 25 October), fires at 09:00 local every Monday: 09:00 UTC in winter,
// 08:00 UTC in summer.
func TestDigestScheduleAcrossDST(t *testing.T) {
	e := setup(t, config.Schedules{})
	sched, err := e.sched.Schedule(JobDigest, e.Community())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from string
		want []string // UTC
	}{
		{"2026-03-16 12:00", []string{"2026-03-23T09:00:00Z", "2026-03-30T08:00:00Z", "2026-04-06T08:00:00Z"}},
		{"2026-10-12 12:00", []string{"2026-10-19T08:00:00Z", "2026-10-26T09:00:00Z", "2026-11-02T09:00:00Z"}},
	} {
		clock := local(t, tc.from)
		var got []string
		for range tc.want {
			clock = sched.Next(clock)
			if l := clock.In(london); l.Weekday() != time.Monday || l.Hour() != 9 || l.Minute() != 0 {
				t.Errorf("fired at %s local, want Monday 09:00", l)
			}
			got = append(got, clock.UTC().Format(time.RFC3339))
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("from %s: fired %v, want %v", tc.from, got, tc.want)
		}
	}
	// Another zone for one community: New York's 09:00.
	ny := setup(t, config.Schedules{Timezones: map[string]string{"console-local": "America/New_York"}})
	s, _ := ny.sched.Schedule(JobDigest, "console-local")
	if got := s.Next(local(t, "2026-11-23 00:00")).UTC(); got.Format(time.RFC3339) != "2026-11-23T14:00:00Z" {
		t.Errorf("New York digest at %s", got)
	}
}

// Driving the digest job at each firing across a clock change: each week's
// digest goes out once, and its week runs from the previous Monday 09:00
// local time (167 or 169 hours), so activity late on the Sunday of the
// change lands in the right week.
func TestDigestWeeksAcrossDST(t *testing.T) {
	for _, tc := range []struct{ name, setup, sunday, mondays string }{
		{"march", "2026-03-16 12:00", "2026-03-29 23:30", "2026-03-23 09:00,2026-03-30 09:00,2026-04-06 09:00"},
		{"october", "2026-10-12 12:00", "2026-10-25 23:30", "2026-10-19 09:00,2026-10-26 09:00,2026-11-02 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, config.Schedules{})
			e.at(t, tc.setup)
			e.MustDo("alice", "/business register Acme")
			e.MustDo("alice", `/pledge add "Hire two" theme:apprenticeships target:2`)
			e.MustDo("admin", "/digest subscribe")
			mondays := strings.Split(tc.mondays, ",")
			// Progress just after the first Monday's digest, and late on
			// the Sunday of the change: both belong to the second week.
			e.Clock.Set(local(t, mondays[0]).Add(30 * time.Minute))
			e.MustDo("alice", "/pledge progress 1 1")
			e.at(t, tc.sunday)
			e.MustDo("alice", "/pledge progress 1 0.5")
			sched, _ := e.sched.Schedule(JobDigest, e.Community())
			clock := local(t, tc.setup)
			for i, want := range mondays {
				clock = sched.Next(clock)
				if !clock.Equal(local(t, want)) {
					t.Fatalf("firing %d at %s, want %s", i, clock, want)
				}
				e.Clock.Set(clock)
				for range 2 { // a re-run in the same week sends nothing
					e.run(t, JobDigest)
				}
				got := e.rec.take()
				if len(got) != 1 {
					t.Fatalf("%s: %d digests sent", want, len(got))
				}
				updates := fieldValue(got[0].Reply.Fields, "Progress updates")
				wantUpdates := []string{"0 on 0 pledges (week before: 0)", "2 on 1 pledge (week before: 0)", "0 on 0 pledges (week before: 2)"}[i]
				if updates != wantUpdates {
					t.Errorf("%s: progress updates %q, want %q", want, updates, wantUpdates)
				}
			}
		})
	}
}

func TestNudgeSweepScheduleWeekdays(t *testing.T) {
	e := setup(t, config.Schedules{})
	sched, _ := e.sched.Schedule(JobNudges, e.Community())
	clock := local(t, "2026-03-27 12:00") // Friday before the March change
	var got []string
	for range 3 {
		clock = sched.Next(clock)
		got = append(got, clock.In(london).Format("Mon 15:04"))
	}
	if strings.Join(got, ",") != "Mon 10:00,Tue 10:00,Wed 10:00" {
		t.Errorf("nudge sweeps %v", got)
	}
	if _, err := New(Options{Store: e.Store, Bot: e.Bot, Config: config.Schedules{Digest: "every monday"}}); err == nil {
		t.Error("a bad cron spec was accepted")
	}
	if _, err := New(Options{Store: e.Store, Bot: e.Bot, Config: config.Schedules{Timezones: map[string]string{"x": "Mars/Base"}}}); err == nil {
		t.Error("a bad time zone was accepted")
	}
	if _, err := New(Options{Store: e.Store, Bot: e.Bot, Config: config.Schedules{Timezones: map[string]string{"a}:{b": "Europe/Paris"}}}); err == nil {
		t.Error("a community id that would break the key hash tag was accepted")
	}
	if _, err := New(Options{Store: e.Store, Bot: e.Bot, Config: config.Schedules{Nudge: config.Nudge{From: "18:00", Until: "09:00"}}}); err == nil {
		t.Error("nudge hours ending before they start were accepted")
	}
}

// A cron entry per time zone runs the job for that zone's communities only.
func TestFireRunsTheZonesCommunities(t *testing.T) {
	e := setup(t, config.Schedules{Timezones: map[string]string{"nyc": "America/New_York"}})
	ctx := context.Background()
	for _, c := range []string{e.Community(), "nyc"} {
		if _, err := e.Store.SubscribeDigest(ctx, c, bot.Recipient{Platform: bot.Console, Workspace: "local", Channel: "news-" + c}, true); err != nil {
			t.Fatal(err)
		}
	}
	e.at(t, "2026-11-23 09:00")
	e.sched.fire(ctx, JobDigest, "Europe/London")
	got := e.rec.take()
	if len(got) != 1 || got[0].To.Channel != "news-"+e.Community() {
		t.Fatalf("London firing sent %+v", got)
	}
	e.Clock.Set(time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)) // 09:00 in New York
	e.sched.fire(ctx, JobDigest, "America/New_York")
	got = e.rec.take()
	if len(got) != 1 || got[0].To.Channel != "news-nyc" {
		t.Fatalf("New York firing sent %+v", got)
	}
	// Start stops with its context, after catching up.
	stop, cancel := context.WithCancel(ctx)
	cancel()
	if err := e.sched.Start(stop); err != nil {
		t.Fatal(err)
	}
}
