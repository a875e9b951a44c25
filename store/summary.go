package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// areaBatch is how many businesses one call of an area's summary reads.
const areaBatch = 200

// AreaSumsFrom is the number of pledges from which a community keeps
// monthly sums per postcode district (area_upto in lua/figures.lua), so a
// summary of an area reads sums instead of every pledge there, and sums
// per day (day_upto), so a rolling period's edges read days' sums instead
// of the ledger of the months they fall in and the pledges written there. Below it
// an area's pledges are read faster than the sums would repay their
// memory: a community of 100 pledges in 8 districts would keep almost a
// field per atom again (about 100 B a pledge).
const AreaSumsFrom = 5000

// areaFillBatch is how many pledges one call of FillAreaSums reads.
const areaFillBatch = 500

// Summary reads a period and the one before it (see lua/summary.lua and
// lua/figures.lua). For the network it is one script call whose cost
// follows the number of months and themes, plus, for a period that does
// not start and end on month boundaries, the pledges written in the parts
// of the months it starts and ends in. An area is read areaBatch
// businesses a call, at a cost that follows their pledges.
func (s *Store) Summary(ctx context.Context, c string, f bot.SummaryFilter, now time.Time) (cur, prev bot.PeriodStats, err error) {
	var sums [3]map[string]float64
	var biz [2]int
	for i := range sums {
		sums[i] = map[string]float64{}
	}
	filled, filledDays := false, false
	for from := 0; from >= 0; {
		call := summaryCall{Theme: f.Theme, Area: f.Area, PreviousStart: f.Previous.Start, Start: f.Period.Start,
			End: f.Period.End, From: from, Batch: areaBatch, AreaSumsFrom: cmp.Or(s.areaSumsFrom, AreaSumsFrom)}
		res, err := summaryRead.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
		if err = s.fail(err); err != nil {
			return cur, prev, err
		}
		if len(res) != 8 {
			return cur, prev, fmt.Errorf("store: summary returned %d parts", len(res))
		}
		// A large community's first area summary fills its area sums in,
		// then reads them, and its first rolling period its day sums (a
		// fill that fails leaves the slow way).
		if fill, _ := res[6].(int64); fill == 1 && from == 0 && !filled {
			filled = true
			if err := s.FillAreaSums(ctx, c); err == nil {
				continue
			}
		}
		if fill, _ := res[7].(int64); fill == 1 && !filledDays {
			filledDays = true
			if err := s.FillDaySums(ctx, c); err == nil {
				continue
			}
		}
		for i := range sums {
			for k, v := range flatFloats(res[i]) {
				sums[i][k] += v
			}
		}
		if b, _ := res[3].([]any); len(b) == 2 {
			n0, _ := b[0].(int64)
			n1, _ := b[1].(int64)
			biz[0], biz[1] = biz[0]+int(n0), biz[1]+int(n1)
		}
		if d, _ := res[4].([]any); len(d) == 2 {
			n0, _ := d[0].(int64)
			n1, _ := d[1].(int64)
			cur.Decisions, prev.Decisions = int(n0), int(n1)
		}
		next, _ := res[5].(int64)
		from = int(next)
	}
	decisions := [2]int{prev.Decisions, cur.Decisions}
	prev, cur = periodStats(sums[0], sums[1]), periodStats(sums[1], sums[2])
	prev.Businesses, cur.Businesses = biz[0], biz[1]
	prev.Decisions, cur.Decisions = decisions[0], decisions[1]
	return cur, prev, nil
}

// FillAreaSums starts a community's area sums (area_upto in
// lua/figures.lua) and fills them in from its pledges, areaFillBatch
// pledges a call; writes meanwhile keep them in step. Summary calls it
// for a community past AreaSumsFrom pledges; it is harmless to call again.
func (s *Store) FillAreaSums(ctx context.Context, c string) error {
	for {
		call := areaSumsCall{Count: areaFillBatch}
		more, err := areaSums.Run(ctx, s.rdb, s.base(c), call.argv()...).Int()
		if err = s.fail(err); err != nil {
			return fmt.Errorf("filling the area sums of community %s: %w", c, err)
		}
		if more == 0 {
			return nil
		}
	}
}

