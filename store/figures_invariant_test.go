package store

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestFiguresAgreeEveryWay runs random pledge writes (made, progress,
// corrections, edits of theme and target, done, withdrawn, lapsed,
// reopened, a business deleted) over about fifteen months and checks that the
// three ways figures are read agree for every month, quarter and a set of
// rolling periods: the network's monthly sums (kept write by write, with
// the edges of rolling periods from the ledger), the area path (every
// business is in CB1: each pledge's atoms summed afresh), and the sums
// rebuilt from the pledges by the migration. The area sums (filled in at
// step 100, kept write by write after) give area CB1 as the pledges read
// one by one do, and area CB (every business) as the network's sums.
// Hand-checked figures are in
// migrate_test.go and commands/summary_test.go; this checks that the
// running sums never drift from what the pledges say. Rate themes'
// figures are checked besides against an oracle of the test's own
// (rateOracle), worked out from its record of what each write did
// (modelPledge): every read must give them. Many writes fall on the first
// instant of a month, the edge of periods, where the lapse job runs too.
func TestFiguresAgreeEveryWay(t *testing.T) {
	seen := map[string]int{}
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { figuresAgree(t, seed, seen) })
	}
	// (a same-second tie between two pledges of a business is rare here,
	// one write a step: TestRateBusinessesByHand has one)
	t.Logf("the rate oracle saw %v", seen)
	for _, k := range []string{"pledges", "closed before", "met", "confirmed", "queried", "awaiting", "self-reported",
		"even", "struck latest", "later entry",
		"made at the end", "closed at the start", "reported at the end",
		"businesses", "business closed before", "business closed in the period", "gap",
		"several pledges report", "an older pledge holds"} {
		if seen[k] == 0 {
			t.Errorf("the rate oracle saw no %s in %v: the scenario checks too little", k, seen)
		}
	}
}

