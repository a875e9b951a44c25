package store

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestRatesByHand: a rate theme's figures (pledges, reporting, met,
// median and range of the latest values) for the network, for a theme,
// and for an area read pledge by pledge and from the area sums, are those
// worked out here by hand. The network and an area read from its sums
// take the rates hash in Go (readSummary, pickRates), an area's batch in
// lua/summary.lua: every way must agree.
func TestRatesByHand(t *testing.T) {
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
	add := func(when time.Time, biz int, theme, measure string, target float64) {
		t.Helper()
		now = when
		if _, err := s.AddPledge(ctx, c, owners[biz-1], bot.NewPledge{Business: biz, Text: "p", Theme: theme, Target: target,
			Factor: 1, Measure: measure, Visibility: bot.Public}, ""); err != nil {
			t.Fatal(err)
		}
	}
	report := func(when time.Time, n, biz int, v float64) {
		t.Helper()
		now = when
		if _, err := s.LogProgress(ctx, c, owners[biz-1], n, v, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	add(at(10, 1), 1, "fair-pay", bot.MeasureRate, 80)       // 1: CB1
	add(at(10, 2), 2, "fair-pay", bot.MeasureRate, 90)       // 2: CB1
	add(at(10, 3), 3, "fair-pay", bot.MeasureRate, 75)       // 3: CB2
	add(at(10, 4), 4, "fair-pay", bot.MeasureRate, 50)       // 4: PE1, never reports
	add(at(10, 5), 1, "volunteering", bot.MeasureTotal, 100) // 5: a total, no rate figure
	add(at(10, 6), 4, "prompt-payment", bot.MeasureRate, 90) // 6: PE1
	report(at(10, 5), 1, 1, 60)
	report(at(10, 10), 2, 2, 70)
	report(at(10, 12), 3, 3, 95)
	report(at(10, 15), 5, 1, 10)
	report(at(10, 20), 6, 4, 92)
	report(at(11, 3), 1, 1, 85) // 1's latest from 3 November
	now = at(11, 24)

	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	quarter := bot.SummaryFilter{Period: bot.Period{Start: day(10, 1), End: day(1, 1).AddDate(1, 0, 0)},
		Previous: bot.Period{Start: day(7, 1), End: day(10, 1)}}
	rolling := bot.SummaryFilter{Period: bot.Period{Start: day(10, 26), End: day(11, 25), Daily: true},
		Previous: bot.Period{Start: day(9, 26), End: day(10, 26), Daily: true}}
	type figs struct {
		pledges, reporting, met, self int
		median, min, max              float64
	}
	cases := []struct {
		name, area, theme string
		f                 bot.SummaryFilter
		cur, prev         figs
	}{
		// 1-4 live; 1 (85 >= 80) and 3 (95 >= 75) met, 2 (70 < 90) not;
		// 70, 85, 95. The quarter before: none made yet.
		{"network", "", "fair-pay", quarter, figs{4, 3, 2, 3, 85, 70, 95}, figs{}},
		{"network prompt-payment", "", "prompt-payment", quarter, figs{1, 1, 1, 1, 92, 92, 92}, figs{}},
		// Before 26 October 1 had said 60 (not met): 60, 70, 95.
		{"network last 30 days", "", "fair-pay", rolling, figs{4, 3, 2, 3, 85, 70, 95}, figs{4, 3, 1, 3, 70, 60, 95}},
		// CB1: 1 and 2, 70 and 85: median 77.5.
		{"CB1", "CB1", "fair-pay", quarter, figs{2, 2, 1, 2, 77.5, 70, 85}, figs{}},
		{"CB1 last 30 days", "CB1", "fair-pay", rolling, figs{2, 2, 1, 2, 77.5, 70, 85}, figs{2, 2, 0, 2, 65, 60, 70}},
		{"CB", "CB", "fair-pay", quarter, figs{3, 3, 2, 3, 85, 70, 95}, figs{}},
		{"PE1", "PE1", "fair-pay", quarter, figs{1, 0, 0, 0, 0, 0, 0}, figs{}},
		{"PE1 prompt-payment", "PE1", "prompt-payment", quarter, figs{1, 1, 1, 1, 92, 92, 92}, figs{}},
	}
	got := func(ps bot.PeriodStats, theme string) figs {
		th := ps.Themes[theme]
		if th == nil {
			return figs{}
		}
		r := th.Rate
		return figs{r.Pledges, r.Reporting, r.Met, r.By.SelfReported, r.Median, r.Min, r.Max}
	}
	check := func(how string) {
		t.Helper()
		for _, tc := range cases {
			for _, theme := range []string{"", tc.theme} {
				f := tc.f
				f.Area, f.Theme = tc.area, theme
				cur, prev, err := s.Summary(ctx, c, f, now)
				if err != nil {
					t.Fatal(err)
				}
				if g := got(cur, tc.theme); g != tc.cur {
					t.Errorf("%s, %s (theme %q): %+v, want %+v", how, tc.name, theme, g, tc.cur)
				}
				if g := got(prev, tc.theme); g != tc.prev {
					t.Errorf("%s, %s (theme %q), the period before: %+v, want %+v", how, tc.name, theme, g, tc.prev)
				}
				if theme != "" && len(cur.Themes) > 1 {
					t.Errorf("%s, %s: theme %s also gives %d other themes", how, tc.name, theme, len(cur.Themes)-1)
				}
				if th := cur.Themes["volunteering"]; th != nil && th.Rate != (bot.RateStats{}) {
					t.Errorf("%s, %s: a total theme has rate figures %+v", how, tc.name, th.Rate)
				}
			}
		}
	}
	s.areaSumsFrom = 1 << 30
	check("pledge by pledge")
	s.areaSumsFrom = 2
	check("from the area sums")
	if v, _ := rdb.Get(ctx, s.key(c, "area-sums")).Int(); v != 6 {
		t.Fatalf("area sums count up to pledge %d, want 6", v)
	}
}
