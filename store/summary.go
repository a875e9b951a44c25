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
	var rates []rateEntry
	for i := range sums {
		sums[i] = map[string]float64{}
	}
	filled, filledDays := false, false
	for from := 0; from >= 0; {
		call := summaryCall{Theme: f.Theme, Area: f.Area, PreviousStart: f.Previous.Start, Start: f.Period.Start,
			End: f.Period.End, From: from, Batch: areaBatch, AreaSumsFrom: cmp.Or(s.areaSumsFrom, AreaSumsFrom)}
		// (a total theme has no rate figures: its summary skips the index)
		readRates := !(f.Theme != "" && f.TotalTheme)
		// (an area read from its districts' sums filters the same entries
		// by the business bitmap the script returns: read them in the same
		// transaction too, so that its figures are of one instant)
		res, hash, err := s.readSummary(ctx, c, call, readRates && from == 0)
		if err = s.fail(err); err != nil {
			return cur, prev, err
		}
		if len(res) != 11 {
			return cur, prev, fmt.Errorf("store: summary returned %d parts", len(res))
		}
		// A large community's first area summary fills its area sums in,
		// then reads them, and its first rolling period its day sums (a
		// fill that fails leaves the slow way).
		if fill, _ := res[7].(int64); fill == 1 && from == 0 && !filled {
			filled = true
			if err := s.FillAreaSums(ctx, c); err == nil {
				continue
			}
		}
		if fill, _ := res[10].(int64); fill == 1 && !filledDays {
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
		whole, _ := res[8].(int64)
		switch {
		case whole == 1 && readRates:
			// (read with the script's first call; a batch after the first
			// never reads whole)
			if hash == nil {
				if hash, err = s.rdb.HVals(ctx, s.key(c, "rates")).Result(); err != nil {
					return cur, prev, s.fail(err)
				}
			}
			bits, _ := res[9].(string)
			rates = append(rates, pickRates(hash, f.Theme, f.Area != "", bits)...)
		case whole != 1:
			r, _ := res[5].([]any)
			for _, e := range r {
				if s, ok := e.(string); ok {
					if re, ok := parseRate(s); ok {
						rates = append(rates, re)
					}
				}
			}
		}
		next, _ := res[6].(int64)
		from = int(next)
	}
	decisions := [2]int{prev.Decisions, cur.Decisions}
	prev, cur = periodStats(sums[0], sums[1]), periodStats(sums[1], sums[2])
	prev.Businesses, cur.Businesses = biz[0], biz[1]
	prev.Decisions, cur.Decisions = decisions[0], decisions[1]
	addRates(cur, f.Period, rates)
	addRates(prev, f.Previous, rates)
	return cur, prev, nil
}

// readSummary runs lua/summary.lua and, with rates, reads the rates
// hash's entries in the same transaction: one round trip, and figures of
// one instant. They go to Go whole: Lua took 55 ms to filter and pass on
// 16,667 entries, where Redis sends them in a few milliseconds.
func (s *Store) readSummary(ctx context.Context, c string, call summaryCall, rates bool) ([]any, []string, error) {
	if !rates {
		res, err := summaryRead.Run(ctx, s.rdb, s.base(c), call.argv()...).Slice()
		return res, nil, err
	}
	for eval := false; ; eval = true {
		var sc *redis.Cmd
		var h *redis.StringSliceCmd
		_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
			if eval {
				// (a pipeline cannot load a script EVALSHA misses)
				sc = summaryRead.Eval(ctx, p, s.base(c), call.argv()...)
			} else {
				sc = summaryRead.EvalSha(ctx, p, s.base(c), call.argv()...)
			}
			h = p.HVals(ctx, s.key(c, "rates"))
			return nil
		})
		if err != nil && !eval && redis.HasErrorPrefix(err, "NOSCRIPT") {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		res, err := sc.Slice()
		return res, h.Val(), err
	}
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
		count := func(v float64) int { return int(math.Round(v)) }
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
		if t != (bot.ThemeStats{Theme: theme}) {
			ps.Themes[theme] = &t
		}
	}
	return ps
}

// clean drops the float noise a difference of sums leaves (0.3 less 0.1
// less 0.2), so a part that is nothing is 0, never -0.00000000000000006.
func clean(v float64) float64 {
	if math.Abs(v) < 1e-9 {
		return 0
	}
	return v
}

