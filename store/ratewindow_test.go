package store

import (
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestRateWindowLaterWrites: writes in November that change what a
// business held in October (a correction of an October entry, a pledge
// moved in from another rate theme, the carrying pledge withdrawn) read
// the same through a rolling period whose edges fall mid-November (the
// ledger's edges: the pledges written there and the one carrying each
// one's business) as every other way: the atoms these writes move are
// dated in October, where the entries they follow are. By hand:
//
//	1 (B1, fair-pay, target 80): made 1 Oct 09:00, 70 on 8 Oct 09:00,
//	  corrected to 90 on 10 Nov 09:00 (met)
//	2 (B1, prompt-payment, target 50): made 2 Oct 09:00, 60 on 6 Oct
//	  09:00, moved to fair-pay on 12 Nov 09:00 (met, 60 >= 50)
//	3 (B2, fair-pay, target 70): made 3 Oct 09:00, never reports
//	4 (B2, fair-pay, target 70): made 4 Oct 09:00, 75 on 7 Nov 12:00 (met)
//
// B1 holds whichever of 1 and 2 took a value last: 1's 90 (8 Oct, after
// 2's 6 Oct). B2's value is 4's, carried by 3, which writes nothing in
// November: the window must read 3 for 4's entry. No partner:
// self-reported.
func TestRateWindowLaterWrites(t *testing.T) {
	r := newRateRig(t)
	oct := func(d int) time.Time { return time.Date(2026, 10, d, 9, 0, 0, 0, time.UTC) }
	nov := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	fp := "fair-pay"
	p1 := r.add(oct(1), 1, fp, true, 80, 0)
	p2 := r.add(oct(2), 1, "prompt-payment", true, 50, 0)
	r.add(oct(3), 2, fp, true, 70, 0)
	p4 := r.add(oct(4), 2, fp, true, 70, 0)
	r.report(oct(6), 1, p2, 60)
	r.report(oct(8), 1, p1, 70)
	r.report(nov(7, 12), 2, p4, 75)
	r.correct(nov(10, 9), 1, p1, 1, 90)
	r.edit(nov(12, 9), 1, p2, bot.PledgeEdit{Theme: &fp})
	r.now = nov(20, 9)
	// 5-15 Nov (12:00) after 26 Oct-5 Nov: 1-4 live, of B1 and B2.
	window := ratePeriod(time.Date(2026, 10, 26, 12, 0, 0, 0, time.UTC), nov(5, 12), nov(15, 12))
	r.expect("moved in", fp, []rateCase{
		// At 15 Nov B1 90 (met), B2 75 (met): median 82.5. At 5 Nov B1
		// 90, B2 none yet.
		{"5-15 Nov", window, rateFigs{4, 2, 2, 2, 0, 0, 0, 2, 82.5, 75, 90}, rateFigs{4, 2, 1, 1, 0, 0, 0, 1, 90, 90, 90}},
		// November: as at 15 Nov; October: as at 5 Nov.
		{"November", rateMonth(2026, time.November), rateFigs{4, 2, 2, 2, 0, 0, 0, 2, 82.5, 75, 90},
			rateFigs{4, 2, 1, 1, 0, 0, 0, 1, 90, 90, 90}},
	})

	// 1 withdrawn 13 Nov: it counts nowhere (2-4 live), and 2 carries
	// B1, which holds 2's 60 (met against 2's 50) in every period.
	r.now = nov(13, 9)
	_, err := r.s.WithdrawPledge(r.ctx, rateRigC, r.owners[0], p1, "")
	r.ok(err)
	r.now = nov(20, 9)
	r.expect("withdrawn", fp, []rateCase{
		// At 15 Nov B1 60, B2 75: median 67.5. At 5 Nov B1 60.
		{"5-15 Nov", window, rateFigs{3, 2, 2, 2, 0, 0, 0, 2, 67.5, 60, 75}, rateFigs{3, 2, 1, 1, 0, 0, 0, 1, 60, 60, 60}},
		{"November", rateMonth(2026, time.November), rateFigs{3, 2, 2, 2, 0, 0, 0, 2, 67.5, 60, 75},
			rateFigs{3, 2, 1, 1, 0, 0, 0, 1, 60, 60, 60}},
	})
	r.ok(r.s.RebuildFigures(r.ctx, rateRigC))
	r.expect("rebuilt", fp, []rateCase{
		{"5-15 Nov", window, rateFigs{3, 2, 2, 2, 0, 0, 0, 2, 67.5, 60, 75}, rateFigs{3, 2, 1, 1, 0, 0, 0, 1, 60, 60, 60}},
	})
}
