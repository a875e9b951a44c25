package summary

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// Summary is one computed council summary: the model that the chat reply,
// the exports and the report page all render.
type Summary struct {
	Community  string
	Filter     bot.SummaryFilter
	Generated  time.Time
	Totals     Totals
	PrevTotals Totals
	Themes     []Row
}

// Totals add up every theme of a period.
type Totals struct {
	Businesses int
	Made       int
	Live       int // pledges live during the period (bot.ThemeStats.Live), rate themes' too
	Active     int
	Done       int
	Lapsed     int
	Withdrawn  int
	// Decisions are s172 decision records dated in the period; -1 when a
	// theme or area filter applies (records have neither).
	Decisions int
}

// CompletionRate is done ÷ (done + lapsed) in percent: the share of the
// pledges that reached their end in the period that were delivered. ok is
// false when none did.
func (t Totals) CompletionRate() (pct float64, ok bool) {
	if t.Done+t.Lapsed == 0 {
		return 0, false
	}
	return float64(t.Done) * 100 / float64(t.Done+t.Lapsed), true
}

// Row is one theme, in its own unit, for the period and the one before.
type Row struct {
	Theme bot.Theme
	Cur   bot.ThemeStats
	Prev  bot.ThemeStats
}

// DeliveredPct is the period's delivered to date ÷ committed, both about
// the pledges live during it (bot.ThemeStats.ToDate and Committed), in
// whole percent by the rounding rule (bot.RoundPercent): the percentage
// every surface shows. ok is false without a commitment and for a rate
// theme, whose amounts are never summed.
func (r Row) DeliveredPct() (pct int, ok bool) { return r.percent(r.Cur) }

// PrevDeliveredPct is DeliveredPct for the previous period.
func (r Row) PrevDeliveredPct() (pct int, ok bool) { return r.percent(r.Prev) }

func (r Row) percent(s bot.ThemeStats) (int, bool) {
	if r.Theme.IsRate() {
		return 0, false
	}
	return bot.RoundPercent(s.ToDate, s.Committed)
}

var areaRe = regexp.MustCompile(`^[A-Z]{1,2}([0-9][0-9A-Z]?)?$`)

// Filter builds a checked filter from the options a person gave.
func Filter(b *bot.Bot, community, period, theme, area string, now time.Time) (bot.SummaryFilter, error) {
	cur, prev, err := ParsePeriod(period, now)
	if err != nil {
		return bot.SummaryFilter{}, err
	}
	f := bot.SummaryFilter{Period: cur, Previous: prev, Theme: theme}
	if theme != "" {
		if _, ok := b.Theme(community, theme); !ok {
			return f, bot.Errorf(bot.Invalid, "theme:%s is not one of this network's themes (see /help pledge).", clip(theme, 30))
		}
	}
	if area != "" {
		a := strings.ToUpper(strings.TrimSpace(area))
		if !areaRe.MatchString(a) {
			return f, bot.Errorf(bot.Invalid, "area:%s: give a postcode area or district, e.g. CB or CB1.", clip(area, 20))
		}
		f.Area = a
	}
	return f, nil
}

// Build reads the counters and assembles the summary.
func Build(ctx context.Context, b *bot.Bot, community string, f bot.SummaryFilter) (*Summary, error) {
	now := b.Now()
	cur, prev, err := b.Store().Summary(ctx, community, f, now)
	if err != nil {
		return nil, err
	}
	s := &Summary{Community: community, Filter: f, Generated: now}
	s.Totals.Businesses, s.PrevTotals.Businesses = cur.Businesses, prev.Businesses
	s.Totals.Decisions, s.PrevTotals.Decisions = cur.Decisions, prev.Decisions
	seen := map[string]bool{}
	add := func(t bot.Theme) {
		if seen[t.Key] || (f.Theme != "" && t.Key != f.Theme) {
			return
		}
		seen[t.Key] = true
		r := Row{Theme: t}
		if c := cur.Themes[t.Key]; c != nil {
			r.Cur = *c
		}
		if p := prev.Themes[t.Key]; p != nil {
			r.Prev = *p
		}
		r.Cur.Theme, r.Prev.Theme = t.Key, t.Key
		s.Totals.add(r.Cur)
		s.PrevTotals.add(r.Prev)
		if r.Cur != (bot.ThemeStats{Theme: t.Key}) || r.Prev != (bot.ThemeStats{Theme: t.Key}) {
			s.Themes = append(s.Themes, r)
		}
	}
	for _, t := range b.Themes(community) {
		add(t)
	}
	// Themes since removed from configuration still count.
	var extra []string
	for k := range cur.Themes {
		if !seen[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		add(bot.Theme{Key: k, Name: k})
	}
	return s, nil
}

func (t *Totals) add(s bot.ThemeStats) {
	t.Made += s.Made
	t.Live += s.Live
	t.Active += s.Active
	t.Done += s.Done
	t.Lapsed += s.Lapsed
	t.Withdrawn += s.Withdrawn
}
