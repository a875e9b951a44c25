package store

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
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
// running sums never drift from what the pledges say.
func TestFiguresAgreeEveryWay(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { figuresAgree(t, seed) })
	}
}

func figuresAgree(t *testing.T, seed uint64) {
	rdb, prefix := testRedis(t)
	ctx := context.Background()
	s := New(rdb, prefix)
	now := time.Date(2026, 1, 3, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	rng := rand.New(rand.NewPCG(seed, 15))
	const c = "town"
	people := []bot.Actor{}
	for i := range 4 {
		a := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: fmt.Sprintf("p%d", i)}}
		people = append(people, a)
		if _, err := s.RegisterBusiness(ctx, c, a, bot.Business{Name: fmt.Sprintf("Business %d", i), Postcode: fmt.Sprintf("CB%d %dAA", 1+i/3, i+1), CreatedAt: now}, ""); err != nil {
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
	}{{"volunteering", false}, {"carbon", false}, {"buy-local", false}, {"fair-pay", true}}
	type pledge struct {
		n, owner int
	}
	var pledges []pledge
	did := map[string]int{}
	for step := 0; step < 300; step++ {
		now = now.Add(time.Duration(rng.IntN(30)) * time.Hour * 3) // about 450 days in all
		who := rng.IntN(len(people))
		a := people[who]
		var err error
		kind := ""
		switch op := rng.IntN(15); {
		case op < 3 || len(pledges) == 0:
			th := themes[rng.IntN(len(themes))]
			np := bot.NewPledge{Business: who + 1, Text: "p", Theme: th.key, Target: float64(1 + rng.IntN(40)), Factor: 1, Visibility: bot.Public}
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
				pledges = append(pledges, pledge{p.Number, who})
			}
		default:
			p := pledges[rng.IntN(len(pledges))]
			a = people[p.owner]
			switch op {
			case 3, 4, 5:
				kind = "progress"
				_, err = s.LogProgress(ctx, c, a, p.n, float64(1+rng.IntN(9)), "", "")
			case 6:
				kind = "correct"
				_, err = s.CorrectProgress(ctx, c, a, p.n, 0, float64(rng.IntN(9)), "typo", "")
			case 7:
				th := themes[rng.IntN(len(themes))]
				target := float64(1 + rng.IntN(40))
				e := bot.PledgeEdit{Theme: &th.key, Target: &target}
				measure := ""
				if th.rate {
					measure = bot.MeasureRate
				}
				e.Measure = &measure
				kind = "edit"
				_, err = s.EditPledge(ctx, c, a, p.n, e, "")
			case 8:
				if rng.IntN(2) == 0 {
					kind = "done"
					_, err = s.CompletePledge(ctx, c, a, p.n, "", "")
				} else {
					kind = "withdraw"
					_, err = s.WithdrawPledge(ctx, c, a, p.n, "")
				}
			case 9:
				if rng.IntN(2) == 0 {
					kind = "reopen"
					_, err = s.ReopenPledge(ctx, c, a, p.n, now.AddDate(0, 1, 0).Truncate(24*time.Hour), now.UTC().Truncate(24*time.Hour), "")
				} else {
					var lapsed []int
					lapsed, err = s.LapseDue(ctx, c, now, now)
					did["lapsed"] += len(lapsed)
				}
			case 10, 11, 13, 14:
				ce := bot.CheckEntry{Pledge: p.n, Entry: rng.IntN(2), Query: op%2 == 1, Note: "how many?"}
				kind = map[bool]string{false: "confirm", true: "query"}[ce.Query]
				_, _, err = s.CheckEntry(ctx, c, vouch, ce, "")
			case 12:
				partner := min(1, rng.IntN(3))
				kind = "partner"
				_, err = s.EditPledge(ctx, c, a, p.n, bot.PledgeEdit{Partner: &partner}, "")
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
	// Every theme alone as well: the businesses taking part under a theme
	// come from other bits than the plain count.
	read := func(f bot.SummaryFilter) string {
		out := ""
		for _, theme := range []string{"", "volunteering", "carbon", "buy-local", "fair-pay"} {
			f.Theme = theme
			cur, prev, err := s.Summary(ctx, c, f, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, ps := range []bot.PeriodStats{cur, prev} {
				checkVouched(t, ps)
			}
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
