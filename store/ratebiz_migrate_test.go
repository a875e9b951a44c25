package store

import (
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// TestMigrateRateBusinesses: testdata/rates-1ae7698.json is the rateRig
// community as release 1ae7698 left it, its sums counting each rate pledge
// at its own value (October read 3 reporting, median 70):
//
//	B1 #1 fair-pay t80, made 1 Oct 09:00: 70 on 5 Oct 09:00
//	B1 #2 fair-pay t90, made 2 Oct 09:00: 95 on 8 Oct 09:00
//	B2 #3 fair-pay t60, made 3 Oct 09:00: 50 on 6 Oct 09:00, done 20 Oct 09:00
//	B2 #4 volunteering t10, made 3 Oct 10:00: 4 on 4 Oct 10:00
//
// MigrateRateBusinesses rebuilds it once (the second run does nothing);
// then each business counts once, at the latest value it reported, as
// worked out here by hand, every way a summary reads; the total theme is
// as it was. A report after the migration moves the sums on.
func TestMigrateRateBusinesses(t *testing.T) {
	r := newRateRig(t)
	rdb, ctx := r.s.rdb, r.ctx
	for _, k := range rdb.Keys(ctx, r.s.base(rateRigC)+"*").Val() {
		r.ok(rdb.Del(ctx, k).Err())
	}
	loadFixture(t, rdb.(*redis.Client), r.s, rateRigC, "testdata/rates-1ae7698.json")
	// (as that release's start-up left a community it made: every earlier
	// migration recorded as done)
	r.ok(rdb.HSet(ctx, r.s.key(rateRigC, "migrations"), "members", membersRelease, "packed", packedRelease,
		"persons", personsRelease, "short", shortRelease, "month-bits", monthBitsRelease, "name-key", nameKeyRelease,
		"bare-notes", bareNotesRelease, "rate-sums", rateSumsRelease).Err())
	r.now = time.Date(2026, 10, 25, 9, 0, 0, 0, time.UTC)
	// As that release left them: 3 pledges reporting 70, 95 and 50, no
	// business counted.
	before, _, err := r.s.Summary(ctx, rateRigC, rateMonth(2026, time.October), r.now)
	r.ok(err)
	if g := rateFigsOf(before, "fair-pay"); g != (rateFigs{3, 0, 3, 1, 0, 0, 0, 3, 70, 50, 95}) {
		t.Errorf("before: %+v, want 1ae7698's pledge by pledge figures", g)
	}
	for i, want := range []bool{true, false} {
		if ran, err := r.s.MigrateRateBusinesses(ctx, rateRigC); err != nil || ran != want {
			t.Fatalf("run %d: rebuilt %v, %v; want %v", i+1, ran, err, want)
		}
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	// B1 holds 70 (#1, below its 80) from 5 Oct 09:00 and 95 (#2, meets
	// its 90) from 8 Oct 09:00; B2 holds 50 (#3, below 60) from 6 Oct
	// 09:00 and closes with #3 on 20 Oct. All self-reported.
	cases := []rateCase{
		// October: #1-#3, B1 95 met, B2 50: median 72.5. September: none.
		{"October", rateMonth(2026, time.October), rateFigs{3, 2, 2, 1, 0, 0, 0, 2, 72.5, 50, 95}, rateFigs{}},
		// November: #3 and B2 closed before it; B1 95.
		{"November", rateMonth(2026, time.November), rateFigs{2, 1, 1, 1, 0, 0, 0, 1, 95, 95, 95},
			rateFigs{3, 2, 2, 1, 0, 0, 0, 2, 72.5, 50, 95}},
		// 6 Oct: at its end B1 70, B2 50 (09:00): median 60, none met.
		// 5 Oct: B1 70 (09:00), B2 none yet.
		{"6 October", ratePeriod(day(10, 5), day(10, 6), day(10, 7)), rateFigs{3, 2, 2, 0, 0, 0, 0, 2, 60, 50, 70},
			rateFigs{3, 2, 1, 0, 0, 0, 0, 1, 70, 70, 70}},
	}
	r.expect("migrated", "fair-pay", cases)
	cur, _, err := r.s.Summary(ctx, rateRigC, rateMonth(2026, time.October), r.now)
	r.ok(err)
	if v := cur.Themes["volunteering"]; v == nil || v.Made != 1 || v.Committed != 10 || v.Delivered != 4 || v.Rate != (bot.RateStats{}) {
		t.Errorf("October volunteering %+v, want 1 made, 10 committed, 4 delivered, no rate", v)
	}
	// #1 reports 85 on 1 Dec (meets 80): B1 holds it from then.
	r.report(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), 1, 1, 85)
	r.expect("reported", "fair-pay", []rateCase{
		{"December", rateMonth(2026, time.December), rateFigs{2, 1, 1, 1, 0, 0, 0, 1, 85, 85, 85},
			rateFigs{2, 1, 1, 1, 0, 0, 0, 1, 95, 95, 95}},
	})
}
