package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// FoldStats brings the counters and totals up to date with the pledges made
// and progress logged since they were last folded (see stats_defer in
// lua/prelude.lua). Summaries and digests fold by themselves; this is for
// whatever reads the keys directly.
func (s *Store) FoldStats(ctx context.Context, c string) error {
	return s.fail(foldStats.Run(ctx, s.rdb, []string{s.base(c)}).Err())
}

// Summary reads the period counters (see keys.go, stats:*) in one script
// call. The cost depends on the number of themes and buckets in the
// periods, never on how many pledges exist.
func (s *Store) Summary(ctx context.Context, c string, f bot.SummaryFilter, now time.Time) (cur, prev bot.PeriodStats, err error) {
	scope := "all"
	if f.Area != "" {
		scope = "area:" + f.Area
	}
	args := []any{scope, f.Theme}
	groups := [][]string{buckets(f.Period), buckets(f.Previous), after(f.Period, now)}
	bizGroups := [][]string{bizBuckets(f.Period), bizBuckets(f.Previous), nil}
	for i, g := range groups {
		args = append(args, len(g))
		for _, b := range g {
			args = append(args, b)
		}
		args = append(args, len(bizGroups[i]))
		for _, b := range bizGroups[i] {
			args = append(args, b)
		}
	}
	args = append(args, f.Period.Start.Unix(), f.Period.End.Unix(), f.Previous.Start.Unix(), f.Previous.End.Unix())
	res, err := summaryRead.Run(ctx, s.rdb, []string{s.base(c)}, args...).Slice()
	if err = s.fail(err); err != nil {
		return cur, prev, err
	}
	if len(res) != 6 {
		return cur, prev, fmt.Errorf("store: summary returned %d parts", len(res))
	}
	var sums [3]map[string]float64
	var biz [3]int
	for i := range 3 {
		part, _ := res[i].([]any)
		if len(part) != 2 {
			return cur, prev, fmt.Errorf("store: summary group %d malformed", i)
		}
		sums[i] = flatFloats(part[0])
		n, _ := part[1].(int64)
		biz[i] = int(n)
	}
	stock := flatFloats(res[3])
	cur = periodStats(sums[0], biz[0])
	prev = periodStats(sums[1], biz[1])
	if d, _ := res[4].([]any); len(d) == 2 {
		n0, _ := d[0].(int64)
		n1, _ := d[1].(int64)
		cur.Decisions, prev.Decisions = int(n0), int(n1)
	}
	// Active at the end of a period is today's stock less what opened and
	// closed after it.
	afterStats := periodStats(sums[2], 0)
	for key, v := range stock {
		if theme, ok := strings.CutPrefix(key, "active:"); ok {
			themeOf(cur, theme).Active = int(v)
		}
	}
	for theme, t := range cur.Themes {
		if a, ok := afterStats.Themes[theme]; ok {
			t.Active -= a.Made - a.Done - a.Lapsed - a.Withdrawn
		}
		p := themeOf(prev, theme)
		p.Active = t.Active - (t.Made - t.Done - t.Lapsed - t.Withdrawn)
	}
	for theme := range prev.Themes {
		themeOf(cur, theme)
	}
	rates, _ := res[5].([]any)
	addRates(cur, f.Period, rates)
	addRates(prev, f.Previous, rates)
	return cur, prev, nil
}