// figuresAgree runs the scenario of seed; seen counts what the rate
// oracle's figures exercised.
func figuresAgree(t *testing.T, seed uint64, seen map[string]int) {
	rdb, prefix := testRedis(t)
	ctx := context.Background()
	s := New(rdb, prefix)
	now := time.Date(2026, 1, 3, 9, 0, 0, 0, time.UTC)
	var postcodes []string
	s.SetClock(func() time.Time { return now })
	rng := rand.New(rand.NewPCG(seed, 15))
	const c = "town"
	people := []bot.Actor{}
	for i := range 4 {
		a := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: fmt.Sprintf("p%d", i)}}
		people = append(people, a)
		postcodes = append(postcodes, fmt.Sprintf("CB%d %dAA", 1+i/3, i+1))
		if _, err := s.RegisterBusiness(ctx, c, a, bot.Business{Name: fmt.Sprintf("Business %d", i), Postcode: postcodes[i], CreatedAt: now}, ""); err != nil {
			t.Fatal(err)
		}
	}
	// A community partner, whose person confirms and queries entries of
	// the pledges made to it.
	vouch := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "partner"}}
	if _, err := s.RegisterPartner(ctx, c, vouch, bot.Partner{Name: "Food Bank", CreatedAt: now}, vouch.ID, ""); err != nil {
		t.Fatal(err)
	}
	themes := []struct {
		key  string
		rate bool
	}{{"volunteering", false}, {"carbon", false}, {"buy-local", false}, {"fair-pay", true}, {"prompt-payment", true}}
	// targetOf: a total's target is 1 to 40, a rate's 1 to 10, so that
	// values of 1 to 9 meet some and miss others.
	targetOf := func(rate bool, draw int) float64 {
		if rate {
			return float64(1 + draw/4)
		}
		return float64(1 + draw)
	}
	var pledges []*modelPledge
	// often is, three times in four, a pledge that can (by the test's
	// record) instead of p: corrections, reopenings and the partner's
	// checks are often of one they can be of.
	often := func(p *modelPledge, can func(*modelPledge) bool) *modelPledge {
		var some []*modelPledge
		for _, q := range pledges {
			if q.status != "gone" && can(q) {
				some = append(some, q)
			}
		}
		if len(some) > 0 && rng.IntN(4) > 0 {
			return some[rng.IntN(len(some))]
		}
		return p
	}
	did := map[string]int{}
	// lapse runs the lapse job now.
	lapse := func() error {
		lapsed, err := s.LapseDue(ctx, c, now, now)
		did["lapsed"] += len(lapsed)
		for _, p := range pledges {
			if slices.Contains(lapsed, p.n) {
				p.status, p.closed = "lapsed", now
			}
		}
		return err
	}
	for step := 0; step < 300; step++ {
		next := now.Add(time.Duration(rng.IntN(30)) * time.Hour * 3) // about 450 days in all
		// Three steps in four into a new month are at its first instant,
		// the edge of periods, where the lapse job runs before the write.
		if month := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC); !next.Before(month) && rng.IntN(4) > 0 {
			now = month
			if err := lapse(); err != nil {
				t.Fatal(err)
			}
		} else {
			now = next
		}
		who := rng.IntN(len(people))
		a := people[who]
		var err error
		kind := ""
		switch op := rng.IntN(15); {
		case op < 3 || len(pledges) == 0:
			th := themes[rng.IntN(len(themes))]
			np := bot.NewPledge{Business: who + 1, Text: "p", Theme: th.key, Target: targetOf(th.rate, rng.IntN(40)), Factor: 1, Visibility: bot.Public}
			if th.rate {
				np.Measure = bot.MeasureRate
			}
			if rng.IntN(2) == 0 {
				np.Partner = 1
			}
			if rng.IntN(3) == 0 {
				np.Due = now.AddDate(0, 0, 10+rng.IntN(60)).Truncate(24 * time.Hour)
			}
			kind = "add"
			var p bot.Pledge
			if p, err = s.AddPledge(ctx, c, a, np, ""); err == nil {
				pledges = append(pledges, &modelPledge{n: p.Number, owner: who, theme: th.key, rate: th.rate,
					target: np.Target, partner: np.Partner == 1, status: "active", created: now})
			}
		default:
			p := pledges[rng.IntN(len(pledges))]
			switch op {
			case 6:
				p = often(p, func(q *modelPledge) bool { return q.rate && len(q.entries) > 1 })
			case 9:
				p = often(p, func(q *modelPledge) bool { return q.status == "done" || q.status == "lapsed" })
			case 10, 11, 13, 14:
				p = often(p, func(q *modelPledge) bool { return q.partner && len(q.entries) > 0 })
			}
			a = people[p.owner]
			switch op {
			case 3, 4, 5:
				kind = "progress"
				v := float64(1 + rng.IntN(9))
				if _, err = s.LogProgress(ctx, c, a, p.n, v, "", ""); err == nil {
					p.entries = append(p.entries, modelEntry{at: now, value: v})
				}
			case 6:
				kind = "correct"
				k := rng.IntN(len(p.entries) + 1)    // 0: the latest not struck
				v := float64(max(0, rng.IntN(14)-5)) // 0 (three in seven) strikes the entry
				if _, err = s.CorrectProgress(ctx, c, a, p.n, k, v, "typo", ""); err == nil {
					// (a corrected entry awaits its partner's word again)
					p.entries[p.pick(k)] = modelEntry{at: p.entries[p.pick(k)].at, value: v}
				}
			case 7:
				th := themes[rng.IntN(len(themes))]
				target := targetOf(th.rate, rng.IntN(40))
				e := bot.PledgeEdit{Theme: &th.key, Target: &target}
				measure := ""
				if th.rate {
					measure = bot.MeasureRate
				}
				e.Measure = &measure
				kind = "edit"
				if _, err = s.EditPledge(ctx, c, a, p.n, e, ""); err == nil {
					p.theme, p.rate, p.target = th.key, th.rate, target
				}
			case 8:
				if rng.IntN(2) == 0 {
					kind = "done"
					if _, err = s.CompletePledge(ctx, c, a, p.n, "", ""); err == nil {
						p.status, p.closed = "done", now
					}
				} else {
					kind = "withdraw"
					if _, err = s.WithdrawPledge(ctx, c, a, p.n, ""); err == nil {
						p.status = "withdrawn"
					}
				}
			case 9:
				if rng.IntN(2) == 0 {
					kind = "reopen"
					if _, err = s.ReopenPledge(ctx, c, a, p.n, now.AddDate(0, 1, 0).Truncate(24*time.Hour), now.UTC().Truncate(24*time.Hour), ""); err == nil {
						p.status, p.closed = "active", time.Time{}
					}
				} else {
					err = lapse()
				}
			case 10, 11, 13, 14:
				ce := bot.CheckEntry{Pledge: p.n, Entry: rng.IntN(2), Query: op%2 == 1, Note: "how many?"}
				kind = map[bool]string{false: "confirm", true: "query"}[ce.Query]
				var k int
				if _, k, err = s.CheckEntry(ctx, c, vouch, ce, ""); err == nil {
					if k != p.pick(ce.Entry)+1 {
						t.Fatalf("step %d: pledge %d's entry %d checked, the test's record says %d", step, p.n, k, p.pick(ce.Entry)+1)
					}
					p.entries[k-1].state = map[bool]string{false: "c", true: "q"}[ce.Query]
				}
			case 12:
				partner := min(1, rng.IntN(3))
				kind = "partner"
				if _, err = s.EditPledge(ctx, c, a, p.n, bot.PledgeEdit{Partner: &partner}, ""); err == nil && p.partner != (partner == 1) {
					// (what the old partner said, a new one has not)
					p.partner = partner == 1
					for i := range p.entries {
						p.entries[i].state = ""
					}
				}
			}
		}
		if err != nil && bot.ErrorCode(err) == bot.Internal {
			t.Fatalf("step %d: %v", step, err)
		}
		if err == nil && kind != "" {
			did[kind]++
		}
		if step == 100 {
			if err := s.FillAreaSums(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if step == 260 {
			if err := s.DeleteBusiness(ctx, c, people[3], 4, ""); err != nil {
				t.Fatal(err)
			}
			for _, p := range pledges {
				if p.owner == 3 {
					p.status = "gone"
				}
			}
		}
	}

	for _, k := range []string{"add", "progress", "correct", "edit", "done", "withdraw", "reopen", "lapsed", "confirm", "query", "partner"} {
		if did[k] == 0 {
			t.Errorf("no %s succeeded in %v: the scenario checks too little", k, did)
		}
	}
	var periods []bot.SummaryFilter
	for m := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); m.Before(now); m = m.AddDate(0, 1, 0) {
		periods = append(periods, bot.SummaryFilter{Period: bot.Period{Start: m, End: m.AddDate(0, 1, 0)}, Previous: bot.Period{Start: m.AddDate(0, -1, 0), End: m}})
		if m.Month()%3 == 1 {
			periods = append(periods, bot.SummaryFilter{Period: bot.Period{Start: m, End: m.AddDate(0, 3, 0)}, Previous: bot.Period{Start: m.AddDate(0, -3, 0), End: m}})
		}
	}
	for range 12 {
		end := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 20+rng.IntN(380))
		days := 1 + rng.IntN(90)
		start := end.AddDate(0, 0, -days)
		periods = append(periods, bot.SummaryFilter{Period: bot.Period{Start: start, End: end, Daily: true}, Previous: bot.Period{Start: start.AddDate(0, 0, -days), End: start, Daily: true}})
	}
	// inArea: whether business (owner) i is in the area ("" the network,
	// a postcode area or a district).
	inArea := func(area string, i int) bool {
		district, _, _ := strings.Cut(postcodes[i], " ")
		return area == "" || area == district || area == strings.TrimRight(district, "0123456789")
	}
	// Every read's rate figures are the oracle's.
	wrong := 0
	checkRates := func(f bot.SummaryFilter, cur, prev bot.PeriodStats) {
		t.Helper()
		for _, th := range themes {
			for _, x := range []struct {
				name string
				ps   bot.PeriodStats
				p    bot.Period
			}{{"cur", cur, f.Period}, {"prev", prev, f.Previous}} {
				var want bot.RateStats
				if th.rate && (f.Theme == "" || f.Theme == th.key) {
					want = rateOracle(pledges, th.key, x.p, func(i int) bool { return inArea(f.Area, i) }, seen)
				}
				var got bot.RateStats
				if ts := x.ps.Themes[th.key]; ts != nil {
					got = ts.Rate
				}
				if got != want && wrong < 10 {
					wrong++
					t.Errorf("%s to %s, area %q, theme %q: %s rate figures of %s %+v, the oracle says %+v",
						f.Period.Start.Format(time.DateOnly), f.Period.End.Format(time.DateOnly), f.Area, f.Theme, x.name, th.key, got, want)
				}
			}
		}
	}
	// Every theme alone as well: the businesses taking part under a theme
	// come from other bits than the plain count.
	read := func(f bot.SummaryFilter) string {
		out := ""
		for i := -1; i < len(themes); i++ {
			f.Theme = ""
			if i >= 0 {
				f.Theme = themes[i].key
			}
			theme := f.Theme
			cur, prev, err := s.Summary(ctx, c, f, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, ps := range []bot.PeriodStats{cur, prev} {
				checkVouched(t, ps)
			}
			checkRates(f, cur, prev)
			out += theme + ": " + figuresText(cur) + " | " + figuresText(prev) + "\n"
		}
		return out
	}
	// slow reads area CB1 pledge by pledge (area sums set aside).
	upto := s.key(c, "area-sums")
	slow := func(f bot.SummaryFilter) string {
		v, err := rdb.Get(ctx, upto).Result()
		if err != nil {
			t.Fatal(err)
		}
		rdb.Del(ctx, upto)
		defer rdb.Set(ctx, upto, v, 0)
		f.Area = "CB1"
		return read(f)
	}
	network, cb1 := make([]string, len(periods)), make([]string, len(periods))
	for i, f := range periods {
		network[i] = read(f)
		cb1[i] = slow(f)
		f.Area = "CB"
		if area := read(f); area != network[i] {
			t.Errorf("%s to %s: network and area CB (its sums) differ:\n network %s\n area    %s", f.Period.Start.Format(time.DateOnly), f.Period.End.Format(time.DateOnly), network[i], area)
		}
		f.Area = "CB1"
		if area := read(f); area != cb1[i] {
			t.Errorf("%s to %s: area CB1 from its pledges and from its sums differ:\n pledges %s\n sums    %s", f.Period.Start.Format(time.DateOnly), f.Period.End.Format(time.DateOnly), cb1[i], area)
		}
	}
	if err := s.RebuildFigures(ctx, c); err != nil {
		t.Fatal(err)
	}
	for i, f := range periods {
		if got := read(f); got != network[i] {
			t.Errorf("%s to %s: rebuilt sums differ:\n kept    %s\n rebuilt %s", f.Period.Start.Format(time.DateOnly), f.Period.End.Format(time.DateOnly), network[i], got)
		}
		f.Area = "CB1"
		if got := read(f); got != cb1[i] {
			t.Errorf("%s to %s: rebuilt area sums differ:\n pledges %s\n rebuilt %s", f.Period.Start.Format(time.DateOnly), f.Period.End.Format(time.DateOnly), cb1[i], got)
		}
	}
}

