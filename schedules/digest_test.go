package schedules

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

func fieldValue(fs []bot.Field, label string) string {
	for _, f := range fs {
		if f.Label == label {
			return f.Value
		}
	}
	return ""
}

type decisions struct{ from, to time.Time }

func (d *decisions) S172Decisions(_ context.Context, _ string, from, to time.Time) ([]string, int, error) {
	d.from, d.to = from, to
	return []string{"Move to a local supplier"}, 2, nil
}

func TestDigestContent(t *testing.T) {
	e := setup(t, config.Schedules{})
	dec := &decisions{}
	e.sched.decisions = dec
	e.at(t, "2026-10-01 12:00")
	e.MustDo("quiet", "/business register Sleepy Ltd") // nothing since
	e.at(t, "2026-11-10 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Hire two" theme:apprenticeships target:2 due:2026-11-18`) // #1, overdue by Monday
	e.MustDo("alice", `/pledge progress 1 1`)                                                 // week before
	e.at(t, "2026-11-17 12:00")
	e.MustDo("alice", `/pledge add "Secret plan" theme:apprenticeships target:3 visibility:private`) // #2
	e.MustDo("alice", `/pledge add "Buy local" theme:buy-local target:1000`)                         // #3
	e.MustDo("alice", `/pledge progress 3 250`)
	e.MustDo("alice", `/pledge progress 2 1`)
	e.MustDo("alice", `/pledge done 3`)

	e.MustFail("alice", "/digest preview", bot.Forbidden)
	e.MustFail("alice", "/digest subscribe", bot.Forbidden)
	e.subscribeDigest(t)
	if out := e.MustDo("coord", "/digest subscribe"); !strings.Contains(out, "already") {
		t.Errorf("second subscribe: %s", out)
	}
	// A preview covers today up to this very second and the six whole days
	// before (11 to 17 Nov): the first pledge, made on 10 Nov, is the week
	// before's.
	if out := e.MustDo("coord", "/digest preview"); !strings.Contains(out, "Weekly digest: 11 Nov to 17 Nov 2026") ||
		!strings.Contains(out, "New pledges: 2 (week before: 1)") {
		t.Errorf("preview:\n%s", out)
	}

	text := weeklyDigest(t, e, "2026-11-23 09:00")
	for _, want := range []string{
		"Weekly digest: 16 Nov to 22 Nov 2026",
		"New pledges: 2 (week before: 1)",
		"Progress updates: 2 on 2 pledges (week before: 1)",
		"Completed: 1 (week before: 0)",
		"Overdue now: 1",
		"Quiet for 4+ weeks: 1 business",
		"#2 (a private pledge) · Acme",
		"#3 Buy local · Acme",
		"#1 Hire two · Acme · was due 18 Nov",
		"Sleepy Ltd (#1)",
		"s172 decisions logged: 3",
		"Move to a local supplier\n  2 confidential decisions (titles not shared)",
		"apprenticeships: committed 5 weeks of apprenticeship (+3, +2) · delivered 2 weeks of apprenticeship (+1, +1)",
		"buying from local suppliers: committed £1,000 (+1,000, +0) · delivered £250 (+250, +0)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Secret plan") {
		t.Errorf("a private pledge's text reached the channel:\n%s", text)
	}
	if !dec.from.Equal(local(t, "2026-11-16 00:00")) || !dec.to.Equal(local(t, "2026-11-23 00:00")) {
		t.Errorf("s172 asked for %s..%s", dec.from, dec.to)
	}

	e.MustDo("coord", "/digest unsubscribe")
	e.at(t, "2026-11-30 09:00")
	if r := e.run(t, JobDigest); r.Enqueued != 0 {
		t.Fatalf("unsubscribed channel got %v", r)
	}
}

// The weekly changes beside each theme's totals add up to how much the
// totals moved: a target raised, a pledge moved to another theme with its
// progress, a pledge withdrawn.
func TestDigestThemeChangesFollowTotals(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-10 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Plant trees" theme:carbon target:5`)     // #1, week before
	e.MustDo("alice", `/pledge add "Mentoring" theme:volunteering target:2`) // #2, week before
	e.MustDo("alice", `/pledge add "Volunteer" theme:volunteering target:1`) // #3, week before
	e.MustDo("alice", `/pledge progress 2 1.5`)
	e.at(t, "2026-11-17 12:00")
	e.MustDo("alice", `/pledge edit 1 target:25000`)
	e.MustDo("alice", `/pledge edit 2 theme:expert-help target:3`) // same unit: moves with its progress
	e.MustDo("alice", `/pledge withdraw 3 confirm`)
	e.MustDo("alice", `/pledge add "Gift" theme:sponsorship target:0.1`) // #4: adds up to nothing
	e.MustDo("alice", `/pledge edit 4 target:0.3`)
	e.MustDo("alice", `/pledge withdraw 4 confirm`)
	e.subscribeDigest(t)
	text := weeklyDigest(t, e, "2026-11-23 09:00")
	for _, want := range []string{
		"carbon reduction: committed 25,000 tonnes CO2e (+24,995, +5) · delivered 0 tonnes CO2e (+0, +0)",
		"expert help to community groups: committed 3 hours (+3, +0) · delivered 1.5 hours (+1.5, +0)",
		"staff volunteering: committed 0 hours (-3, +3) · delivered 0 hours (-1.5, +1.5)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "sponsorship") {
		t.Errorf("a theme whose changes cancel out is shown:\n%s", text)
	}
}