// rateEntry is a rates index entry ("theme|business|target|created|
// closed|T:V,T:V", rate_sync in lua/figures.lua), parsed once for both
// periods of a summary.
type rateEntry struct {
	theme           string
	target          float64
	created, closed int64
	open            bool // not closed
	reports         []rateReport
}

// rateReport is one reported value: at unix time at, in state c, q or a
// (awaiting), or "" (self-reported).
type rateReport struct {
	at    int64
	value float64
	state string
}

// parseRate reads one rates index entry; false for one that is not.
func parseRate(e string) (rateEntry, bool) {
	var f [6]string
	for i := range 5 {
		var ok bool
		if f[i], e, ok = strings.Cut(e, "|"); !ok {
			return rateEntry{}, false
		}
	}
	if strings.Contains(e, "|") {
		return rateEntry{}, false
	}
	f[5] = e
	r := rateEntry{theme: f[0]}
	r.target, _ = strconv.ParseFloat(f[2], 64)
	r.created, _ = rateTime(f[3])
	closed, err := rateTime(f[4])
	r.closed, r.open = closed, err != nil
	for rep := range strings.SplitSeq(f[5], ",") {
		at, rest, ok := strings.Cut(rep, ":")
		if !ok {
			continue
		}
		t, err := rateTime(at)
		if err != nil {
			continue
		}
		v, state, _ := strings.Cut(rest, ":")
		value, _ := strconv.ParseFloat(v, 64)
		r.reports = append(r.reports, rateReport{at: t, value: value, state: state})
	}
	return r, true
}

// pickRates parses the rates hash's entries (its values) about the theme ("" for all)
// and, for an area, of the businesses set in bits (bit N: business N, as
// Redis numbers a bitmap's bits).
func pickRates(hash []string, theme string, area bool, bits string) []rateEntry {
	out := make([]rateEntry, 0, len(hash))
	for _, e := range hash {
		t, rest, _ := strings.Cut(e, "|")
		if theme != "" && t != theme {
			continue
		}
		if area {
			b, _, _ := strings.Cut(rest, "|")
			n, err := strconv.Atoi(b)
			if err != nil || n < 0 || n/8 >= len(bits) || bits[n/8]&(0x80>>(n%8)) == 0 {
				continue
			}
		}
		if r, ok := parseRate(e); ok {
			out = append(out, r)
		}
	}
	return out
}

// addRates fills the rate figures of a period from the rates index
// entries: the pledges live during the period (made before its end, not
// closed before its start; withdrawn ones are never indexed), and of those
// the ones that had reported by its end, each with its latest value then,
// counted by that value's state now (RateStats.By).
func addRates(ps bot.PeriodStats, p bot.Period, entries []rateEntry) {
	start, end := p.Start.Unix(), p.End.Unix()
	values := map[string][]float64{}
	for _, e := range entries {
		if e.created >= end || (!e.open && e.closed < start) {
			continue
		}
		t := themeOf(ps, e.theme)
		t.Rate.Pledges++
		v, state, ok := valueAt(e.reports, end)
		if !ok {
			continue
		}
		t.Rate.Reporting++
		switch state {
		case "c":
			t.Rate.By.Confirmed++
		case "q":
			t.Rate.By.Queried++
		case "a":
			t.Rate.By.Awaiting++
		default:
			t.Rate.By.SelfReported++
		}
		if e.target > 0 && v >= e.target {
			t.Rate.Met++
		}
		values[e.theme] = append(values[e.theme], v)
	}
	for theme, vs := range values {
		slices.Sort(vs)
		r := &ps.Themes[theme].Rate
		r.Min, r.Max = vs[0], vs[len(vs)-1]
		r.Median = vs[len(vs)/2]
		if len(vs)%2 == 0 {
			r.Median = (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
		}
	}
}

// rateTime reads a time of the rates index: base 36 (rate_sync in
// lua/figures.lua writes 6 characters for any time from 1972 to 2038), or
// unix seconds in decimal (10 digits from 2001) as releases up to 2cc2921
// wrote them. "" (not closed) is an error.
func rateTime(s string) (int64, error) {
	if len(s) >= 9 {
		return strconv.ParseInt(s, 10, 64)
	}
	return strconv.ParseInt(s, 36, 64)
}

// valueAt is the latest of the reports (oldest first) made before end,
// and its state.
func valueAt(reports []rateReport, end int64) (v float64, state string, ok bool) {
	for _, r := range reports {
		if r.at >= end {
			continue
		}
		v, state, ok = r.value, r.state, true
	}
	return v, state, ok
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