// modelPledge is the test's own record of a pledge, from what each write
// it made did (the rules in lua/progress.lua, correct.lua, confirm.lua,
// edit_pledge.lua, reopen.lua), for rateOracle.
type modelPledge struct {
	n, owner int // pledge number, business (from 0)
	theme    string
	rate     bool // measure rate
	target   float64
	partner  bool   // made to a partner
	status   string // active, done, lapsed, withdrawn or gone (its business deleted)
	created  time.Time
	closed   time.Time // when done or lapsed (zero while active)
	entries  []modelEntry
}

// modelEntry is a progress entry as it stands: its value as corrected (0
// struck) and what the partner said of it: c confirmed, q queried, ""
// neither (awaiting, or self-reported for a pledge made to no partner).
type modelEntry struct {
	at    time.Time
	value float64
	state string
}

// pick is the index of the entry a correction or a check of entry k (from
// 1) is about; k 0 is the latest not struck (the first if all are).
func (p *modelPledge) pick(k int) int {
	if k > 0 {
		return k - 1
	}
	i := len(p.entries) - 1
	for i > 0 && p.entries[i].value == 0 {
		i--
	}
	return i
}

// rateOracle works out a rate theme's figures for period p from the test's
// record of the pledges of the businesses in (area). A pledge of the
// theme is one of it (as it is now) and a rate, neither withdrawn nor
// deleted; Pledges counts those made before the period's end and not
// closed before its start. A business is live from its first such
// pledge's making until all of them are closed (the latest close), gaps
// included; Businesses counts those live at some time in the period.
// Each pledge holds, from each entry not struck (in logging order), that
// entry's value; the business holds the value of whichever of its pledges
// changed its held value most recently before the end (same second: the
// higher pledge number). Reporting counts the live businesses holding a
// value, by the entry's state now; Met those whose value reaches the
// target (as now, above 0) of the pledge it is on. Median, Min and Max are
// of the businesses' values, the median of an even count the mean of the
// two middle ones. seen counts the cases met (what the figures exercise).
func rateOracle(pledges []*modelPledge, theme string, p bot.Period, area func(owner int) bool, seen map[string]int) bot.RateStats {
	var r bot.RateStats
	var values []float64
	byOwner := map[int][]*modelPledge{}
	var owners []int
	for _, pl := range pledges {
		if !pl.rate || pl.theme != theme || !area(pl.owner) || pl.status == "withdrawn" || pl.status == "gone" {
			continue
		}
		if byOwner[pl.owner] == nil {
			owners = append(owners, pl.owner)
		}
		byOwner[pl.owner] = append(byOwner[pl.owner], pl)
		if pledgeLive(pl, p, seen) {
			r.Pledges++
		}
	}
	for _, o := range owners {
		mine := byOwner[o]
		if !businessLive(mine, p, seen) {
			continue
		}
		r.Businesses++
		pl, e := businessHolds(mine, p.End, seen)
		if e == nil {
			continue
		}
		r.Reporting++
		switch {
		case !pl.partner:
			r.By.SelfReported++
		case e.state == "c":
			r.By.Confirmed++
		case e.state == "q":
			r.By.Queried++
		default:
			r.By.Awaiting++
		}
		if pl.target > 0 && e.value >= pl.target {
			r.Met++
		}
		values = append(values, e.value)
	}
	seen["pledges"] += r.Pledges
	seen["businesses"] += r.Businesses
	seen["met"] += r.Met
	seen["confirmed"] += r.By.Confirmed
	seen["queried"] += r.By.Queried
	seen["awaiting"] += r.By.Awaiting
	seen["self-reported"] += r.By.SelfReported
	if len(values) == 0 {
		return r
	}
	if len(values)%2 == 0 {
		seen["even"]++
	}
	slices.Sort(values)
	h := len(values) / 2
	r.Min, r.Max, r.Median = values[0], values[len(values)-1], values[h]
	if len(values)%2 == 0 {
		r.Median = (values[h-1] + values[h]) / 2
	}
	return r
}