// weeklyDigest runs the digest job at a local time and returns the one
// digest it sent, to the console channel.
func weeklyDigest(t *testing.T, e *env, at string) string {
	t.Helper()
	e.at(t, at)
	e.run(t, JobDigest)
	sent := e.rec.take()
	if len(sent) != 1 || sent[0].To.Channel != "console" || sent[0].To.User != "" {
		t.Fatalf("sent %+v", sent)
	}
	return bot.PlainText(sent[0].Reply)
}

func TestLapse(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-09-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Old" theme:carbon target:2 due:2026-10-01`)    // 54 days past due
	e.MustDo("alice", `/pledge add "Recent" theme:carbon target:2 due:2026-11-01`) // 23 days: within grace
	e.MustDo("alice", `/pledge add "Done" theme:carbon target:2 due:2026-10-01`)
	e.MustDo("alice", "/pledge done 3")
	e.at(t, "2026-11-24 06:00")
	if r := e.run(t, JobLapse); r.Lapsed != 1 {
		t.Fatalf("lapsed %d, want 1", r.Lapsed)
	}
	if r := e.run(t, JobLapse); r.Lapsed != 0 {
		t.Fatalf("second run lapsed %d more", r.Lapsed)
	}
	if out := e.MustDo("alice", "/pledge show 1"); !strings.Contains(out, "lapsed") {
		t.Errorf("pledge 1 after lapse:\n%s", out)
	}
	year := bot.Period{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	cur, _, err := e.Store.Summary(context.Background(), e.Community(), bot.SummaryFilter{Period: year, Previous: bot.Period{Start: year.Start, End: year.Start}}, e.Bot.Now())
	if c := cur.Themes["carbon"]; err != nil || c == nil || c.Active != 1 || c.Lapsed != 1 || c.Done != 1 {
		t.Errorf("2026 carbon figures %+v, %v", c, err)
	}
	e.rec.take() // the owner was told it lapsed (lapse_test.go)
	// A lapsed pledge is no longer nudged as overdue.
	e.at(t, "2026-11-24 10:00")
	e.run(t, JobNudges)
	for _, n := range e.rec.take() {
		if strings.Contains(n.Reply.Title, "#1 ") && n.Reply.Title != "Pledge #1 has lapsed" {
			t.Errorf("lapsed pledge nudged: %s", n.Reply.Title)
		}
	}
}

func TestSplitKeepsEverythingWithinLimits(t *testing.T) {
	r := bot.Reply{Title: "Weekly digest", Fields: []bot.Field{{Label: "New pledges", Value: "3"}}}
	total := 0
	for i := 0; i < 30; i++ {
		var lines []string
		for j := 0; j < 40; j++ {
			lines = append(lines, strings.Repeat("é", 30))
			total++
		}
		r.Items = append(r.Items, bot.Item{Title: "Section", Text: strings.Join(lines, "\n")})
	}
	r.Items = append(r.Items, bot.Item{Title: "One long line", Text: strings.Repeat("x", 5000)})
	parts := Split(r)
	if len(parts) < 2 || !strings.HasSuffix(parts[0].Title, "(1 of "+strconv.Itoa(len(parts))+")") {
		t.Fatalf("%d parts, first titled %q", len(parts), parts[0].Title)
	}
	lines, xs := 0, 0
	for i, p := range parts {
		size := 0
		for _, it := range p.Items {
			if len(it.Text) > itemMax {
				t.Errorf("part %d: item of %d bytes", i, len(it.Text))
			}
			size += len(it.Title) + len(it.Text)
			for _, l := range strings.Split(it.Text, "\n") {
				if strings.HasPrefix(l, "é") {
					lines++
				}
				xs += strings.Count(l, "x")
			}
		}
		if len(p.Items) > partItem || size > partMax+itemMax {
			t.Errorf("part %d: %d items, %d bytes", i, len(p.Items), size)
		}
		if (i == 0) != (len(p.Fields) > 0) {
			t.Errorf("part %d has %d fields", i, len(p.Fields))
		}
	}
	if lines != total || xs != 5000 {
		t.Errorf("split kept %d of %d lines and %d of 5000 x", lines, total, xs)
	}
}

// The activity index keeps 62 days, and a deleted business leaves nothing
// in it or in the quiet list.
func TestLedgerKeptAndScrubbed(t *testing.T) {
	e := setup(t, config.Schedules{})
	ctx := context.Background()
	// The ledger is one list per month (store/lua/figures.lua): count them all.
	base := e.Prefix + ":{" + e.Community() + "}:"
	// (a deleted business's entries are emptied in place: pledges point
	// at entries by their place)
	ledgerLen := func() int64 {
		var n int64
		for _, month := range e.Redis.ZRange(ctx, base+"months", 0, -1).Val() {
			for _, entry := range e.Redis.LRange(ctx, base+"ledger:"+month, 0, -1).Val() {
				if entry != "" {
					n++
				}
			}
		}
		return n
	}
	e.at(t, "2026-08-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Old news" theme:carbon target:1`)
	e.MustDo("bob", "/business register Bakery")
	e.MustDo("bob", `/pledge add "Bread" theme:waste target:1`)
	if n := ledgerLen(); n != 2 {
		t.Fatalf("ledger holds %d, want 2", n)
	}
	// Figures of any past period are read from it: nothing ages out.
	e.at(t, "2026-11-20 12:00")
	e.MustDo("alice", "/pledge progress 1 1")
	if n := ledgerLen(); n != 3 {
		t.Fatalf("after 111 days the ledger holds %d, want 3", n)
	}
	e.MustDo("bob", "/pledge progress 2 1")
	e.MustDo("bob", "/business delete 2 confirm")
	if n := ledgerLen(); n != 2 {
		t.Fatalf("after deleting a business the ledger holds %d, want Acme's 2", n)
	}
	e.at(t, "2026-11-23 09:00")
	r, err := e.sched.Preview(ctx, e.Community(), e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if text := bot.PlainText(r); strings.Contains(text, "Bakery") || fieldValue(r.Fields, "Quiet for 4+ weeks") != "0 businesses" {
		t.Errorf("a deleted business is still in the digest:\n%s", text)
	}
}

// With the s172 store merged, the digest finds its decisions on the store
// itself: shareable titles listed, board-only ones only counted.
func TestDigestUsesStoreS172Decisions(t *testing.T) {
	e := setup(t, config.Schedules{})
	if _, ok := any(e.Store).(DecisionSource); !ok {
		t.Skip("the store has no s172 records yet")
	}
	e.at(t, "2026-11-18 12:00")
	e.MustDo("sam", "/business register Bakery")
	e.MustDo("sam", `/s172 log "Switch to a local parts supplier" c:"two local wholesalers" confidentiality:shareable`)
	e.MustDo("sam", `/s172 log "Close the Sunday shift" b:"staff asked for it"`)
	r, err := e.sched.Preview(context.Background(), e.Community(), local(t, "2026-11-23 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	text := bot.PlainText(r)
	if !strings.Contains(text, "s172 decisions logged: 2") || !strings.Contains(text, "Switch to a local parts supplier") ||
		strings.Contains(text, "Sunday shift") {
		t.Errorf("digest's s172 part:\n%s", text)
	}
}

// An edit, even of a pledge's text alone, is activity: the business is not
// listed as quiet.
func TestEditIsActivity(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-10-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Plant trees" theme:carbon target:5`)
	e.at(t, "2026-11-20 12:00")
	e.MustDo("alice", `/pledge edit 1 "Plant fifty trees"`)
	e.at(t, "2026-11-23 09:00")
	reply, err := e.sched.Preview(context.Background(), e.Community(), e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := fieldValue(reply.Fields, "Quiet for 4+ weeks"); got != "0 businesses" {
		t.Errorf("quiet = %q, want 0 businesses", got)
	}
}

// A rate theme's values are never summed: its digest line counts the
// reports logged each week.
func TestDigestRateThemeCountsReports(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-10 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Pay the real Living Wage" theme:fair-pay target:100`) // #1
	e.MustDo("alice", `/pledge progress 1 80`)                                            // week before
	e.at(t, "2026-11-17 12:00")
	e.MustDo("alice", `/pledge progress 1 86.5`)
	e.MustDo("alice", `/pledge progress 1 90`)
	e.subscribeDigest(t)
	text := weeklyDigest(t, e, "2026-11-23 09:00")
	if !strings.Contains(text, "fair pay and good work: 2 reports logged (week before: 1)") {
		t.Errorf("digest lacks the rate theme's reports:\n%s", text)
	}
	if strings.Contains(text, "176.5") || strings.Contains(text, "256.5") || strings.Contains(text, "fair pay and good work: committed") {
		t.Errorf("digest sums a rate theme:\n%s", text)
	}
}

func TestThemeLineRounds(t *testing.T) {
	th := bot.Theme{Name: "carbon reduction", Unit: "tonnes CO2e"}
	got := ThemeLine(th, ThemeWeek{Committed: 1234567.891, Delivered: 0.1 + 0.2, ThisCommitted: 46.1764705882353,
		LastCommitted: -0.004, ThisDelivered: 0.005, LastDelivered: 2.0 / 3})
	if want := "carbon reduction: committed 1,234,567.89 tonnes CO2e (+46.18, +0) · delivered 0.3 tonnes CO2e (+0.01, +0.67): confirmed 0 tonnes CO2e · awaiting confirmation 0 tonnes CO2e · queried 0 tonnes CO2e · self-reported 0.3 tonnes CO2e"; got != want {
		t.Errorf("ThemeLine = %q, want %q", got, want)
	}
	if got := ThemeLine(bot.Theme{Name: "fair pay", Measure: bot.MeasureRate}, ThemeWeek{Delivered: 500}); got != "" {
		t.Errorf("a rate theme with no reports: %q", got)
	}
}

// Quiet means the people went quiet: the lapse job lapsing a pledge is
// the bot's doing, not the business's, and leaves it listed as quiet; a
// person reopening it is activity.
func TestLapseIsNotActivity(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-09-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Plant trees" theme:carbon target:5 due:2026-09-20`)
	e.at(t, "2026-10-26 06:00")
	if r := e.run(t, JobLapse); r.Lapsed != 1 {
		t.Fatalf("lapsed %d, want 1", r.Lapsed)
	}
	quiet := func() string {
		t.Helper()
		reply, err := e.sched.Preview(context.Background(), e.Community(), e.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return fieldValue(reply.Fields, "Quiet for 4+ weeks")
	}
	e.at(t, "2026-11-02 09:00")
	if got := quiet(); got != "1 business" {
		t.Errorf("after the lapse, quiet = %q, want 1 business", got)
	}
	e.MustDo("alice", "/pledge reopen 1 due:2027-03-31")
	if got := quiet(); got != "0 businesses" {
		t.Errorf("after alice reopened it, quiet = %q, want 0 businesses", got)
	}
}

// TestDigestWeekAndS172ByLogged is checked by hand. The digest sent on
// Monday 30 Nov 2026 at 09:00 (London) reports the seven whole days Mon 23
// Nov 00:00 to Sun 29 Nov 24:00 and says so. Its s172 count is by when a
// decision was logged, not the date it is about: #2, logged on Wed 25 Nov
// about a meeting three weeks before (4 Nov), counts; #1, logged on Wed 18
// Nov (the week before) about the day before (17 Nov), does not, nor does
// #3, logged on the morning of the digest's own day, which is next week's.
// So 1 decision, #2.
func TestDigestWeekAndS172ByLogged(t *testing.T) {
	e := setup(t, config.Schedules{})
	if _, ok := any(e.Store).(DecisionSource); !ok {
		t.Skip("the store has no s172 records")
	}
	e.at(t, "2026-11-18 12:00")
	e.MustDo("sam", "/business register Bakery")
	e.MustDo("sam", `/s172 log "Close the Sunday shift" date:2026-11-17 b:"staff asked for it" confidentiality:shareable`)
	e.at(t, "2026-11-25 12:00")
	e.MustDo("sam", `/s172 log "Switch to a local parts supplier" date:2026-11-04 meeting:2026-11-04 c:"two local wholesalers" confidentiality:shareable`)
	e.at(t, "2026-11-30 08:00")
	e.MustDo("sam", `/s172 log "Open on Mondays" c:"the market" confidentiality:shareable`)
	e.subscribeDigest(t)
	text := weeklyDigest(t, e, "2026-11-30 09:00")
	for _, want := range []string{"Weekly digest: 23 Nov to 29 Nov 2026", "s172 decisions logged: 1", "#2 Switch to a local parts supplier (Bakery)"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"Sunday shift", "Open on Mondays"} {
		if strings.Contains(text, not) {
			t.Errorf("digest counts %q:\n%s", not, text)
		}
	}
}
