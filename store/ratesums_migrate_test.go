package store

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestMigrateRateSums: on 0361339's fixture, pledge #2 (fair-pay, target
// 100%, made 10 Aug 09:00) reported 60 on 10 Aug and 80 on 15 Oct; that
// release's sums do not count its values. Once MigrateRateSums has run
// (once: the second run does nothing), each month's figures are those
// checked here by hand, and the release's index of rate values is gone;
// then it reports 100 on 1 Dec (meeting its target) and is done on 2 Dec,
// and the sums follow.
func TestMigrateRateSums(t *testing.T) {
	rdb, s, now := loadLedgerFixture(t)
	ctx := context.Background()
	month := func(m time.Month) bot.SummaryFilter {
		start := time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC)
		return bot.SummaryFilter{Period: bot.Period{Start: start, End: start.AddDate(0, 1, 0)},
			Previous: bot.Period{Start: start.AddDate(0, -1, 0), End: start}}
	}
	check := func(when string, m time.Month, pledges, reporting, met int, median float64) {
		t.Helper()
		cur, _, err := s.Summary(ctx, "town", month(m), time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		var r bot.RateStats
		if th := cur.Themes["fair-pay"]; th != nil {
			r = th.Rate
		}
		if r.Pledges != pledges || r.Reporting != reporting || r.Met != met || r.Median != median || r.By.SelfReported != reporting {
			t.Errorf("%s, %s: %+v; want %d pledges, %d reporting (self-reported), %d met, median %v", when, m,
				r, pledges, reporting, met, median)
		}
	}
	// As that release left them: no rate figures at all.
	check("before", time.November, 0, 0, 0, 0)
	for i, want := range []bool{true, false} {
		if ran, err := s.MigrateRateSums(ctx, "town"); err != nil || ran != want {
			t.Fatalf("run %d: rebuilt %v, %v; want %v", i+1, ran, err, want)
		}
	}
	// and the index of each rate pledge's values it kept goes.
	if n := rdb.Exists(ctx, s.key("town", "rates")).Val(); n != 0 {
		t.Errorf("the rates index is still there")
	}
	// July: not made yet. August: 60 (10 Aug). October and November: 80.
	check("migrated", time.July, 0, 0, 0, 0)
	check("migrated", time.August, 1, 1, 0, 60)
	check("migrated", time.October, 1, 1, 0, 80)
	check("migrated", time.November, 1, 1, 0, 80)
	// Reports 100 on 1 Dec: met.
	*now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if _, err := s.LogProgress(ctx, "town", fixtureAnn, 2, 100, "", "r1"); err != nil {
		t.Fatal(err)
	}
	check("reported", time.November, 1, 1, 0, 80)
	check("reported", time.December, 1, 1, 1, 100)
	// Done on 2 Dec: still live in December, gone from January.
	*now = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	if _, err := s.CompletePledge(ctx, "town", fixtureAnn, 2, "", "r2"); err != nil {
		t.Fatal(err)
	}
	check("done", time.December, 1, 1, 1, 100)
	jan := bot.SummaryFilter{Period: bot.Period{Start: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)},
		Previous: month(time.December).Period}
	cur, prev, err := s.Summary(ctx, "town", jan, time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if th := cur.Themes["fair-pay"]; th != nil && th.Rate != (bot.RateStats{}) {
		t.Errorf("January: %+v, want no rate figures (done in December)", th.Rate)
	}
	if th := prev.Themes["fair-pay"]; th == nil || th.Rate.Reporting != 1 || th.Rate.Median != 100 {
		t.Errorf("January's month before: %+v, want December's", prev.Themes["fair-pay"])
	}
}