// pledgeLive: rate pledge pl counts in period p's Pledges (made before
// its end, not closed before its start).
func pledgeLive(pl *modelPledge, p bot.Period, seen map[string]int) bool {
	if pl.created.Equal(p.End) {
		seen["made at the end"]++
	}
	if pl.closed.Equal(p.Start) {
		seen["closed at the start"]++
	}
	if !pl.created.Before(p.End) {
		return false
	}
	if !pl.closed.IsZero() && pl.closed.Before(p.Start) {
		seen["closed before"]++
		return false
	}
	return true
}

// businessLive: a business with these pledges of a theme is live at some
// time in p: its first was made before the end, and not all of them were
// closed before the start.
func businessLive(mine []*modelPledge, p bot.Period, seen map[string]int) bool {
	first, last, open, counted := mine[0].created, time.Time{}, false, 0
	for _, pl := range mine {
		if pl.created.Before(first) {
			first = pl.created
		}
		if pl.closed.IsZero() {
			open = true
		} else if pl.closed.After(last) {
			last = pl.closed
		}
		if pl.created.Before(p.End) && (pl.closed.IsZero() || !pl.closed.Before(p.Start)) {
			counted++
		}
	}
	if !first.Before(p.End) {
		return false
	}
	if !open && last.Before(p.Start) {
		seen["business closed before"]++
		return false
	}
	if !open && last.Before(p.End) {
		seen["business closed in the period"]++
	}
	if counted == 0 {
		seen["gap"]++ // live, though none of its pledges counts
	}
	return true
}