// addRates fills the rate figures of a period from the rates index
// entries ("theme|business|target|created|closed|T:V,T:V"): the pledges
// live during the period (made before its end, not closed before its
// start; withdrawn ones are never indexed), and of those the ones that
// had reported by its end, each with its latest value then.
func addRates(ps bot.PeriodStats, p bot.Period, entries []any) {
	start, end := p.Start.Unix(), p.End.Unix()
	values := map[string][]float64{}
	for _, e := range entries {
		f := strings.Split(fmt.Sprint(e), "|")
		if len(f) != 6 {
			continue
		}
		created, _ := strconv.ParseInt(f[3], 10, 64)
		closed, err := strconv.ParseInt(f[4], 10, 64)
		if created >= end || (err == nil && closed < start) {
			continue
		}
		t := themeOf(ps, f[0])
		t.Rate.Pledges++
		v, ok := valueAt(f[5], end)
		if !ok {
			continue
		}
		target, _ := strconv.ParseFloat(f[2], 64)
		t.Rate.Reporting++
		if target > 0 && v >= target {
			t.Rate.Met++
		}
		values[f[0]] = append(values[f[0]], v)
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

// valueAt is the latest of "T:V,T:V" (oldest first) reported before end.
func valueAt(reports string, end int64) (float64, bool) {
	var v float64
	ok := false
	for _, r := range strings.Split(reports, ",") {
		ts, val, found := strings.Cut(r, ":")
		at, err := strconv.ParseInt(ts, 10, 64)
		if !found || err != nil || at >= end {
			continue
		}
		v, _ = strconv.ParseFloat(val, 64)
		ok = true
	}
	return v, ok
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

func periodStats(sums map[string]float64, biz int) bot.PeriodStats {
	ps := bot.PeriodStats{Businesses: biz, Themes: map[string]*bot.ThemeStats{}}
	for key, v := range sums {
		field, theme, ok := strings.Cut(key, ":")
		if !ok {
			continue
		}
		t := themeOf(ps, theme)
		switch field {
		case "made":
			t.Made = int(v)
		case "done":
			t.Done = int(v)
		case "lapsed":
			t.Lapsed = int(v)
		case "withdrawn":
			t.Withdrawn = int(v)
		case "committed":
			t.Committed = v
		case "delivered":
			t.Delivered = v
		}
	}
	return ps
}

func themeOf(ps bot.PeriodStats, theme string) *bot.ThemeStats {
	t, ok := ps.Themes[theme]
	if !ok {
		t = &bot.ThemeStats{Theme: theme}
		ps.Themes[theme] = t
	}
	return t
}

// buckets names the counters a period sums: its months, or for a rolling
// period its days. A month mostly inside a rolling period is read as the
// month less the days outside it ("-d..." buckets are subtracted), so
// last-30d reads about a dozen hashes instead of thirty.
func buckets(p bot.Period) []string {
	var out []string
	if !p.Daily {
		for m := monthOf(p.Start); m.Before(p.End); m = m.AddDate(0, 1, 0) {
			out = append(out, "m"+m.Format("2006-01"))
		}
		return out
	}
	for m := monthOf(p.Start); m.Before(p.End); m = m.AddDate(0, 1, 0) {
		next := m.AddDate(0, 1, 0)
		from, to := maxTime(m, p.Start), minTime(next, p.End)
		inside := int(to.Sub(from).Hours() / 24)
		total := int(next.Sub(m).Hours() / 24)
		if inside*2 <= total {
			out = append(out, days(from, to, "")...)
			continue
		}
		out = append(out, "m"+m.Format("2006-01"))
		out = append(out, days(m, from, "-")...)
		out = append(out, days(to, next, "-")...)
	}
	return out
}

// days names the day buckets of [from, to), each prefixed with sign.
func days(from, to time.Time, sign string) []string {
	var out []string
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		out = append(out, sign+"d"+d.Format(time.DateOnly))
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// bizBuckets names the business sets of a period: its own quarter, year
// or month set when it is one, else its days (HyperLogLogs) or months.
func bizBuckets(p bot.Period) []string {
	if p.Daily {
		return days(p.Start, p.End, "")
	}
	s, months := monthOf(p.Start), 0
	// (calendar periods other than a month, quarter or year cannot be
	// asked for; their months would be a union of sets.)
	for m := s; m.Before(p.End); m = m.AddDate(0, 1, 0) {
		months++
	}
	switch {
	case months == 12 && s.Month() == time.January:
		return []string{s.Format("y2006")}
	case months == 3 && (s.Month()-1)%3 == 0:
		return []string{fmt.Sprintf("q%d-Q%d", s.Year(), (s.Month()-1)/3+1)}
	}
	return buckets(p)
}

// after names the buckets from the end of p up to now.
func after(p bot.Period, now time.Time) []string {
	now = now.UTC()
	if p.Daily {
		return buckets(bot.Period{Daily: true, Start: p.End, End: now.Truncate(24*time.Hour).AddDate(0, 0, 1)})
	}
	return buckets(bot.Period{Start: p.End, End: monthOf(now).AddDate(0, 1, 0)})
}

func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
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
	v, err := reportSecret.Run(ctx, s.rdb, []string{s.base(c)}, fresh).Text()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err = s.fail(err); err != nil {
		return nil, err
	}
	return []byte(v), nil
}
