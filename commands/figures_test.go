package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// figures reads the whole-network summary row of one theme for a period.
func figures(t *testing.T, h *pledgetest.Harness, period, theme string) bot.ThemeStats {
	t.Helper()
	s := build(t, h, period, theme, "")
	for _, r := range s.Themes {
		if r.Theme.Key == theme {
			return r.Cur
		}
	}
	return bot.ThemeStats{}
}

func pledgeOf(t *testing.T, h *pledgetest.Harness, n int) (bot.Pledge, []bot.Event) {
	t.Helper()
	p, ev, err := h.Store.Pledge(context.Background(), h.Community(), bot.Actor{ID: bot.Identity{Platform: "console", Workspace: "local", User: h.Admin}, Admin: true}, n)
	if err != nil {
		t.Fatal(err)
	}
	return p, ev
}

// A rate (fair-pay: % staff on the real Living Wage) is the latest value a
// business reports, never a sum, and summaries give reporting, met,
// median and range.
func TestRatePledgesReportTheLatestValue(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("bob", "/business register Bakery")
	h.MustDo("cat", "/business register Cafe")
	h.MustDo("ann", "/pledge add \"Pay the Living Wage\" theme:fair-pay target:100")
	h.MustDo("bob", "/pledge add \"Pay the Living Wage\" theme:fair-pay target:90")
	h.MustDo("cat", "/pledge add \"Pay the Living Wage\" theme:fair-pay target:100")
	h.MustDo("ann", "/pledge progress 1 60")
	h.MustDo("ann", "/pledge progress 1 80")
	if p, _ := pledgeOf(t, h, 1); p.Progress != 80 || !p.Rate {
		t.Fatalf("pledge 1 progress %v rate %v, want the latest value 80", p.Progress, p.Rate)
	}
	h.MustDo("bob", "/pledge progress 2 95")
	got := figures(t, h, "2026-Q4", "fair-pay")
	// Three pledges of three businesses; Acme (80 of 100) and Bakery (95
	// of 90) report; only Bakery met its target; median of {80, 95} is
	// 87.5, range 80 to 95. (no partner: both values reporting are
	// self-reported)
	want := bot.RateStats{Pledges: 3, Businesses: 3, Reporting: 2, Met: 1, Median: 87.5, Min: 80, Max: 95, By: bot.VouchedCount{SelfReported: 2}}
	if got.Rate != want {
		t.Fatalf("fair-pay rate figures %+v, want %+v", got.Rate, want)
	}
	// A withdrawn rate pledge leaves them, and Bakery with its only one.
	h.MustDo("bob", "/pledge withdraw 2 confirm")
	got = figures(t, h, "2026-Q4", "fair-pay")
	if want := (bot.RateStats{Pledges: 2, Businesses: 2, Reporting: 1, Median: 80, Min: 80, Max: 80, By: bot.VouchedCount{SelfReported: 1}}); got.Rate != want {
		t.Fatalf("after withdrawal %+v, want %+v", got.Rate, want)
	}
}

