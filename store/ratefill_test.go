package store

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestRateBusinessesFillPartWay: the area and day sums filled in one
// pledge at a time while writes move which pledge carries a business's
// rate figures (the first of its pledges in the theme: a withdrawal, a
// move between themes, a new pledge, a reopening). A write to a pledge
// the fill has not reached leaves the sums alone and the fill counts it
// as it is when reached, so once filled they must read as the pledges do
// one by one and as the sums rebuilt from scratch: every read of every
// period agrees.
func TestRateBusinessesFillPartWay(t *testing.T) {
	handedOver := 0 // a carrying pledge the fill had reached handed over to one past it
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { handedOver += rateFillPartWay(t, seed) })
	}
	if handedOver == 0 {
		t.Errorf("no carrying pledge the fill had reached handed over to one past it: the scenario checks too little")
	}
}

// rateFillPartWay runs the scenario of seed; it returns how many times a
// carrying pledge the fill had reached handed over to one past it
// (withdrawn, or moved to the other theme).
func rateFillPartWay(t *testing.T, seed uint64) int {
	r := newRateRig(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	themes := []string{"fair-pay", "prompt-payment"}
	type pl struct {
		n, biz  int
		theme   string
		status  string
		reports int
	}
	var ps []*pl
	handedOver := 0
	now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	fill := func() {
		for _, call := range []func() error{
			func() error { return areaSums.Run(r.ctx, r.s.rdb, r.s.base(rateRigC), 1).Err() },
			func() error { return daySums.Run(r.ctx, r.s.rdb, r.s.base(rateRigC), 1).Err() },
		} {
			r.ok(call())
		}
	}
	for step := 0; step < 150; step++ {
		now = now.Add(time.Duration(1+rng.IntN(20)) * time.Hour)
		r.now = now
		if len(ps) < 3 || (step < 30 && rng.IntN(2) == 0) || rng.IntN(8) == 0 {
			biz, th := 1+rng.IntN(2), themes[rng.IntN(2)]
			ps = append(ps, &pl{n: r.add(now, biz, th, true, float64(40+10*rng.IntN(5)), rng.IntN(2)), biz: biz, theme: th, status: "active"})
		} else {
			p := ps[rng.IntN(len(ps))]
			// (half the time one the fill has reached, or nearly)
			if up, _ := r.s.rdb.Get(r.ctx, r.s.key(rateRigC, "area-sums")).Int(); up > 0 && rng.IntN(2) == 0 {
				p = ps[rng.IntN(min(up+2, len(ps)))]
			}
			owner := r.owners[p.biz-1]
			// carries: whether p carries its business's figures in its
			// theme and the next to carry them lies past the fill.
			carries := func() bool {
				if p.status == "withdrawn" {
					return false
				}
				up, _ := r.s.rdb.Get(r.ctx, r.s.key(rateRigC, "area-sums")).Int()
				for _, q := range ps {
					if q != p && q.biz == p.biz && q.theme == p.theme && q.status != "withdrawn" {
						if q.n < p.n {
							return false
						}
						return p.n <= up && q.n > up
					}
				}
				return false
			}
			var err error
			switch op := rng.IntN(8); {
			case p.status == "withdrawn":
			case op < 3 && p.status == "active":
				r.report(now, p.biz, p.n, float64(30+10*rng.IntN(7)))
				p.reports++
			case op == 3 && p.reports > 0:
				_, err = r.s.CorrectProgress(r.ctx, rateRigC, owner, p.n, 0, float64(rng.IntN(3)*35), "typo", "")
			case op == 4 && p.status == "active":
				_, err = r.s.CompletePledge(r.ctx, rateRigC, owner, p.n, "", "")
				p.status = "done"
			case op == 4 && p.status == "done":
				r.reopen(now, p.biz, p.n)
				p.status = "active"
			case op == 5 && p.status == "active":
				if carries() {
					handedOver++
				}
				_, err = r.s.WithdrawPledge(r.ctx, rateRigC, owner, p.n, "")
				p.status = "withdrawn"
			case op == 6:
				th := themes[rng.IntN(2)]
				target := float64(40 + 10*rng.IntN(5))
				if th != p.theme && carries() {
					handedOver++
				}
				r.edit(now, p.biz, p.n, bot.PledgeEdit{Theme: &th, Target: &target})
				p.theme = th
			case op == 7 && p.reports > 0:
				_, _, err = r.s.CheckEntry(r.ctx, rateRigC, r.partner, bot.CheckEntry{Pledge: p.n, Entry: 0, Query: rng.IntN(2) == 0, Note: "?"}, "")
			}
			if err != nil && bot.ErrorCode(err) == bot.Internal {
				t.Fatalf("step %d: %v", step, err)
			}
		}
		if step > 30 && step%3 == 0 {
			fill()
		}
	}
	r.now = now.Add(time.Hour)
	for i := 0; i < len(ps)+2; i++ {
		fill()
	}
	var filters []bot.SummaryFilter
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for m := 0; m < 4; m++ {
		filters = append(filters, rateMonth(2026, time.October+time.Month(m)))
	}
	for i := 0; i < 10; i++ {
		s := start.Add(time.Duration(rng.IntN(60*24)) * time.Hour)
		e := s.Add(time.Duration(1+rng.IntN(20*24)) * time.Hour)
		filters = append(filters, ratePeriod(s.Add(-e.Sub(s)), s, e))
		ds, de := s.Truncate(24*time.Hour), e.Truncate(24*time.Hour).Add(24*time.Hour)
		filters = append(filters, ratePeriod(ds.Add(-de.Sub(ds)), ds, de))
	}
	read := func(area string) map[string]rateFigs {
		out := map[string]rateFigs{}
		for i, f := range filters {
			f.Area = area
			cur, prev, err := r.s.Summary(r.ctx, rateRigC, f, r.now)
			r.ok(err)
			for _, th := range themes {
				out[fmt.Sprintf("%d %s cur", i, th)] = rateFigsOf(cur, th)
				out[fmt.Sprintf("%d %s prev", i, th)] = rateFigsOf(prev, th)
			}
		}
		return out
	}
	// With the sums filled part-way as the writes went: the network from
	// the monthly and day sums, the area from the district sums.
	r.s.areaSumsFrom = 1
	sumsNet, sumsArea := read(""), read("CB")
	// Pledge by pledge (area, no district sums) and from the ledger's edges.
	rdb := r.s.rdb
	for _, k := range []string{"area-sums", "day-sums"} {
		r.ok(rdb.Del(r.ctx, r.s.key(rateRigC, k)).Err())
	}
	r.s.areaSumsFrom = 1 << 30
	oneByOne, ledger := read("CB"), read("")
	r.ok(r.s.RebuildFigures(r.ctx, rateRigC))
	rebuilt := read("")
	for k, want := range oneByOne {
		for way, got := range map[string]map[string]rateFigs{"network sums": sumsNet, "district sums": sumsArea,
			"ledger edges": ledger, "rebuilt": rebuilt} {
			if got[k] != want {
				t.Errorf("%s, filter %s: %+v, pledge by pledge %+v", way, k, got[k], want)
			}
		}
	}
	return handedOver
}
