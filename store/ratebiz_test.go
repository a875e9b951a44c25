package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// bizCase is a period, an area ("" the network) and a rate theme's
// figures there in the period and the one before.
type bizCase struct {
	name, area string
	f          bot.SummaryFilter
	cur, prev  rateFigs
}

// newBizRig is a rateRig of a business for each postcode (numbered 1 on,
// in this order) and the partner 1.
func newBizRig(t *testing.T, postcodes ...string) *rateRig {
	rdb, prefix := testRedis(t)
	r := &rateRig{t: t, s: New(rdb, prefix), ctx: context.Background(), now: time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)}
	r.s.SetClock(func() time.Time { return r.now })
	r.s.areaSumsFrom = 1 << 30
	for i, pc := range postcodes {
		a := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: fmt.Sprintf("o%d", i)}}
		r.owners = append(r.owners, a)
		b, err := r.s.RegisterBusiness(r.ctx, rateRigC, a, bot.Business{Name: "B" + pc, Postcode: pc, CreatedAt: r.now}, "")
		r.ok(err)
		if b.Number != i+1 {
			t.Fatalf("business %s is number %d, want %d", pc, b.Number, i+1)
		}
	}
	r.partner = bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "partner"}}
	_, err := r.s.RegisterPartner(r.ctx, rateRigC, r.partner, bot.Partner{Name: "Food Bank", CreatedAt: r.now}, r.partner.ID, "")
	r.ok(err)
	return r
}

// expectBiz checks the cases every way a summary reads (as expect does):
// the ledger's edges and pledge by pledge, then the area and day sums;
// each for every theme and for the theme alone.
func (r *rateRig) expectBiz(how, theme string, cases []bizCase) {
	r.t.Helper()
	rdb, ctx := r.s.rdb, r.ctx
	read := func(way string) {
		r.t.Helper()
		for _, tc := range cases {
			for _, th := range []string{"", theme} {
				f := tc.f
				f.Area, f.Theme = tc.area, th
				cur, prev, err := r.s.Summary(ctx, rateRigC, f, r.now)
				r.ok(err)
				if g := rateFigsOf(cur, theme); g != tc.cur {
					r.t.Errorf("%s, %s, %s %s (area %q theme %q):\n got %+v\nwant %+v", how, way, theme, tc.name, tc.area, th, g, tc.cur)
				}
				if g := rateFigsOf(prev, theme); g != tc.prev {
					r.t.Errorf("%s, %s, %s %s (area %q theme %q), the period before:\n got %+v\nwant %+v", how, way, theme, tc.name, tc.area, th, g, tc.prev)
				}
			}
		}
	}
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
	r.s.areaSumsFrom = 1
	read("sums")
	r.s.areaSumsFrom = 1 << 30
}

