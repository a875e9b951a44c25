package store

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestRatesByHand: a rate theme's figures (pledges, businesses, and of
// the businesses reporting, met, median and range of the latest values)
// for the network, for a theme, and for an area read pledge by pledge and
// from the area sums, are those worked out here by hand: every way must
// agree. Then, under a theme of their own: a corrected latest entry, a struck one (the value before it
// counts), a pledge done in November (gone from a period starting after),
// one reopened, and a target edit that makes a value meet it.
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
		pledges, businesses, reporting, met, self int
		median, min, max                          float64
	}
	type rateCase struct {
		name, area, theme string
		f                 bot.SummaryFilter
		cur, prev         figs
	}
	cases := []rateCase{
		// 1-4 live; 1 (85 >= 80) and 3 (95 >= 75) met, 2 (70 < 90) not;
		// 70, 85, 95. The quarter before: none made yet.
		{"network", "", "fair-pay", quarter, figs{4, 4, 3, 2, 3, 85, 70, 95}, figs{}},
		{"network prompt-payment", "", "prompt-payment", quarter, figs{1, 1, 1, 1, 1, 92, 92, 92}, figs{}},
		// Before 26 October 1 had said 60 (not met): 60, 70, 95.
		{"network last 30 days", "", "fair-pay", rolling, figs{4, 4, 3, 2, 3, 85, 70, 95}, figs{4, 4, 3, 1, 3, 70, 60, 95}},
		// CB1: 1 and 2, 70 and 85: median 77.5.
		{"CB1", "CB1", "fair-pay", quarter, figs{2, 2, 2, 1, 2, 77.5, 70, 85}, figs{}},
		{"CB1 last 30 days", "CB1", "fair-pay", rolling, figs{2, 2, 2, 1, 2, 77.5, 70, 85}, figs{2, 2, 2, 0, 2, 65, 60, 70}},
		{"CB", "CB", "fair-pay", quarter, figs{3, 3, 3, 2, 3, 85, 70, 95}, figs{}},
		{"PE1", "PE1", "fair-pay", quarter, figs{1, 1, 0, 0, 0, 0, 0, 0}, figs{}},
		{"PE1 prompt-payment", "PE1", "prompt-payment", quarter, figs{1, 1, 1, 1, 1, 92, 92, 92}, figs{}},
	}
	got := func(ps bot.PeriodStats, theme string) figs {
		th := ps.Themes[theme]
		if th == nil {
			return figs{}
		}
		r := th.Rate
		return figs{r.Pledges, r.Businesses, r.Reporting, r.Met, r.By.SelfReported, r.Median, r.Min, r.Max}
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

	// Corrections, closes, reopening and a target edit, under a rate theme
	// of their own (retention), so the figures above stay as they are.
	owner := func(biz int) bot.Actor { return owners[biz-1] }
	must := func(_ bot.Pledge, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	add(at(10, 1), 1, "retention", bot.MeasureRate, 50) // 7: CB1
	add(at(10, 1), 2, "retention", bot.MeasureRate, 50) // 8: CB1
	add(at(10, 2), 3, "retention", bot.MeasureRate, 80) // 9: CB2
	add(at(10, 2), 4, "retention", bot.MeasureRate, 30) // 10: PE1
	add(at(10, 3), 1, "retention", bot.MeasureRate, 90) // 11: CB1
	report(at(10, 2), 7, 1, 40)
	report(at(10, 20), 7, 1, 60)
	report(at(10, 3), 8, 2, 70)
	report(at(10, 21), 8, 2, 20)
	report(at(10, 4), 9, 3, 90)
	report(at(10, 5), 10, 4, 25)
	report(at(10, 6), 11, 1, 85)
	now = at(10, 10)
	must(s.CompletePledge(ctx, c, owner(4), 10, "", "")) // 10 done...
	now = at(10, 12)
	must(s.ReopenPledge(ctx, c, owner(4), 10, day(12, 1), day(10, 12), "")) // ...and reopened: live again
	now = at(11, 1)
	must(s.CorrectProgress(ctx, c, owner(1), 7, 0, 45, "typo", "")) // 7's latest, 60 (met), is 45 (not)
	now = at(11, 2)
	must(s.CorrectProgress(ctx, c, owner(2), 8, 0, 0, "wrong", "")) // 8's latest, 20, struck: 70 (met) again
	now = at(11, 5)
	target := 80.0
	must(s.EditPledge(ctx, c, owner(1), 11, bot.PledgeEdit{Target: &target}, "")) // 11: 85 misses 90, meets 80
	now = at(11, 10)
	must(s.CompletePledge(ctx, c, owner(3), 9, "", "")) // 9 done on 10 November
	now = at(11, 24)
	late := bot.SummaryFilter{Period: bot.Period{Start: day(11, 15), End: day(11, 25), Daily: true},
		Previous: bot.Period{Start: day(11, 5), End: day(11, 15), Daily: true}}
	cases = []rateCase{
		// Each business counts once, at the latest value it reported on
		// any of its pledges of the theme, met against that pledge's
		// target. Business 1 has two: 7 said 40 (2 Oct) and 60 (20 Oct,
		// corrected to 45), 11 said 85 (6 Oct): its latest is 7's 45,
		// which misses 7's 50. Business 2: 8's 20 struck, 70 (>= 50).
		// Business 3: 9, 90 (>= 80). Business 4: 10, 25 (< 30). So 5
		// pledges, 4 businesses, 4 reporting, 2 met; 25, 45, 70, 90:
		// median 57.5. The quarter before: none.
		{"corrected", "", "retention", quarter, figs{5, 4, 4, 2, 4, 57.5, 25, 90}, figs{}},
		// From 15 November business 3 (its only pledge, 9, done on the
		// 10th) is gone: 25, 45, 70, median 45, 1 met (business 2). From 5
		// November it was still live.
		{"corrected, late November", "", "retention", late, figs{4, 3, 3, 1, 3, 45, 25, 70}, figs{5, 4, 4, 2, 4, 57.5, 25, 90}},
		// CB1: businesses 1 (7, 11) and 2 (8): 45 and 70; 2 met.
		{"corrected CB1", "CB1", "retention", quarter, figs{3, 2, 2, 1, 2, 57.5, 45, 70}, figs{}},
		{"corrected CB1, late November", "CB1", "retention", late, figs{3, 2, 2, 1, 2, 57.5, 45, 70}, figs{3, 2, 2, 1, 2, 57.5, 45, 70}},
		// CB: businesses 1, 2 and 3: 45, 70, 90, median 70, 2 met; from
		// 15 November without 3, as CB1.
		{"corrected CB", "CB", "retention", quarter, figs{4, 3, 3, 2, 3, 70, 45, 90}, figs{}},
		{"corrected CB, late November", "CB", "retention", late, figs{3, 2, 2, 1, 2, 57.5, 45, 70}, figs{4, 3, 3, 2, 3, 70, 45, 90}},
		// PE1: business 4's 10, reopened, is live throughout, at 25 (< 30).
		{"reopened PE1", "PE1", "retention", quarter, figs{1, 1, 1, 0, 1, 25, 25, 25}, figs{}},
		{"reopened PE1, late November", "PE1", "retention", late, figs{1, 1, 1, 0, 1, 25, 25, 25}, figs{1, 1, 1, 0, 1, 25, 25, 25}},
	}
	s.areaSumsFrom = 1 << 30
	check("pledge by pledge, after corrections")
	s.areaSumsFrom = 2
	check("from the area sums, after corrections")
}