// FillDaySums starts a community's day sums (day_upto in
// lua/figures.lua) and fills them in from its pledges and their ledger
// entries, areaFillBatch pledges a call; writes meanwhile keep them in
// step. Summary calls it for a community past AreaSumsFrom pledges at its
// first rolling period; it is harmless to call again.
func (s *Store) FillDaySums(ctx context.Context, c string) error {
	for {
		call := daySumsCall{Count: areaFillBatch}
		more, err := daySums.Run(ctx, s.rdb, s.base(c), call.argv()...).Int()
		if err = s.fail(err); err != nil {
			return fmt.Errorf("filling the day sums of community %s: %w", c, err)
		}
		if more == 0 {
			return nil
		}
	}
}

// periodStats turns the sums of the atoms before a period's start (s) and
// before its end (e) into its figures (the formulas are in
// lua/figures.lua).
func periodStats(s, e map[string]float64) bot.PeriodStats {
	ps := bot.PeriodStats{Themes: map[string]*bot.ThemeStats{}}
	themes := map[string]bool{}
	for _, sums := range []map[string]float64{s, e} {
		for key := range sums {
			if _, theme, ok := strings.Cut(key, ":"); ok {
				themes[theme] = true
			}
		}
	}
	for theme := range themes {
		at := func(sums map[string]float64, field string) float64 { return sums[field+":"+theme] }
		t := bot.ThemeStats{
			Theme:     theme,
			Made:      count(at(e, "m") - at(s, "m")),
			Done:      count(at(e, "dn") - at(s, "dn")),
			Lapsed:    count(at(e, "lp") - at(s, "lp")),
			Withdrawn: count(at(e, "wd") - at(s, "wd")),
			Active:    count(at(e, "m") - at(e, "x")),
			Live:      count(at(e, "m") - at(s, "x")),
			Committed: at(e, "c") - at(s, "cx"),
			Delivered: at(e, "d") - at(s, "d"),
			ToDate:    at(e, "d") - at(s, "dx"),
		}
		// (self-reported is what the partners' parts leave: no atom has it)
		part := func(v, a, q float64, of float64) bot.Vouched {
			return bot.Vouched{Confirmed: v, Awaiting: a, Queried: q, SelfReported: clean(of - v - a - q)}
		}
		t.DeliveredBy = part(at(e, "dv")-at(s, "dv"), at(e, "da")-at(s, "da"), at(e, "dq")-at(s, "dq"), t.Delivered)
		t.ToDateBy = part(at(e, "dv")-at(s, "xv"), at(e, "da")-at(s, "xa"), at(e, "dq")-at(s, "xq"), t.ToDate)
		t.Rate = rateStats(s, e, theme)
		if t != (bot.ThemeStats{Theme: theme}) {
			ps.Themes[theme] = &t
		}
	}
	return ps
}

