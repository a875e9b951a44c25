package store

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestDaySumsByHand: the network's figures over a rolling period and the
// one before it (edges inside months), read from the day sums
// (lua/day_sums.lua) and from the ledger of the edge months, are those
// worked out here by hand, with a correction, a pledge done, one lapsed
// and one withdrawn, and again after more writes and a business deleted.
// The first rolling period of a community past AreaSumsFrom pledges fills
// the day sums in by itself.
func TestDaySumsByHand(t *testing.T) {
	rdb, prefix := testRedis(t)
	ctx := context.Background()
	s := New(rdb, prefix)
	var now time.Time
	s.SetClock(func() time.Time { return now })
	at := func(month time.Month, day int) time.Time { return time.Date(2026, month, day, 10, 0, 0, 0, time.UTC) }
	now = at(1, 2)
	const c = "town"
	var owners []bot.Actor
	for i, pc := range []string{"CB1 1AA", "CB2 2BB", "PE1 3CC"} {
		a := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: string(rune('a' + i))}}
		owners = append(owners, a)
		if _, err := s.RegisterBusiness(ctx, c, a, bot.Business{Name: "B" + pc, Postcode: pc, CreatedAt: now}, ""); err != nil {
			t.Fatal(err)
		}
	}
	must := func(_ bot.Pledge, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	add := func(when time.Time, biz int, target float64, due time.Time) {
		t.Helper()
		now = when
		must(s.AddPledge(ctx, c, owners[biz-1], bot.NewPledge{Business: biz, Text: "p", Theme: "volunteering", Target: target,
			Factor: 1, Visibility: bot.Public, Due: due}, ""))
	}
	progress := func(when time.Time, n, biz int, amount float64) {
		t.Helper()
		now = when
		must(s.LogProgress(ctx, c, owners[biz-1], n, amount, "", ""))
	}
	add(at(9, 1), 1, 100, time.Time{})                                  // 1
	progress(at(9, 5), 1, 1, 10)                                        // before both periods
	add(at(9, 27), 1, 40, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) // 2: lapses 2 October
	now = at(10, 2)
	if _, err := s.LapseDue(ctx, c, now, now); err != nil {
		t.Fatal(err)
	}
	progress(at(10, 20), 1, 1, 20)
	add(at(10, 28), 2, 50, time.Time{})   // 3: done 5 November
	add(at(10, 30), 3, 1000, time.Time{}) // 4
	progress(at(11, 1), 4, 3, 500)
	progress(at(11, 2), 3, 2, 30)
	progress(at(11, 3), 1, 1, 5)
	now = at(11, 5)
	must(s.CompletePledge(ctx, c, owners[1], 3, "", ""))
	now = at(11, 10)
	must(s.CorrectProgress(ctx, c, owners[0], 1, 2, 15, "typo", "")) // 20 October's 20 was 15
	add(at(11, 20), 2, 70, time.Time{})                              // 5: withdrawn
	now = at(11, 21)
	must(s.WithdrawPledge(ctx, c, owners[1], 5, ""))
	now = at(11, 24)

	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	f := bot.SummaryFilter{Period: bot.Period{Start: day(10, 26), End: day(11, 25), Daily: true},
		Previous: bot.Period{Start: day(9, 26), End: day(10, 26), Daily: true}}
	type figs struct {
		made, done, lapsed, withdrawn, active, live int
		committed, delivered, toDate                float64
		businesses                                  int
	}
	got := func(ps bot.PeriodStats) figs {
		th := ps.Themes["volunteering"]
		if th == nil {
			return figs{businesses: ps.Businesses}
		}
		return figs{th.Made, th.Done, th.Lapsed, th.Withdrawn, th.Active, th.Live, th.Committed, th.Delivered, th.ToDate,
			ps.Businesses}
	}
	// 26 Oct-24 Nov: made 3 and 4 (5, withdrawn, counts only there), 3
	// done; live 1, 3 and 4 (2 lapsed before), 1,150 committed; delivered
	// 5 + 30 + 500; to date 10 + 15 + 5, 30 and 500; active at the end 1
	// and 4; businesses 1 (progress, the correction), 2 and 3.
	// 26 Sep-25 Oct: made 2, lapsed; live 1 and 2 (140); delivered the
	// corrected 15; to date 10 + 15; active 1; business 1 alone.
	wantCur := figs{2, 1, 0, 1, 2, 3, 1150, 535, 560, 3}
	wantPrev := figs{1, 0, 1, 0, 1, 2, 140, 15, 25, 1}
	check := func(how string) {
		t.Helper()
		for _, theme := range []string{"", "volunteering"} {
			f.Theme = theme
			cur, prev, err := s.Summary(ctx, c, f, now)
			if err != nil {
				t.Fatal(err)
			}
			if g := got(cur); g != wantCur {
				t.Errorf("%s (theme %q): %+v, want %+v", how, theme, g, wantCur)
			}
			if g := got(prev); g != wantPrev {
				t.Errorf("%s (theme %q), the period before: %+v, want %+v", how, theme, g, wantPrev)
			}
		}
	}
	// Below the threshold: the ledger of the edge months, no day sums kept.
	s.areaSumsFrom = 1 << 30
	check("from the ledger")
	if n, _ := rdb.Exists(ctx, s.key(c, "day-sums")).Result(); n != 0 {
		t.Fatal("day sums kept below the threshold")
	}
	// Past it: the first rolling period fills them in.
	s.areaSumsFrom = 3
	check("from the day sums")
	if v, _ := rdb.Get(ctx, s.key(c, "day-sums")).Int(); v != 5 {
		t.Fatalf("day sums count up to pledge %d, want 5", v)
	}
	if bits, _ := rdb.BitCount(ctx, s.key(c, "daybits:2026-11-01"), nil).Result(); bits != 1 {
		t.Fatalf("1 November's bits count %d businesses, want 1 (3's progress)", bits)
	}
	// Writes after the fill keep them in step: a pledge of 10 by 2 on 22
	// November, 3 deleted (4 and its 500 go from every figure).
	add(at(11, 22), 2, 10, time.Time{}) // 6
	now = at(11, 23)
	if err := s.DeleteBusiness(ctx, c, bot.Actor{ID: owners[2].ID, Admin: true}, 3, ""); err != nil {
		t.Fatal(err)
	}
	now = at(11, 24)
	wantCur = figs{2, 1, 0, 1, 2, 3, 160, 35, 60, 2}
	check("from the day sums after more writes")
	if bits, _ := rdb.Exists(ctx, s.key(c, "daybits:2026-11-01")).Result(); bits != 0 {
		t.Fatal("1 November's bits outlive the deleted business, the only one that wrote then")
	}
	s.areaSumsFrom = 1 << 30
	rdb.Del(ctx, s.key(c, "day-sums"))
	check("from the ledger after more writes")
}