// TestRateBusinessesByHand: a rate theme's figures count businesses
// (issue 15), worked out here by hand from the rules:
//
//   - Pledges: rate pledges of the theme (now; not withdrawn or deleted)
//     made before the end and not done or lapsed before the start.
//   - A business is live from its first such pledge's making until all
//     of them are closed (the latest close), gaps included; Businesses
//     are those live at some time in the period.
//   - A business holds, at a time, the value of whichever of its pledges
//     changed its held value (a pledge's latest entry not struck) most
//     recently up to then; same second: the higher pledge number.
//     Reporting: live businesses holding a value at the end (before it);
//     Met: the value reaches the target of the pledge it is on; By: the
//     entry's state now; median and range of the businesses' values.
//
// Businesses (partner 1 is the only partner; "self" a pledge without):
//
//	B1 CB1 1AA  #1 fair-pay t90 self, made 1 Oct 09:00: 80 on 5 Oct 10:00, 85 on 10 Nov 09:00
//	            #5 fair-pay t90 to the partner, made 2 Oct 09:00: 95 on 6 Oct 10:00
//	              (confirmed 1 Dec)
//	            #3, #4 prompt-payment t30 self, made 1 Oct 13:00 and 14:00: at the same
//	              second, 20 Oct 09:00:00, #4 logs 25 and then #3 35
//	  holds fair-pay: 80 (#1) from 5 Oct 10:00, 95 (#5, met) from 6 Oct 10:00, 85 (#1)
//	  from 10 Nov 09:00; prompt-payment 25 (#4, the higher number) from 20 Oct 09:00
//	B2 CB2 2BB  #7 fair-pay t70 self, made 3 Oct 09:00: 90 on 7 Oct 10:00
//	            #9 fair-pay t65 to the partner, made 4 Oct 09:00: 60 on 12 Oct 10:00
//	              (queried 1 Dec)
//	  holds 90 (#7, met) from 7 Oct 10:00, then the later, lower 60 (#9, not met)
//	  from 12 Oct 10:00
//	B3 CB1 3CC  #11 fair-pay t75 self, made 5 Oct 09:00: 70 on 8 Oct 10:00
//	            #13 fair-pay t75 self, made 6 Oct 09:00: 78 on 9 Oct 10:00, struck 20 Oct
//	  holds 70 (#11) from 8 Oct 10:00 throughout: the struck 78 gives back 70
//	B4 PE1 4DD  #6 fair-pay t60 self, made 2 Oct 10:00: 65 on 10 Oct 10:00, 62 on
//	              1 Nov 09:00, done 5 Nov 09:00
//	            #8 fair-pay t60 self, made 3 Oct 10:00: 55 on 11 Oct 10:00, done 15 Oct 09:00
//	  live 2 Oct 10:00 to 5 Nov 09:00 (after #8's close it still has #6); holds 65
//	  (met) from 10 Oct 10:00, 55 (#8, closed but the latest change) from 11 Oct 10:00,
//	  62 (#6, met) from 1 Nov 09:00, kept at its close
//	B5 PE2 5EE  #2 fair-pay t50 self, made 1 Oct 12:00: 40 on 3 Oct 12:00, done 9 Oct 12:00
//	            #16 fair-pay t50 self, made 20 Nov 12:00: 55 on 25 Nov 12:00
//	  live from 1 Oct 12:00 on, the gap 9 Oct - 20 Nov included; holds 40 from 3 Oct
//	  12:00, 55 (met) from 25 Nov 12:00
//	B6 CB2 6FF  #10 fair-pay t80 self, made 4 Oct 12:00: 85 on 13 Oct 12:00; moved to
//	              prompt-payment (a rate) 2 Dec
//	            #12 fair-pay t80 self, made 5 Oct 12:00: 70 on 14 Oct 12:00; withdrawn 2 Dec
//	            #14 fair-pay t80 self, made 6 Oct 12:00: 90 on 16 Oct 12:00; moved to
//	              volunteering (a total) 3 Dec
//	  holds 85 (met) from 13 Oct 12:00, 70 from 14 Oct 12:00, 90 (met) from 16 Oct
//	  12:00; after December's writes it has no fair-pay pledge, and holds 85 in
//	  prompt-payment from 13 Oct 12:00
//	B7 PE1 7GG  #15 fair-pay t40 self, made 7 Oct 09:00: 45 (met) on 17 Oct 10:00;
//	  the business is deleted 4 Dec
//
// Periods: Q4 2026 (after Q3), October (after September), November,
// December, 16 Oct - 15 Nov (30 days ending mid-month, after 16 Sep - 16
// Oct), 5-12 Oct (after 28 Sep - 5 Oct); areas CB1, CB2, CB, PE1, PE, PE2.
func TestRateBusinessesByHand(t *testing.T) {
	r := newBizRig(t, "CB1 1AA", "CB2 2BB", "CB1 3CC", "PE1 4DD", "PE2 5EE", "CB2 6FF", "PE1 7GG")
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	fp, pp, vol, rateM, totalM := "fair-pay", "prompt-payment", "volunteering", bot.MeasureRate, ""
	want := func(n, got int) {
		t.Helper()
		if n != got {
			t.Fatalf("pledge %d, want %d", got, n)
		}
	}
	// Made in this order, so numbered 1 to 15.
	want(1, r.add(at(10, 1, 9), 1, fp, true, 90, 0))
	want(2, r.add(at(10, 1, 12), 5, fp, true, 50, 0))
	want(3, r.add(at(10, 1, 13), 1, pp, true, 30, 0))
	want(4, r.add(at(10, 1, 14), 1, pp, true, 30, 0))
	want(5, r.add(at(10, 2, 9), 1, fp, true, 90, 1))
	want(6, r.add(at(10, 2, 10), 4, fp, true, 60, 0))
	want(7, r.add(at(10, 3, 9), 2, fp, true, 70, 0))
	want(8, r.add(at(10, 3, 10), 4, fp, true, 60, 0))
	r.report(at(10, 3, 12), 5, 2, 40)
	want(9, r.add(at(10, 4, 9), 2, fp, true, 65, 1))
	want(10, r.add(at(10, 4, 12), 6, fp, true, 80, 0))
	want(11, r.add(at(10, 5, 9), 3, fp, true, 75, 0))
	r.report(at(10, 5, 10), 1, 1, 80)
	want(12, r.add(at(10, 5, 12), 6, fp, true, 80, 0))
	want(13, r.add(at(10, 6, 9), 3, fp, true, 75, 0))
	r.report(at(10, 6, 10), 1, 5, 95)
	want(14, r.add(at(10, 6, 12), 6, fp, true, 80, 0))
	want(15, r.add(at(10, 7, 9), 7, fp, true, 40, 0))
	r.report(at(10, 7, 10), 2, 7, 90)
	r.report(at(10, 8, 10), 3, 11, 70)
	r.report(at(10, 9, 10), 3, 13, 78)
	r.done(at(10, 9, 12), 5, 2)
	r.report(at(10, 10, 10), 4, 6, 65)
	r.report(at(10, 11, 10), 4, 8, 55)
	r.report(at(10, 12, 10), 2, 9, 60)
	r.report(at(10, 13, 12), 6, 10, 85)
	r.report(at(10, 14, 12), 6, 12, 70)
	r.done(at(10, 15, 9), 4, 8)
	r.report(at(10, 16, 12), 6, 14, 90)
	r.report(at(10, 17, 10), 7, 15, 45)
	r.report(at(10, 20, 9), 1, 4, 25) // the same second: #4 first...
	r.report(at(10, 20, 9), 1, 3, 35) // ...then #3
	r.correct(at(10, 20, 10), 3, 13, 0, 0)
	r.report(at(11, 1, 9), 4, 6, 62)
	r.done(at(11, 5, 9), 4, 6)
	r.report(at(11, 10, 9), 1, 1, 85)
	want(16, r.add(at(11, 20, 12), 5, fp, true, 50, 0))
	r.report(at(11, 25, 12), 5, 16, 55)
	r.now = at(11, 30, 12)

	q4 := ratePeriod(day(7, 1), day(10, 1), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	oct, nov, dec := rateMonth(2026, time.October), rateMonth(2026, time.November), rateMonth(2026, time.December)
	q4.Period.Daily, q4.Previous.Daily = false, false
	rolling := ratePeriod(day(9, 16), day(10, 16), day(11, 15)) // 30 days each
	week := ratePeriod(day(9, 28), day(10, 5), day(10, 12))

	// Written (30 Nov). Fair-pay pledges: B1 #1 #5, B2 #7 #9, B3 #11 #13,
	// B4 #6 #8, B5 #2 #16, B6 #10 #12 #14, B7 #15: 14. Values by business
	// at the end of each period, from the table above; nothing before
	// October. (B: value, met or not, by.)
	octFP := rateFigs{
		// #16 made after: 13 pledges. 1 Nov 00:00: B1 95 met awaiting, B2 60
		// no awaiting, B3 70, B4 55 (#6's 62 is at 09:00), B5 40 (in its
		// gap), B6 90 met, B7 45 met: 7 reporting, 3 met, 2 awaiting, 5
		// self; 40 45 55 60 70 90 95: median 60.
		13, 7, 7, 3, 0, 0, 2, 5, 60, 40, 95}
	novFP := rateFigs{
		// 14 less #2 and #8 closed in October: 12. 1 Dec: B1 85 no self,
		// B2 60 no awaiting, B3 70, B4 62 met (closed 5 Nov, in November),
		// B5 55 met, B6 90 met, B7 45 met: 7, 4 met, 1 awaiting, 6 self;
		// 45 55 60 62 70 85 90: median 62.
		12, 7, 7, 4, 0, 0, 1, 6, 62, 45, 90}
	cases := []bizCase{
		// Q4: all 14 pledges, 7 businesses; at 1 Jan as at 1 Dec.
		{"Q4", "", q4, rateFigs{14, 7, 7, 4, 0, 0, 1, 6, 62, 45, 90}, rateFigs{}},
		{"October", "", oct, octFP, rateFigs{}},
		{"November", "", nov, novFP, octFP},
		// December: less #6 too (B4 all closed 5 Nov, before: out): 11
		// pledges, 6 businesses; B1 85, B2 60 awaiting, B3 70, B5 55 met,
		// B6 90 met, B7 45 met: 3 met; 45 55 60 70 85 90: median 65.
		{"December", "", dec, rateFigs{11, 6, 6, 3, 0, 0, 1, 5, 65, 45, 90}, novFP},
		// 16 Oct - 15 Nov: 13 made before 15 Nov, less #2 and #8 (closed
		// 9 and 15 Oct): 11 pledges, but 7 businesses: B5 has none in the
		// period, live in its gap. 15 Nov: B1 85, B2 60 awaiting, B3 70, B4
		// 62 met, B5 40, B6 90 met, B7 45 met: 3 met; 40 45 60 62 70 85
		// 90: median 62.
		// 16 Sep - 16 Oct: 13 pledges, 7 businesses; 16 Oct 00:00: B1 95
		// met awaiting, B2 60 awaiting, B3 70, B4 55, B5 40, B6 70 (#12;
		// #14's 90 is at 12:00), B7 none yet: 6 reporting, 1 met, 2
		// awaiting, 4 self; 40 55 60 70 70 95: median 65.
		{"16 Oct - 15 Nov", "", rolling, rateFigs{11, 7, 7, 3, 0, 0, 1, 6, 62, 40, 90},
			rateFigs{13, 7, 6, 1, 0, 0, 2, 4, 65, 40, 95}},
		// 5-12 Oct: 13 pledges, 7 businesses; 12 Oct 00:00: B1 95 (#5, not
		// #1's 80: one business, one value) met awaiting, B2 90 (#7; #9's
		// 60 is at 10:00) met, B3 70, B4 55, B5 40 (closed 9 Oct), B6 and
		// B7 none yet: 5 reporting, 2 met; 40 55 70 90 95: median 70.
		// 28 Sep - 5 Oct: made before 5 Oct #1 #2 #5 #6 #7 #8 #9 #10: 8
		// pledges of B1, B5, B4, B2, B6: 5; only B5 holds a value (40, 3 Oct).
		{"5-12 Oct", "", week, rateFigs{13, 7, 5, 2, 0, 0, 1, 4, 70, 40, 95},
			rateFigs{8, 5, 1, 0, 0, 0, 0, 1, 40, 40, 40}},
		// Areas, Q4 (at 1 Jan: B1 85, B3 70, B2 60 awaiting, B6 90 met, B4
		// 62 met, B7 45 met, B5 55 met). CB1 B1 B3: 4 pledges, 70 85.
		{"Q4", "CB1", q4, rateFigs{4, 2, 2, 0, 0, 0, 0, 2, 77.5, 70, 85}, rateFigs{}},
		// CB2 B2 B6: 2+3 pledges, 60 awaiting and 90 met.
		{"Q4", "CB2", q4, rateFigs{5, 2, 2, 1, 0, 0, 1, 1, 75, 60, 90}, rateFigs{}},
		// CB: B1 B2 B3 B6: 9 pledges; 60 70 85 90, 1 met.
		{"Q4", "CB", q4, rateFigs{9, 4, 4, 1, 0, 0, 1, 3, 77.5, 60, 90}, rateFigs{}},
		// PE1 B4 B7: 3 pledges; 45 62, both met.
		{"Q4", "PE1", q4, rateFigs{3, 2, 2, 2, 0, 0, 0, 2, 53.5, 45, 62}, rateFigs{}},
		// PE: B4 B5 B7: 5 pledges; 45 55 62, all met.
		{"Q4", "PE", q4, rateFigs{5, 3, 3, 3, 0, 0, 0, 3, 55, 45, 62}, rateFigs{}},
		// The rolling 30 days by area. PE2 (B5): no pledge in the period,
		// one business (its gap) holding 40; before: #2, 40.
		{"16 Oct - 15 Nov", "PE2", rolling, rateFigs{0, 1, 1, 0, 0, 0, 0, 1, 40, 40, 40},
			rateFigs{1, 1, 1, 0, 0, 0, 0, 1, 40, 40, 40}},
		// PE: B4 #6 62 met, B5 40, B7 #15 45 met: 2 pledges, 3 businesses;
		// 40 45 62. Before: B4 #6 #8 55, B5 #2 40, B7 #15 none: 4 pledges,
		// 2 reporting, 40 55: median 47.5.
		{"16 Oct - 15 Nov", "PE", rolling, rateFigs{2, 3, 3, 2, 0, 0, 0, 3, 45, 40, 62},
			rateFigs{4, 3, 2, 0, 0, 0, 0, 2, 47.5, 40, 55}},
		// CB1: B1 85, B3 70; before B1 95 met awaiting, B3 70.
		{"16 Oct - 15 Nov", "CB1", rolling, rateFigs{4, 2, 2, 0, 0, 0, 0, 2, 77.5, 70, 85},
			rateFigs{4, 2, 2, 1, 0, 0, 1, 1, 82.5, 70, 95}},
	}
	r.expectBiz("written", fp, cases)

	// Prompt-payment: B1's #3 and #4 changed at the same second, 20 Oct
	// 09:00:00: #4, the higher number, holds: 25, not met (target 30),
	// though #3's 35 was logged after it. 2 pledges, 1 business.
	pp25 := rateFigs{2, 1, 1, 0, 0, 0, 0, 1, 25, 25, 25}
	ppNone := rateFigs{2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	ppCases := []bizCase{
		{"Q4", "", q4, pp25, rateFigs{}},
		{"October", "", oct, pp25, rateFigs{}},
		{"16 Oct - 15 Nov", "", rolling, pp25, ppNone},
		{"5-12 Oct", "", week, ppNone, ppNone},
	}
	r.expectBiz("written", pp, ppCases)

	// December's writes: the partner confirms #5's 95 and queries #9's 60;
	// B6's #10 moves to prompt-payment, #12 is withdrawn, #14 moves to
	// volunteering; B7 is deleted.
	r.check(at(12, 1, 9), 5, 1, false)
	r.check(at(12, 1, 10), 9, 1, true)
	r.edit(at(12, 2, 9), 6, 10, bot.PledgeEdit{Theme: &pp, Measure: &rateM})
	r.now = at(12, 2, 10)
	_, err := r.s.WithdrawPledge(r.ctx, rateRigC, r.owners[5], 12, "")
	r.ok(err)
	r.edit(at(12, 3, 9), 6, 14, bot.PledgeEdit{Theme: &vol, Measure: &totalM})
	r.now = at(12, 4, 9)
	r.ok(r.s.DeleteBusiness(r.ctx, rateRigC, r.owners[6], 7, ""))
	r.now = at(12, 5, 9)

	// Fair-pay now: B1 #1 #5, B2 #7 #9, B3 #11 #13, B4 #6 #8, B5 #2 #16:
	// 10 pledges, B1-B5. B1's 95 is confirmed, B2's 60 queried.
	octFP = rateFigs{
		// 9 pledges (not #16). 1 Nov: B1 95 met confirmed, B2 60 queried,
		// B3 70, B4 55, B5 40: 1 met; 40 55 60 70 95: median 60.
		9, 5, 5, 1, 1, 1, 0, 3, 60, 40, 95}
	novFP = rateFigs{
		// 10 less #2 #8: 8. 1 Dec: B1 85, B2 60 queried, B3 70, B4 62 met,
		// B5 55 met: 2 met; 55 60 62 70 85: median 62.
		8, 5, 5, 2, 0, 1, 0, 4, 62, 55, 85}
	cases = []bizCase{
		// Q4: all 10 pledges; at 1 Jan as at 1 Dec.
		{"Q4", "", q4, rateFigs{10, 5, 5, 2, 0, 1, 0, 4, 62, 55, 85}, rateFigs{}},
		{"October", "", oct, octFP, rateFigs{}},
		{"November", "", nov, novFP, octFP},
		// December: 7 pledges (less #6), B4 out: B1 85, B2 60 queried, B3
		// 70, B5 55 met; 55 60 70 85: median 65.
		{"December", "", dec, rateFigs{7, 4, 4, 1, 0, 1, 0, 3, 65, 55, 85}, novFP},
		// 16 Oct - 15 Nov: 9 less #2 #8: 7 pledges, 5 businesses; B1 85,
		// B2 60 queried, B3 70, B4 62 met, B5 40; 40 60 62 70 85.
		// Before: 9 pledges; B1 95 met confirmed, B2 60 queried, B3 70, B4
		// 55, B5 40: as October.
		{"16 Oct - 15 Nov", "", rolling, rateFigs{7, 5, 5, 1, 0, 1, 0, 4, 62, 40, 85}, octFP},
		// 5-12 Oct: 9 pledges; B1 95 met confirmed, B2 90 met (#7), B3 70,
		// B4 55, B5 40; 40 55 70 90 95. Before: #1 #2 #5 #6 #7 #8 #9: 7
		// pledges of B1 B5 B4 B2; B5 40.
		{"5-12 Oct", "", week, rateFigs{9, 5, 5, 2, 1, 0, 0, 4, 70, 40, 95},
			rateFigs{7, 4, 1, 0, 0, 0, 0, 1, 40, 40, 40}},
		// CB1 as before; CB2 only B2 (60 queried); PE1 only B4 (62 met);
		// PE B4 B5: 55 62.
		{"Q4", "CB1", q4, rateFigs{4, 2, 2, 0, 0, 0, 0, 2, 77.5, 70, 85}, rateFigs{}},
		{"Q4", "CB2", q4, rateFigs{2, 1, 1, 0, 0, 1, 0, 0, 60, 60, 60}, rateFigs{}},
		{"Q4", "PE1", q4, rateFigs{2, 1, 1, 1, 0, 0, 0, 1, 62, 62, 62}, rateFigs{}},
		{"Q4", "PE", q4, rateFigs{4, 2, 2, 2, 0, 0, 0, 2, 58.5, 55, 62}, rateFigs{}},
	}
	r.expectBiz("December's writes", fp, cases)

	// Prompt-payment now has #10 of B6 too (85 from 13 Oct 12:00, target
	// 80, met): 3 pledges, 2 businesses, 25 and 85: median 55.
	pp2 := rateFigs{3, 2, 2, 1, 0, 0, 0, 2, 55, 25, 85}
	ppCases = []bizCase{
		{"Q4", "", q4, pp2, rateFigs{}},
		{"October", "", oct, pp2, rateFigs{}},
		// Before 16 Oct only B6 held a value (B1's came on 20 Oct).
		{"16 Oct - 15 Nov", "", rolling, pp2, rateFigs{3, 2, 1, 1, 0, 0, 0, 1, 85, 85, 85}},
		// 5-12 Oct: no value yet; before it #10 (4 Oct 12:00) was made.
		{"5-12 Oct", "", week, rateFigs{3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0}, rateFigs{3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"Q4", "CB1", q4, pp25, rateFigs{}},
		{"Q4", "CB2", q4, rateFigs{1, 1, 1, 1, 0, 0, 0, 1, 85, 85, 85}, rateFigs{}},
		{"Q4", "PE", q4, rateFigs{}, rateFigs{}},
	}
	r.expectBiz("December's writes", pp, ppCases)

	// The rebuild from the pledges gives the same.
	r.ok(r.s.RebuildFigures(r.ctx, rateRigC))
	r.expectBiz("rebuilt", fp, cases)
	r.expectBiz("rebuilt", pp, ppCases)
}
