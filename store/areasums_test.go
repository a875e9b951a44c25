package store

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestAreaSumsByHand: the figures of an area and of a rolling period, read
// from the area sums (lua/area_sums.lua) and read pledge by pledge, are
// those worked out here by hand, with a correction, a pledge done, one
// lapsed and one withdrawn. The first area summary of a community past
// AreaSumsFrom pledges fills the sums in by itself.
func TestAreaSumsByHand(t *testing.T) {
	rdb, prefix := testRedis(t)
	ctx := context.Background()
	s := New(rdb, prefix)
	var now time.Time
	s.SetClock(func() time.Time { return now })
	at := func(month time.Month, day int) time.Time { return time.Date(2026, month, day, 10, 0, 0, 0, time.UTC) }
	now = at(1, 2)
	const c = "town"
	var owners []bot.Actor
	for i, pc := range []string{"CB1 1AA", "CB1 2BB", "CB2 3CC", "PE1 4DD"} {
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
	add := func(when time.Time, biz int, theme string, target float64, due time.Time) {
		t.Helper()
		now = when
		must(s.AddPledge(ctx, c, owners[biz-1], bot.NewPledge{Business: biz, Text: "p", Theme: theme, Target: target, Factor: 1,
			Visibility: bot.Public, Due: due}, ""))
	}
	progress := func(when time.Time, n int, biz int, amount float64) {
		t.Helper()
		now = when
		must(s.LogProgress(ctx, c, owners[biz-1], n, amount, "", ""))
	}
	add(at(1, 15), 1, "carbon", 8, time.Time{})                                        // 1: CB1
	add(at(8, 10), 1, "volunteering", 100, time.Time{})                                // 2: CB1
	add(at(9, 1), 1, "volunteering", 40, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) // 3: CB1, lapses
	progress(at(9, 5), 2, 1, 10)
	progress(at(9, 15), 3, 1, 8)
	now = at(10, 2)
	if _, err := s.LapseDue(ctx, c, now, now); err != nil {
		t.Fatal(err)
	}
	progress(at(10, 20), 2, 1, 20)
	add(at(10, 28), 2, "volunteering", 50, time.Time{})   // 4: CB1, done
	add(at(10, 30), 3, "volunteering", 1000, time.Time{}) // 5: CB2
	progress(at(11, 1), 5, 3, 500)
	progress(at(11, 2), 4, 2, 30)
	progress(at(11, 3), 2, 1, 5)
	now = at(11, 5)
	must(s.CompletePledge(ctx, c, owners[1], 4, "", ""))
	now = at(11, 10)
	must(s.CorrectProgress(ctx, c, owners[0], 2, 2, 15, "typo", "")) // the 20 of 20 October was 15
	progress(at(11, 15), 1, 1, 2)
	add(at(11, 20), 2, "volunteering", 70, time.Time{}) // 6: CB1, withdrawn
	now = at(11, 21)
	must(s.WithdrawPledge(ctx, c, owners[1], 6, ""))
	now = at(11, 24)

	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	rolling := bot.SummaryFilter{Period: bot.Period{Start: day(10, 25), End: day(11, 24), Daily: true},
		Previous: bot.Period{Start: day(9, 25), End: day(10, 25), Daily: true}}
	year := bot.SummaryFilter{Period: bot.Period{Start: day(1, 1), End: day(1, 1).AddDate(1, 0, 0)},
		Previous: bot.Period{Start: day(1, 1).AddDate(-1, 0, 0), End: day(1, 1)}}
	type figs struct {
		live             int
		committed, deliv float64
		toDate           float64
		pct              int
	}
	cases := []struct {
		name  string
		f     bot.SummaryFilter
		area  string
		theme string
		cur   figs
		prev  figs
	}{
		// Live 25 Oct-24 Nov: 2 (100) and 4 (50); 3 lapsed on 2 October,
		// 6 withdrawn counts nowhere. Delivered then: 2's 5 (3 Nov) and
		// 4's 30; to date on them: 10+15+5 and 30, 60 of 150 = 40%.
		// Before, 25 Sep-25 Oct: 2 and 3 (140); delivered the corrected
		// 15 (20 Oct); to date 10+15 and 3's 8, 33 of 140 = 24%.
		{"CB1 last 30 days", rolling, "CB1", "volunteering", figs{2, 150, 35, 60, 40}, figs{2, 140, 15, 33, 24}},
		{"CB1 carbon last 30 days", rolling, "CB1", "carbon", figs{1, 8, 2, 2, 25}, figs{1, 8, 0, 0, 0}},
		// CB adds 5 (CB2): 1,000 made 30 October, 500 on 1 November.
		{"CB last 30 days", rolling, "CB", "volunteering", figs{3, 1150, 535, 560, 49}, figs{2, 140, 15, 33, 24}},
		// 2026: 2, 3 and 4 (190), all delivered in the year: 10+15+5, 8, 30.
		{"CB1 2026", year, "CB1", "volunteering", figs{3, 190, 68, 68, 36}, figs{}},
		{"PE1 2026", year, "PE1", "volunteering", figs{}, figs{}},
	}
	got := func(ps bot.PeriodStats, theme string) figs {
		th := ps.Themes[theme]
		if th == nil {
			return figs{}
		}
		pct, _ := bot.RoundPercent(th.ToDate, th.Committed)
		return figs{th.Live, th.Committed, th.Delivered, th.ToDate, pct}
	}
	check := func(how string) {
		t.Helper()
		for _, tc := range cases {
			f := tc.f
			f.Area = tc.area
			cur, prev, err := s.Summary(ctx, c, f, now)
			if err != nil {
				t.Fatal(err)
			}
			if g := got(cur, tc.theme); g != tc.cur {
				t.Errorf("%s, %s: %+v, want %+v", how, tc.name, g, tc.cur)
			}
			if g := got(prev, tc.theme); g != tc.prev {
				t.Errorf("%s, %s, the period before: %+v, want %+v", how, tc.name, g, tc.prev)
			}
		}
	}
	// Below the threshold: pledge by pledge, and no area sums kept.
	s.areaSumsFrom = 1 << 30
	check("pledge by pledge")
	if n, _ := rdb.Exists(ctx, s.key(c, "area-sums")).Result(); n != 0 {
		t.Fatal("area sums kept below the threshold")
	}
	// Past it: the first area summary fills them in.
	s.areaSumsFrom = 6
	check("from the area sums")
	if v, _ := rdb.Get(ctx, s.key(c, "area-sums")).Int(); v != 6 {
		t.Fatalf("area sums count up to pledge %d, want 6", v)
	}
	// A write after the fill keeps them in step: 2 October's lapse undone
	// would change 3's figures, so instead correct 4's 30 to 20 and add
	// a CB1 pledge of 10 on 22 November (live, nothing delivered).
	now = at(11, 22)
	must(s.CorrectProgress(ctx, c, owners[1], 4, 1, 20, "", ""))
	add(at(11, 22), 1, "volunteering", 10, time.Time{}) // 7
	cases[0].cur = figs{3, 160, 25, 50, 31}
	cases[2].cur = figs{4, 1160, 525, 550, 47}
	cases[3].cur = figs{4, 200, 58, 58, 29}
	check("from the area sums after more writes")
	s.areaSumsFrom = 1 << 30
	rdb.Del(ctx, s.key(c, "area-sums"))
	check("pledge by pledge after more writes")
}