// businessHolds is the pledge and entry whose value a business with these
// pledges of a theme holds just before end: of the entries not struck
// dated before it, the latest, the same second going to the higher pledge
// number (and in a pledge to the later entry). nil when none.
func businessHolds(mine []*modelPledge, end time.Time, seen map[string]int) (*modelPledge, *modelEntry) {
	var held *modelPledge
	var last *modelEntry
	withValue := 0
	for _, pl := range mine {
		var mineLast *modelEntry
		struck := false // an entry struck after the latest held
		for i, e := range pl.entries {
			switch {
			case !e.at.Before(end):
				seen["later entry"]++
				if e.at.Equal(end) {
					seen["reported at the end"]++
				}
			case e.value != 0:
				mineLast, struck = &pl.entries[i], false
			default:
				struck = mineLast != nil
			}
		}
		if mineLast == nil {
			continue
		}
		withValue++
		if struck {
			seen["struck latest"]++
		}
		switch {
		case last == nil || mineLast.at.After(last.at):
		case mineLast.at.Equal(last.at) && pl.n > held.n:
			seen["same second"]++
		default:
			continue
		}
		held, last = pl, mineLast
	}
	if withValue > 1 {
		seen["several pledges report"]++
		if held != mine[len(mine)-1] {
			seen["an older pledge holds"]++
		}
	}
	return held, last
}