// rateStats are a rate theme's figures from the sums before a period's
// start (s) and end (e): its rate pledges live in the period, the
// businesses they belong to, and of those how many held each value at its
// end, by the value's kind, rSM=V (S who vouches for it, M 1 when it meets
// the target: rate_kind and business_rate_atoms in lua/figures.lua). The
// median and range are of those values, never a sum.
func rateStats(s, e map[string]float64, theme string) bot.RateStats {
	r := bot.RateStats{Pledges: count(e["rm:"+theme] - s["rx:"+theme]),
		Businesses: count(e["bm:"+theme] - s["bx:"+theme])}
	type held struct {
		value float64
		n     int
	}
	var values []held
	for key, sum := range e {
		kind, ok := strings.CutSuffix(key, ":"+theme)
		if !ok || len(kind) < 4 || kind[0] != 'r' || kind[3] != '=' {
			continue
		}
		// (less businesses whose pledges all closed before the start, at
		// the value they held)
		n := count(sum - s["R"+kind[1:]+":"+theme])
		v, err := strconv.ParseFloat(kind[4:], 64)
		if n <= 0 || err != nil {
			continue
		}
		r.Reporting += n
		switch kind[1] {
		case 'v':
			r.By.Confirmed += n
		case 'q':
			r.By.Queried += n
		case 'a':
			r.By.Awaiting += n
		default:
			r.By.SelfReported += n
		}
		if kind[2] == '1' {
			r.Met += n
		}
		values = append(values, held{v, n})
	}
	if r.Reporting == 0 {
		return r
	}
	slices.SortFunc(values, func(a, b held) int { return cmp.Compare(a.value, b.value) })
	// nth is the value the nth business holds, counted from 0 in order of value.
	nth := func(i int) float64 {
		for _, h := range values {
			if i < h.n {
				return h.value
			}
			i -= h.n
		}
		return 0
	}
	r.Min, r.Max = values[0].value, values[len(values)-1].value
	r.Median = nth(r.Reporting / 2)
	if r.Reporting%2 == 0 {
		r.Median = (nth(r.Reporting/2-1) + nth(r.Reporting/2)) / 2
	}
	return r
}

// count reads a sum of atoms of 1 as a number of pledges.
func count(v float64) int { return int(math.Round(v)) }

// clean drops the float noise a difference of sums leaves (0.3 less 0.1
// less 0.2), so a part that is nothing is 0, never -0.00000000000000006.
func clean(v float64) float64 {
	if math.Abs(v) < 1e-9 {
		return 0
	}
	return v
}

func flatFloats(v any) map[string]float64 {
	flat, _ := v.([]any)
	out := make(map[string]float64, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		k, _ := flat[i].(string)
		var f float64
		switch x := flat[i+1].(type) {
		case string:
			f, _ = strconv.ParseFloat(x, 64)
		case int64:
			f = float64(x)
		}
		out[k] = f
	}
	return out
}

func themeOf(ps bot.PeriodStats, theme string) *bot.ThemeStats {
	t, ok := ps.Themes[theme]
	if !ok {
		t = &bot.ThemeStats{Theme: theme}
		ps.Themes[theme] = t
	}
	return t
}

// ReportSecret returns the stored link secret; with create, a random one
// is kept first when none is stored yet.
func (s *Store) ReportSecret(ctx context.Context, c string, create bool) ([]byte, error) {
	fresh := ""
	if create {
		b := make([]byte, 32)
		rand.Read(b)
		fresh = hex.EncodeToString(b)
	}
	call := reportSecretCall{Fresh: fresh}
	v, err := reportSecret.Run(ctx, s.rdb, s.base(c), call.argv()...).Text()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err = s.fail(err); err != nil {
		return nil, err
	}
	return []byte(v), nil
}

// summaryCall is the argument list of lua/summary.lua.
type summaryCall struct {
	Theme, Area               string
	PreviousStart, Start, End time.Time
	From, Batch               int
	AreaSumsFrom              int // from how many pledges a community keeps area sums
}

func (c summaryCall) argv() []any {
	return []any{c.Theme, c.Area, c.PreviousStart.Unix(), c.Start.Unix(), c.End.Unix(), c.From, c.Batch, c.AreaSumsFrom}
}

// reportSecretCall is the argument list of lua/report_secret.lua.
type reportSecretCall struct {
	Fresh string // a new secret to keep when none is kept; "" reads only
}

func (c reportSecretCall) argv() []any { return []any{c.Fresh} }

// daySumsCall is the argument list of lua/day_sums.lua.
type daySumsCall struct {
	Count int // how many pledges a call
}

func (c daySumsCall) argv() []any { return []any{c.Count} }

// areaSumsCall is the argument list of lua/area_sums.lua.
type areaSumsCall struct {
	Count int // how many pledges a call
}

func (c areaSumsCall) argv() []any { return []any{c.Count} }
