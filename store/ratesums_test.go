package store

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// rateFigs are a rate theme's figures as the tests below compare them.
type rateFigs struct {
	Pledges, Businesses, Reporting, Met, Confirmed, Queried, Awaiting, Self int
	Median, Min, Max                                                        float64
}

func rateFigsOf(ps bot.PeriodStats, theme string) rateFigs {
	th := ps.Themes[theme]
	if th == nil {
		return rateFigs{}
	}
	r := th.Rate
	return rateFigs{r.Pledges, r.Businesses, r.Reporting, r.Met, r.By.Confirmed, r.By.Queried, r.By.Awaiting, r.By.SelfReported,
		r.Median, r.Min, r.Max}
}

// rateRig is a community of two businesses (1 in CB1, 2 in CB2) and a
// partner (1) whose person vouches, on a clock the test sets.
type rateRig struct {
	t       *testing.T
	s       *Store
	ctx     context.Context
	now     time.Time
	owners  []bot.Actor
	partner bot.Actor
}

const rateRigC = "town"

func newRateRig(t *testing.T) *rateRig { return newBizRig(t, "CB1 1AA", "CB2 2BB") }

func (r *rateRig) ok(err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

// add makes a pledge of business biz at when; its number.
func (r *rateRig) add(when time.Time, biz int, theme string, rate bool, target float64, partner int) int {
	r.t.Helper()
	r.now = when
	np := bot.NewPledge{Business: biz, Text: "p", Theme: theme, Target: target, Factor: 1, Visibility: bot.Public, Partner: partner}
	if rate {
		np.Measure = bot.MeasureRate
	}
	p, err := r.s.AddPledge(r.ctx, rateRigC, r.owners[biz-1], np, "")
	r.ok(err)
	return p.Number
}

func (r *rateRig) report(when time.Time, biz, n int, v float64) {
	r.t.Helper()
	r.now = when
	_, err := r.s.LogProgress(r.ctx, rateRigC, r.owners[biz-1], n, v, "", "")
	r.ok(err)
}

func (r *rateRig) correct(when time.Time, biz, n, k int, v float64) {
	r.t.Helper()
	r.now = when
	_, err := r.s.CorrectProgress(r.ctx, rateRigC, r.owners[biz-1], n, k, v, "typo", "")
	r.ok(err)
}

func (r *rateRig) done(when time.Time, biz, n int) {
	r.t.Helper()
	r.now = when
	_, err := r.s.CompletePledge(r.ctx, rateRigC, r.owners[biz-1], n, "", "")
	r.ok(err)
}

func (r *rateRig) reopen(when time.Time, biz, n int) {
	r.t.Helper()
	r.now = when
	_, err := r.s.ReopenPledge(r.ctx, rateRigC, r.owners[biz-1], n, when.AddDate(0, 3, 0).Truncate(24*time.Hour),
		when.Truncate(24*time.Hour), "")
	r.ok(err)
}

func (r *rateRig) check(when time.Time, n, k int, query bool) {
	r.t.Helper()
	r.now = when
	_, _, err := r.s.CheckEntry(r.ctx, rateRigC, r.partner, bot.CheckEntry{Pledge: n, Entry: k, Query: query, Note: "sure?"}, "")
	r.ok(err)
}

func (r *rateRig) edit(when time.Time, biz, n int, e bot.PledgeEdit) {
	r.t.Helper()
	r.now = when
	_, err := r.s.EditPledge(r.ctx, rateRigC, r.owners[biz-1], n, e, "")
	r.ok(err)
}

// rateCase is a period and a rate theme's figures in it and the period
// before, for the network and for area CB (both businesses).
type rateCase struct {
	name      string
	f         bot.SummaryFilter
	cur, prev rateFigs
}

// expect checks the cases every way a summary reads: the network's
// monthly sums with the edges from the ledger, the area pledge by
// pledge, and (filled in now, or kept since an earlier expect) the area
// sums and the day sums; each for every theme and for the theme alone.
func (r *rateRig) expect(how, theme string, cases []rateCase) {
	r.t.Helper()
	rdb, ctx := r.s.rdb, r.ctx
	read := func(way string) {
		r.t.Helper()
		for _, tc := range cases {
			for _, area := range []string{"", "CB"} {
				for _, th := range []string{"", theme} {
					f := tc.f
					f.Area, f.Theme = area, th
					cur, prev, err := r.s.Summary(ctx, rateRigC, f, r.now)
					r.ok(err)
					if g := rateFigsOf(cur, theme); g != tc.cur {
						r.t.Errorf("%s, %s, %s (area %q theme %q): %+v\nwant %+v", how, way, tc.name, area, th, g, tc.cur)
					}
					if g := rateFigsOf(prev, theme); g != tc.prev {
						r.t.Errorf("%s, %s, %s (area %q theme %q), the period before: %+v\nwant %+v", how, way, tc.name, area, th, g, tc.prev)
					}
				}
			}
		}
	}
	// The ledger's edges and pledge by pledge: without area or day sums.
	keys := []string{r.s.key(rateRigC, "area-sums"), r.s.key(rateRigC, "day-sums")}
	saved := map[string]string{}
	for _, k := range keys {
		if v, err := rdb.Get(ctx, k).Result(); err == nil {
			saved[k] = v
		}
		rdb.Del(ctx, k)
	}
	r.s.areaSumsFrom = 1 << 30
	read("ledger")
	for k, v := range saved {
		r.ok(rdb.Set(ctx, k, v, 0).Err())
	}
	// From the area and day sums (filled in by the first read that wants
	// them, or kept by the writes since).
	r.s.areaSumsFrom = 1
	read("sums")
	if _, err := rdb.Get(ctx, keys[0]).Result(); err != nil {
		r.t.Errorf("%s: the area sums were never filled in", how)
	}
	if _, err := rdb.Get(ctx, keys[1]).Result(); err != nil {
		r.t.Errorf("%s: the day sums were never filled in", how)
	}
	r.s.areaSumsFrom = 1 << 30
}

func rateMonth(y int, m time.Month) bot.SummaryFilter {
	start := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return bot.SummaryFilter{Period: bot.Period{Start: start, End: start.AddDate(0, 1, 0)},
		Previous: bot.Period{Start: start.AddDate(0, -1, 0), End: start}}
}

// ratePeriod is [start, end) after [prevStart, start).
func ratePeriod(prevStart, start, end time.Time) bot.SummaryFilter {
	daily := start.Unix()%86400 == 0 && end.Unix()%86400 == 0 && prevStart.Unix()%86400 == 0
	return bot.SummaryFilter{Period: bot.Period{Start: start, End: end, Daily: daily},
		Previous: bot.Period{Start: prevStart, End: start, Daily: daily}}
}

// TestRateSumsByHand: rate pledges of fair-pay through the writes that
// move their figures, and the figures of October, of rolling periods
// and of periods a second long around a report and a close in the same
// second, worked out by hand from the rule (a pledge counts when made
// before the end and not closed before the start; its value is its
// latest entry not struck dated before the end; a business counts from
// its first pledge of the theme until all are closed, once, at the value
// of whichever of its pledges took one last; By is that entry's state
// now; met when that pledge's target is above 0 and the value reaches it):
//
//	1 (B1, target 80): made 1 Oct 09:00, reports 80 and is done, both 5 Oct 12:00:00
//	2 (B2, target 50): made 2 Oct 09:00, 40 on 3 Oct 09:00, done 6 Oct, reopened
//	  20 Oct, 60 on 21 Oct 09:00, done again 22 Oct (counted as closed 22 Oct)
//	3 (B1, target 90, to the partner): made 2 Oct 10:00, 100/3 on 4 Oct 09:00
//	  (33.333333333333 as kept), 95 on 8 Oct struck on 9 Oct, entry 1
//	  confirmed 10 Oct
//	4 (B2, target 70): made 3 Oct 11:00, 75 on 4 Oct 11:00, struck 7 Oct: never reporting
//	5 (B1): a volunteering total made 3 Oct 12:00 (target 60), 10 on 4 Oct
//	  12:00 and 20 on 5 Oct 09:00; made fair-pay (a rate, target 60) 11 Oct,
//	  target 15 on 12 Oct: value 20, met
//	6 (B2, fair-pay, target 70): made 3 Oct 13:00, 50 on 4 Oct 13:00, made a volunteering total
//	  12 Oct: in no rate figure
func TestRateSumsByHand(t *testing.T) {
	r := newRateRig(t)
	at := func(d, h, m, s int) time.Time { return time.Date(2026, 10, d, h, m, s, 0, time.UTC) }
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	fp, vol, rateM, totalM := "fair-pay", "volunteering", bot.MeasureRate, ""
	p1 := r.add(at(1, 9, 0, 0), 1, fp, true, 80, 0)
	p2 := r.add(at(2, 9, 0, 0), 2, fp, true, 50, 0)
	p3 := r.add(at(2, 10, 0, 0), 1, fp, true, 90, 1)
	p4 := r.add(at(3, 11, 0, 0), 2, fp, true, 70, 0)
	p5 := r.add(at(3, 12, 0, 0), 1, vol, false, 60, 0)
	p6 := r.add(at(3, 13, 0, 0), 2, fp, true, 70, 0)
	r.report(at(3, 9, 0, 0), 2, p2, 40)
	r.report(at(4, 9, 0, 0), 1, p3, 100.0/3)
	r.report(at(4, 11, 0, 0), 2, p4, 75)
	r.report(at(4, 12, 0, 0), 1, p5, 10)
	r.report(at(4, 13, 0, 0), 2, p6, 50)
	r.report(at(5, 9, 0, 0), 1, p5, 20)
	r.report(at(5, 12, 0, 0), 1, p1, 80)
	r.done(at(5, 12, 0, 0), 1, p1)
	r.done(at(6, 9, 0, 0), 2, p2)
	r.correct(at(7, 9, 0, 0), 2, p4, 1, 0)
	r.report(at(8, 9, 0, 0), 1, p3, 95)
	r.correct(at(9, 9, 0, 0), 1, p3, 2, 0)
	r.check(at(10, 9, 0, 0), p3, 1, false)
	r.edit(at(11, 9, 0, 0), 1, p5, bot.PledgeEdit{Theme: &fp, Measure: &rateM})
	fifteen := 15.0
	r.edit(at(12, 9, 0, 0), 1, p5, bot.PledgeEdit{Target: &fifteen})
	r.edit(at(12, 10, 0, 0), 2, p6, bot.PledgeEdit{Theme: &vol, Measure: &totalM})
	r.reopen(at(20, 9, 0, 0), 2, p2)
	r.report(at(21, 9, 0, 0), 2, p2, 60)
	r.done(at(22, 9, 0, 0), 2, p2)
	r.now = at(25, 9, 0, 0)

	third := 33.333333333333 // 100/3 as kept (14 significant digits)
	// B1 (1, 3 and 5 of fair-pay now) holds a third (3) from 4 Oct 09:00,
	// 10 (5; not met, its target 15 now) from 4 Oct 12:00, 20 (5, met)
	// from 5 Oct 09:00 and 80 (1, met) from 5 Oct 12:00:00 on: 1's close
	// does not close B1, whose 3 and 5 are active. B2 (2 and 4; 6 is a
	// total now) holds 40 (2, not met) from 3 Oct 09:00 and 60 (2, met)
	// from 21 Oct 09:00; its 4 never reports. None of 1, 2, 5 names a
	// partner: self-reported. Each business counts once.
	cases := []rateCase{
		// October: 1-5 live (6 is a total now), of B1 and B2; B1 80 met,
		// B2 60 met: median 70. September: none made.
		{"October", rateMonth(2026, time.October),
			rateFigs{5, 2, 2, 2, 0, 0, 0, 2, 70, 60, 80}, rateFigs{}},
		// 6-9 Oct: 2-5 live (1 closed 5 Oct); at 9 Oct B1 80 (met), B2 40
		// (not): median 60. 3-6 Oct: 1 too; at 6 Oct the same values.
		{"6-9 October", ratePeriod(day(10, 3), day(10, 6), day(10, 9)),
			rateFigs{4, 2, 2, 1, 0, 0, 0, 2, 60, 40, 80}, rateFigs{5, 2, 2, 1, 0, 0, 0, 2, 60, 40, 80}},
		// 10-21 Oct: B2 held 40 until 21 Oct 09:00. 29 Sep-10 Oct: 1 live too.
		{"10-21 October", ratePeriod(day(9, 29), day(10, 10), day(10, 21)),
			rateFigs{4, 2, 2, 1, 0, 0, 0, 2, 60, 40, 80}, rateFigs{5, 2, 2, 1, 0, 0, 0, 2, 60, 40, 80}},
		// The second of 5 Oct 12:00:00, when 1 reported 80 and was done:
		// it counts, and B1 holds 80. The second before: B1 holds 5's 20
		// (met), B2 40: median 30.
		{"5 Oct 12:00:00", ratePeriod(at(5, 11, 59, 59), at(5, 12, 0, 0), at(5, 12, 0, 1)),
			rateFigs{5, 2, 2, 1, 0, 0, 0, 2, 60, 40, 80}, rateFigs{5, 2, 2, 1, 0, 0, 0, 2, 30, 20, 40}},
		// The second after: 1 closed before it, B1 still holds its 80.
		{"5 Oct 12:00:01", ratePeriod(at(5, 12, 0, 0), at(5, 12, 0, 1), at(5, 12, 0, 2)),
			rateFigs{4, 2, 2, 1, 0, 0, 0, 2, 60, 40, 80}, rateFigs{5, 2, 2, 1, 0, 0, 0, 2, 60, 40, 80}},
		// 4 Oct 09:00-10:00: 1-5 live; at 10:00 B1 holds 3's third (to the
		// partner, confirmed; below 90), B2 40: median (a third + 40) / 2.
		// 08:00-09:00: B1 none yet (3's entry is dated 09:00), B2 40.
		{"4 Oct 09:00-10:00", ratePeriod(at(4, 8, 0, 0), at(4, 9, 0, 0), at(4, 10, 0, 0)),
			rateFigs{5, 2, 2, 0, 1, 0, 0, 1, (third + 40) / 2, third, 40}, rateFigs{5, 2, 1, 0, 0, 0, 0, 1, 40, 40, 40}},
	}
	r.expect("written", fp, cases)

	// 3's entry 1 queried now: By follows its state now in every period.
	r.check(at(25, 10, 0, 0), p3, 1, true)
	for i := range cases {
		for _, f := range []*rateFigs{&cases[i].cur, &cases[i].prev} {
			if f.Confirmed == 1 {
				f.Confirmed, f.Queried = 0, 1
			}
		}
	}
	r.expect("queried", fp, cases)

	// The rebuild from the pledges gives the same.
	r.ok(r.s.RebuildFigures(r.ctx, rateRigC))
	r.expect("rebuilt", fp, cases)

	// Business 2 goes: 2 and 4 with it. October: 1, 3 and 5, B1 at 80.
	// 4 Oct 09:00-10:00: B1 at 3's third, queried now.
	r.now = at(26, 9, 0, 0)
	r.ok(r.s.DeleteBusiness(r.ctx, rateRigC, r.owners[1], 2, ""))
	r.expect("deleted", fp, []rateCase{
		{"October", rateMonth(2026, time.October), rateFigs{3, 1, 1, 1, 0, 0, 0, 1, 80, 80, 80}, rateFigs{}},
		{"6-9 October", ratePeriod(day(10, 3), day(10, 6), day(10, 9)),
			rateFigs{2, 1, 1, 1, 0, 0, 0, 1, 80, 80, 80}, rateFigs{3, 1, 1, 1, 0, 0, 0, 1, 80, 80, 80}},
		{"4 Oct 09:00-10:00", ratePeriod(at(4, 8, 0, 0), at(4, 9, 0, 0), at(4, 10, 0, 0)),
			rateFigs{3, 1, 1, 0, 0, 1, 0, 0, third, third, third}, rateFigs{3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
	})
}

// TestRateSumsClockBehind: a value is the latest entry in logging order
// of those dated before the period's end, even when a replica's clock
// dates an entry before the one logged ahead of it. 1 (fair-pay, target
// 65) made 1 Oct 09:00 reports 60 on 10 Oct 09:00; then a clock a few
// days behind dates its 70 5 Oct 09:00, and 2 (target 65, made 1 Oct
// 10:00) reports 80 on 12 Oct 09:00 and 50 dated 11 Oct 09:00.
//
//	6-8 Oct: 1 holds 70 (dated 5 Oct, logged last), met; 2 none:
//	  2 pledges, 1 reporting, median 70. 1-6 Oct: 70 too.
//	10 Oct 09:00:00-09:00:01: 1 still 70 (the later-logged 70 was dated
//	  before); 2 none: 1 reporting, 70.
//	11 Oct 09:00:01-12 Oct: 1 70, 2 50 (dated 11 Oct, logged last):
//	  2 reporting, median 60, 1 met.
//	October: 1 70 (met), 2 50: the same.
func TestRateSumsClockBehind(t *testing.T) {
	r := newRateRig(t)
	at := func(d, h, m, s int) time.Time { return time.Date(2026, 10, d, h, m, s, 0, time.UTC) }
	day := func(d int) time.Time { return time.Date(2026, 10, d, 0, 0, 0, 0, time.UTC) }
	p1 := r.add(at(1, 9, 0, 0), 1, "fair-pay", true, 65, 0)
	p2 := r.add(at(1, 10, 0, 0), 2, "fair-pay", true, 65, 0)
	r.report(at(10, 9, 0, 0), 1, p1, 60)
	r.report(at(5, 9, 0, 0), 1, p1, 70)
	r.report(at(12, 9, 0, 0), 2, p2, 80)
	r.report(at(11, 9, 0, 0), 2, p2, 50)
	r.now = at(25, 9, 0, 0)
	cases := []rateCase{
		{"6-8 October", ratePeriod(day(1), day(6), day(8)),
			rateFigs{2, 2, 1, 1, 0, 0, 0, 1, 70, 70, 70}, rateFigs{2, 2, 1, 1, 0, 0, 0, 1, 70, 70, 70}},
		{"10 Oct 09:00:00", ratePeriod(at(10, 8, 59, 59), at(10, 9, 0, 0), at(10, 9, 0, 1)),
			rateFigs{2, 2, 1, 1, 0, 0, 0, 1, 70, 70, 70}, rateFigs{2, 2, 1, 1, 0, 0, 0, 1, 70, 70, 70}},
		{"11 Oct 09:00:01 - 12 Oct", ratePeriod(at(11, 9, 0, 0), at(11, 9, 0, 1), day(12)),
			rateFigs{2, 2, 2, 1, 0, 0, 0, 2, 60, 50, 70}, rateFigs{2, 2, 2, 1, 0, 0, 0, 2, 60, 50, 70}},
		{"October", rateMonth(2026, time.October), rateFigs{2, 2, 2, 1, 0, 0, 0, 2, 60, 50, 70}, rateFigs{}},
	}
	r.expect("written", "fair-pay", cases)
	r.ok(r.s.RebuildFigures(r.ctx, rateRigC))
	r.expect("rebuilt", "fair-pay", cases)
	// As a release before rate sums left it: sums without the rate
	// atoms (here none at all) and a rates index; MigrateRateSums
	// rebuilds them.
	rdb, ctx := r.s.rdb, r.ctx
	months, err := rdb.ZRange(ctx, r.s.key(rateRigC, "months"), 0, -1).Result()
	r.ok(err)
	for _, mo := range months {
		r.ok(rdb.Del(ctx, r.s.key(rateRigC, "sums:"+mo)).Err())
	}
	r.ok(rdb.HDel(ctx, r.s.key(rateRigC, "migrations"), "rate-sums").Err())
	r.ok(rdb.HSet(ctx, r.s.key(rateRigC, "rates"), "1", "fair-pay|1|65|0|").Err())
	if ran, err := r.s.MigrateRateSums(ctx, rateRigC); err != nil || !ran {
		t.Fatalf("MigrateRateSums: %v, %v; want a rebuild", ran, err)
	}
	r.expect("migrated", "fair-pay", cases)
}