// A mistyped progress entry is corrected by a new history entry; the
// pledge, the totals and the period it was logged in all follow.
func TestCorrectProgress(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 9, 10, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", "/business add-member @zed")
	h.MustDo("ann", "/pledge add \"Volunteer at the food bank\" theme:volunteering target:40")
	h.MustDo("zed", "/pledge progress 1 12")
	h.Clock.Set(time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC))
	h.MustDo("zed", "/pledge progress 1 100 typo")
	h.MustDo("ann", "/pledge progress 1 3")
	if p, _ := pledgeOf(t, h, 1); p.Progress != 115 {
		t.Fatalf("progress %v, want 12+100+3", p.Progress)
	}
	// Entry 2 should have been 10: zed logged it, so zed may correct it.
	out := h.MustDo("zed", "/pledge correct 1 10 entry:2 meant ten")
	if !strings.Contains(out, "Corrected progress entry 2 of pledge #1") {
		t.Fatalf("reply: %s", out)
	}
	p, ev := pledgeOf(t, h, 1)
	if p.Progress != 25 {
		t.Fatalf("progress after correction %v, want 12+10+3 = 25", p.Progress)
	}
	last := ev[len(ev)-1]
	if last.Kind != bot.EventCorrected || last.Entry != 2 || last.Amount != 10 || last.Changes["was"] != "100" || last.Note != "meant ten" {
		t.Fatalf("correction entry %+v", last)
	}
	var numbers []int
	for _, e := range ev {
		if e.Kind == bot.EventProgress {
			numbers = append(numbers, e.Entry)
		}
	}
	if len(numbers) != 3 || numbers[0] != 1 || numbers[2] != 3 {
		t.Fatalf("progress entries numbered %v", numbers)
	}
	show := h.MustDo("ann", "/pledge show 1")
	for _, want := range []string{"@zed logged 12 hours (entry 1)", "@zed logged 100 hours: typo (entry 2)",
		"@zed corrected entry 2 from 100 hours to 10 hours: meant ten", "25 of 40 hours"} {
		if !strings.Contains(show, want) {
			t.Errorf("/pledge show lacks %q:\n%s", want, show)
		}
	}
	// Past periods follow: Q3 delivered 12 (entry 1), Q4 10 + 3.
	if q3 := figures(t, h, "2026-Q3", "volunteering"); q3.Delivered != 12 {
		t.Fatalf("Q3 delivered %v, want 12", q3.Delivered)
	}
	if q4 := figures(t, h, "2026-Q4", "volunteering"); q4.Delivered != 13 {
		t.Fatalf("Q4 delivered %v, want 13", q4.Delivered)
	}
	// Only the person who logged it, the owners and admins may correct.
	h.MustDo("ann", "/business add-member @yan")
	h.MustFail("yan", "/pledge correct 1 5 entry:1", bot.Forbidden)
	h.MustFail("outsider", "/pledge correct 1 5 entry:1", bot.Forbidden)
	// The owner strikes the latest entry (3) with 0.
	h.MustDo("ann", "/pledge correct 1 0")
	if p, _ := pledgeOf(t, h, 1); p.Progress != 22 {
		t.Fatalf("after striking entry 3: %v, want 22", p.Progress)
	}
	if show := h.MustDo("ann", "/pledge show 1"); !strings.Contains(show, "@ann struck out entry 3 (was 3 hours)") {
		t.Errorf("/pledge show after striking:\n%s", show)
	}
	// Default is then the latest entry not struck: entry 2.
	h.MustDo("ann", "/pledge correct 1 11")
	if p, _ := pledgeOf(t, h, 1); p.Progress != 23 {
		t.Fatalf("after correcting entry 2 to 11: %v, want 23", p.Progress)
	}
	h.MustFail("ann", "/pledge correct 1 11 entry:2", bot.Invalid)
	h.MustFail("ann", "/pledge correct 1 5 entry:9", bot.NotFound)
	if q4 := figures(t, h, "2026-Q4", "volunteering"); q4.Delivered != 11 {
		t.Fatalf("Q4 delivered %v, want 11 after the corrections", q4.Delivered)
	}
}

func TestCorrectIsIdempotentAndNeedsEntries(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", "/pledge add \"Volunteer\" theme:volunteering target:40")
	h.MustFail("ann", "/pledge correct 1 5", bot.Invalid)
	h.MustDo("ann", "/pledge progress 1 5")
	ctx := context.Background()
	a := bot.Actor{ID: bot.Identity{Platform: "console", Workspace: "local", User: "ann"}}
	for range 2 {
		if _, err := h.Store.CorrectProgress(ctx, h.Community(), a, 1, 1, 7, "", "req-1"); err != nil {
			t.Fatal(err)
		}
	}
	if p, ev := pledgeOf(t, h, 1); p.Progress != 7 || len(ev) != 3 {
		t.Fatalf("a replayed correction acted twice: progress %v, %d history entries", p.Progress, len(ev))
	}
}

// A rate's correction of its latest report changes the value it reports.
func TestCorrectRateLatest(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", "/pledge add \"Pay invoices on time\" theme:prompt-payment target:95")
	h.MustDo("ann", "/pledge progress 1 70")
	h.MustDo("ann", "/pledge progress 1 9")
	h.MustDo("ann", "/pledge correct 1 90")
	if p, _ := pledgeOf(t, h, 1); p.Progress != 90 {
		t.Fatalf("rate after correcting the latest: %v, want 90", p.Progress)
	}
	h.MustDo("ann", "/pledge correct 1 0")
	if p, _ := pledgeOf(t, h, 1); p.Progress != 70 {
		t.Fatalf("rate after striking the latest: %v, want the one before, 70", p.Progress)
	}
	if got := figures(t, h, "2026-Q4", "prompt-payment").Rate; got.Median != 70 || got.Reporting != 1 {
		t.Fatalf("rate figures %+v", got)
	}
}

