package schedules

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// digestParts runs the weekly digest at a London wall time and returns
// all it sent to the console channel, parts joined.
func digestParts(t *testing.T, e *env, at string) string {
	t.Helper()
	e.at(t, at)
	e.run(t, JobDigest)
	var parts []string
	for _, n := range e.rec.take() {
		parts = append(parts, bot.PlainText(n.Reply))
	}
	if len(parts) == 0 {
		t.Fatal("no digest sent")
	}
	return strings.Join(parts, "\n")
}

// needMetAt is need:N's met_at field as stored ("" when absent).
func needMetAt(t *testing.T, e *env, n int) string {
	t.Helper()
	v, _ := e.Redis.HGet(context.Background(), fmt.Sprintf("%s:{%s}:need:%d", e.Prefix, e.Community(), n), "met_at").Result()
	return v
}

// The digest of 16 to 22 Nov lists the open needs (ten, then "and 1
// more") and the needs met in that week, figures worked out by hand.
func TestDigestNeeds(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-10 12:00")
	e.MustDo("fb", "/partner register Food Bank area:CB1")
	e.MustDo("acme", "/business register Acme")
	e.MustDo("bolt", "/business register Bolt")
	for i := 1; i <= 10; i++ { // needs #1 to #10, nothing pledged
		e.MustDo("fb", fmt.Sprintf("/need post Spare %d theme:volunteering target:1", i))
	}
	// #11: met on 10 Nov, the week before: in neither list.
	e.MustDo("fb", "/need post Old need theme:volunteering target:10")
	e.MustDo("acme", "/pledge add Old help theme:volunteering target:10 need:11") // pledge #1
	e.MustDo("acme", "/pledge progress 1 10")
	if needMetAt(t, e, 11) == "" {
		t.Fatal("need #11 met (10 of 10) has no met_at")
	}
	// #12: met on 17 Nov (25 + 15 = 40 of 40), then a correction of the
	// 15 to 5 on 18 Nov takes it back to 30 of 40: open, not met.
	e.at(t, "2026-11-17 12:00")
	e.MustDo("fb", "/need post Saturday shifts theme:volunteering target:40")
	e.MustDo("acme", "/pledge add Saturdays theme:volunteering target:40 need:12") // pledge #2
	e.MustDo("acme", "/pledge progress 2 25")
	e.MustDo("acme", "/pledge progress 2 15")
	if needMetAt(t, e, 12) == "" {
		t.Fatal("need #12 met (40 of 40) has no met_at")
	}
	e.at(t, "2026-11-18 12:00")
	e.MustDo("acme", "/pledge correct 2 5 entry:2 miscounted")
	if v := needMetAt(t, e, 12); v != "" {
		t.Fatalf("need #12 back to 30 of 40 keeps met_at %s", v)
	}
	// #13: two businesses meet it on 20 Nov: 3 + 5 = 8 of 8 (pledged 6 +
	// 4 = 10).
	e.MustDo("fb", "/need post Sunday help theme:volunteering target:8")
	e.MustDo("acme", "/pledge add Sundays theme:volunteering target:6 need:13")     // pledge #3
	e.MustDo("bolt", "/pledge add Sundays too theme:volunteering target:4 need:13") // pledge #4
	e.at(t, "2026-11-19 12:00")
	e.MustDo("acme", "/pledge progress 3 3")
	e.at(t, "2026-11-20 12:00")
	e.MustDo("bolt", "/pledge progress 4 5")
	// #14: met at 08:00 on 23 Nov, after the week the 09:00 digest covers.
	e.MustDo("fb", "/need post Late help theme:volunteering target:2")
	e.MustDo("acme", "/pledge add Late theme:volunteering target:2 need:14") // pledge #5
	e.at(t, "2026-11-23 08:00")
	e.MustDo("acme", "/pledge progress 5 2")

	e.subscribeDigest(t)
	text := digestParts(t, e, "2026-11-23 09:00")
	// Open, newest first: #12 (pledged 40, delivered 25 + 5 = 30), then
	// #10 to #2; #1 is the eleventh.
	open := "Open needs\n  #12 Saturday shifts · volunteering · pledged 40 hours, delivered 30 hours of 40 hours\n" +
		"  #10 Spare 10 · volunteering · pledged 0 hours, delivered 0 hours of 1 hour\n"
	met := "Needs met this week\n  #13 Sunday help · volunteering · pledged 10 hours, delivered 8 hours of 8 hours"
	for _, want := range []string{open, "#2 Spare 2 ·", "… and 1 more (/need list)", met} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"#1 Spare 1 ·", "#11 Old need", "#14 Late help"} {
		if strings.Contains(text, not) {
			t.Errorf("digest has %q:\n%s", not, text)
		}
	}
	// Withdrawing Bolt's pledge #4 takes #13 back to 3 of 8, and deleting
	// Acme takes #14 back to 0 of 2: neither is met any more.
	e.MustDo("bolt", "/pledge withdraw 4 confirm")
	e.MustDo("acme", "/business delete 1 confirm")
	for _, n := range []int{13, 14} {
		if v := needMetAt(t, e, n); v != "" {
			t.Errorf("need #%d below its target keeps met_at %s", n, v)
		}
	}
}

// Open needs are standing information: a week with nothing else but
// them (and the running totals) is still "A quiet week"; a week in which
// a need is met is not.
func TestDigestQuietWeekWithOpenNeeds(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-10 12:00")
	e.MustDo("fb", "/partner register Food Bank area:CB1")
	e.MustDo("acme", "/business register Acme")
	e.MustDo("acme", "/pledge add Hours theme:volunteering target:10") // pledge #1
	e.MustDo("acme", "/pledge progress 1 2")
	e.MustDo("fb", "/need post Help theme:volunteering target:5")
	e.subscribeDigest(t)
	const quiet = "A quiet week: nothing was pledged, logged or completed."

	// 16 to 22 Nov: nothing happened; need #1 is open.
	text := digestParts(t, e, "2026-11-23 09:00")
	for _, want := range []string{quiet, "Open needs\n  #1 Help", "volunteering: committed 10 hours"} {
		if !strings.Contains(text, want) {
			t.Errorf("quiet week's digest lacks %q:\n%s", want, text)
		}
	}
	// 23 to 29 Nov: need #1 is met (5 of 5): not quiet.
	e.at(t, "2026-11-24 12:00")
	e.MustDo("acme", "/pledge add More theme:volunteering target:5 need:1") // pledge #2
	e.MustDo("acme", "/pledge progress 2 5")
	text = digestParts(t, e, "2026-11-30 09:00")
	if !strings.Contains(text, "Needs met this week\n  #1 Help") || strings.Contains(text, quiet) {
		t.Errorf("a week in which a need was met: want it listed and no quiet-week line:\n%s", text)
	}
}