// checkVouched: the parts of what was delivered add up to it, none is
// below zero, and a rate theme's split counts its pledges reporting.
func checkVouched(t *testing.T, ps bot.PeriodStats) {
	t.Helper()
	for k, th := range ps.Themes {
		for _, x := range []struct {
			of float64
			by bot.Vouched
		}{{th.Delivered, th.DeliveredBy}, {th.ToDate, th.ToDateBy}} {
			if math.Abs(x.by.Total()-x.of) > 1e-9 {
				t.Errorf("%s: parts %+v add up to %v, not %v", k, x.by, x.by.Total(), x.of)
			}
			if x.by.Confirmed < -1e-9 || x.by.Awaiting < -1e-9 || x.by.Queried < -1e-9 {
				t.Errorf("%s: a part below zero: %+v", k, x.by)
			}
		}
		b := th.Rate.By
		if b.Confirmed+b.Awaiting+b.Queried+b.SelfReported != th.Rate.Reporting {
			t.Errorf("%s: rate split %+v does not add up to %d reporting", k, b, th.Rate.Reporting)
		}
	}
}

// figuresText prints a period's figures in a fixed order, amounts rounded
// to 1e-9 (sums of the same amounts in another order).
func figuresText(ps bot.PeriodStats) string {
	var themes []string
	for k := range ps.Themes {
		themes = append(themes, k)
	}
	sort.Strings(themes)
	out := fmt.Sprintf("biz %d", ps.Businesses)
	r := func(v float64) float64 { return math.Round(v*1e9) / 1e9 }
	for _, k := range themes {
		th := ps.Themes[k]
		if *th == (bot.ThemeStats{Theme: k}) {
			continue
		}
		by := func(v bot.Vouched) string {
			return fmt.Sprintf("%v/%v/%v/%v", r(v.Confirmed), r(v.Awaiting), r(v.Queried), r(v.SelfReported))
		}
		out += fmt.Sprintf("; %s made %d done %d lapsed %d withdrawn %d active %d live %d committed %v delivered %v (%s) to-date %v (%s) rate %+v",
			k, th.Made, th.Done, th.Lapsed, th.Withdrawn, th.Active, th.Live, r(th.Committed), r(th.Delivered), by(th.DeliveredBy),
			r(th.ToDate), by(th.ToDateBy), th.Rate)
	}
	return out
}

// TestBusinessesOfThemesBeyondTheSlots: a community's first 32 themes get
// a bitmap each in the month's sums (field '~SLOT'); later ones are counted from the ledger,
// with the same answer.
func TestBusinessesOfThemesBeyondTheSlots(t *testing.T) {
	rdb, prefix := testRedis(t)
	ctx := context.Background()
	s := New(rdb, prefix)
	now := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	for i := range 2 {
		a := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: fmt.Sprintf("p%d", i)}}
		if _, err := s.RegisterBusiness(ctx, "c", a, bot.Business{Name: fmt.Sprintf("B%d", i), CreatedAt: now}, ""); err != nil {
			t.Fatal(err)
		}
		for th := range 34 {
			if i == 1 && th%2 == 0 {
				continue // the second business has the odd themes only
			}
			np := bot.NewPledge{Business: i + 1, Text: "p", Theme: fmt.Sprintf("theme-%d", th), Target: 1, Factor: 1, Visibility: bot.Public}
			if _, err := s.AddPledge(ctx, "c", a, np, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	q4 := bot.Period{Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, c := range []struct {
		theme string
		want  int
	}{{"theme-0", 1}, {"theme-1", 2}, {"theme-31", 2}, {"theme-32", 1}, {"theme-33", 2}, {"theme-99", 0}} {
		cur, _, err := s.Summary(ctx, "c", bot.SummaryFilter{Period: q4, Previous: bot.Period{Start: q4.Start, End: q4.Start}, Theme: c.theme}, now)
		if err != nil || cur.Businesses != c.want {
			t.Errorf("%s: %d businesses (%v), want %d", c.theme, cur.Businesses, err, c.want)
		}
	}
}