func TestReopen(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", "/pledge add \"Volunteer\" theme:volunteering target:40 due:2026-10-31")
	h.MustDo("ann", "/pledge add \"Sponsor the fun run\" theme:sponsorship target:500")
	h.MustDo("ann", "/pledge done 2")
	h.MustFail("ann", "/pledge reopen 1", bot.Conflict)
	out := h.MustDo("ann", "/pledge reopen 2")
	if !strings.Contains(out, "Pledge #2 is active again") {
		t.Fatalf("reply: %s", out)
	}
	if q := figures(t, h, "2026-Q4", "sponsorship"); q.Done != 0 || q.Active != 1 {
		t.Fatalf("after reopening: done %d active %d, want 0 1", q.Done, q.Active)
	}
	// Lapsed: needs a due date from today on.
	h.Clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	if _, err := h.Store.LapseDue(context.Background(), h.Community(), h.Clock.Now(), h.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if p, _ := pledgeOf(t, h, 1); p.Status != bot.StatusLapsed {
		t.Fatalf("pledge 1 is %s, want lapsed", p.Status)
	}
	h.MustFail("ann", "/pledge reopen 1", bot.Invalid)
	h.MustFail("ann", "/pledge reopen 1 due:2026-11-01", bot.Invalid)
	h.MustFail("ann", "/pledge reopen 1 due:2026-11-20", bot.Invalid) // today is not the future
	h.MustFail("zed", "/pledge reopen 1 due:2027-01-31", bot.Forbidden)
	h.MustDo("ann", "/pledge reopen 1 due:2027-01-31")
	if show := h.MustDo("ann", "/pledge show 1"); !strings.Contains(show, "@ann reopened it, due 31 Jan 2027") {
		t.Errorf("/pledge show after reopening:\n%s", show)
	}
	p, _ := pledgeOf(t, h, 1)
	if p.Status != bot.StatusActive || p.Due.Format(time.DateOnly) != "2027-01-31" {
		t.Fatalf("reopened pledge %s due %s", p.Status, p.Due)
	}
	if q := figures(t, h, "2026-Q4", "volunteering"); q.Lapsed != 0 || q.Active != 1 {
		t.Fatalf("after reopening the lapsed one: lapsed %d active %d, want 0 1", q.Lapsed, q.Active)
	}
	h.MustDo("ann", "/pledge withdraw 1 confirm")
	h.MustFail("ann", "/pledge reopen 1", bot.Conflict)
}

// A business with two fair-pay pledges counts once, at the latest value
// it reported on either, met against that pledge's target: the chat
// line says so.
func TestRateCountsEachBusinessOnce(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("bob", "/business register Bakery")
	h.MustDo("ann", "/pledge add \"Living Wage for shop staff\" theme:fair-pay target:100")
	h.MustDo("ann", "/pledge add \"Living Wage for drivers\" theme:fair-pay target:90")
	h.MustDo("bob", "/pledge add \"Pay the Living Wage\" theme:fair-pay target:70")
	h.MustDo("ann", "/pledge progress 1 80")
	h.MustDo("bob", "/pledge progress 3 60")
	h.Clock.Set(time.Date(2026, 10, 6, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/pledge progress 2 95")
	// By hand: 3 pledges of 2 businesses. Acme's latest is #2's 95 (6
	// Oct), which meets #2's 90; Bakery's 60 misses 70. Median of {60,
	// 95} is 77.5, range 60 to 95.
	got := figures(t, h, "2026-Q4", "fair-pay")
	want := bot.RateStats{Pledges: 3, Businesses: 2, Reporting: 2, Met: 1, Median: 77.5, Min: 60, Max: 95,
		By: bot.VouchedCount{SelfReported: 2}}
	if got.Rate != want {
		t.Fatalf("fair-pay rate figures %+v, want %+v", got.Rate, want)
	}
	reply := h.MustDo(h.Admin, "/summary show period:2026-Q4 theme:fair-pay")
	if !strings.Contains(reply, "3 pledges by 2 businesses · 2 reporting · 1 met their target · median 78% (range 60% to 95%)") {
		t.Errorf("summary reply lacks the businesses' figures:\n%s", reply)
	}
}
