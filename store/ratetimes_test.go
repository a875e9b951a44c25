package store

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// The rates index keeps its times in base 36 (rate_sync), and reads the
// decimal ones releases up to 2cc2921 wrote. On 0361339's fixture, pledge
// #2 (fair-pay, target 100%, made 10 Aug 09:00) reported 60 on 10 Aug and 80
// on 15 Oct, in decimal; then it reports 90 on 1 Dec 09:00 and its entry is
// rewritten. Each period's figures are checked by hand, before and after.
func TestRatesIndexTimes(t *testing.T) {
	rdb, s, now := loadLedgerFixture(t)
	ctx := context.Background()
	key := s.base("town") + "rates"
	if got, want := rdb.HGet(ctx, key, "2").Val(), "fair-pay|1|100|1786352400||1786352400:60,1792058400:80"; got != want {
		t.Fatalf("the fixture's entry %q, want %q", got, want)
	}
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
		if r.Pledges != pledges || r.Reporting != reporting || r.Met != met || r.Median != median {
			t.Errorf("%s, %s: %d pledges, %d reporting, %d met, median %v; want %d, %d, %d, %v", when, m,
				r.Pledges, r.Reporting, r.Met, r.Median, pledges, reporting, met, median)
		}
	}
	// July: not made yet. August: 60 (10 Aug). October and November: 80.
	for _, when := range []string{"decimal", "base 36"} {
		check(when, time.July, 0, 0, 0, 0)
		check(when, time.August, 1, 1, 0, 60)
		check(when, time.November, 1, 1, 0, 80)
		if when == "decimal" {
			*now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			if _, err := s.LogProgress(ctx, "town", fixtureAnn, 2, 90, "", "r1"); err != nil {
				t.Fatal(err)
			}
			// in base 36: 1786352400 (10 Aug 09:00) is tjjqc0, 1792058400 (15 Oct 10:00) tmy140, 1796115600 (1 Dec 09:00) tpczo0
			want := "fair-pay|1|100|tjjqc0||tjjqc0:60,tmy140:80,tpczo0:90"
			if got := rdb.HGet(ctx, key, "2").Val(); got != want {
				t.Fatalf("the entry rewritten %q, want %q", got, want)
			}
		}
	}
	check("base 36", time.December, 1, 1, 0, 90)
	// Completed on 2 Dec: closed in base 36, and still live in December.
	*now = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	if _, err := s.CompletePledge(ctx, "town", fixtureAnn, 2, "", "r2"); err != nil {
		t.Fatal(err)
	}
	if got, want := rdb.HGet(ctx, key, "2").Val(), "fair-pay|1|100|tjjqc0|tpeuc0|tjjqc0:60,tmy140:80,tpczo0:90"; got != want {
		t.Errorf("the entry once done %q, want %q", got, want)
	}
	check("closed", time.December, 1, 1, 0, 90)
}
