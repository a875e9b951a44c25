package summary

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// Heading names what a summary covers, e.g.
// "2026-Q4 · apprenticeships · area CB1".
func (s *Summary) Heading() string {
	parts := []string{s.Filter.Period.Label}
	if s.Filter.Theme != "" {
		parts = append(parts, s.Filter.Theme)
	}
	if s.Filter.Area != "" {
		parts = append(parts, "area "+s.Filter.Area)
	}
	return strings.Join(parts, " · ")
}

// LiveMeans, AmountsMean and RatesMean say in plain words what the period
// view's figures mean; the chat reply carries them (AmountsMean only when
// a theme counted as a total is shown, RatesMean only when a rate theme
// is), so a reader need not look them up.
const (
	LiveMeans   = "Live pledges were made before the period ended and not done or lapsed before it began; withdrawn ones never count."
	AmountsMean = "Committed is the live pledges' targets, delivered to date what was logged on them up to the period's end (the % is of committed), and delivered in period all progress logged within it."
	RatesMean   = "A rate theme counts businesses, each once: reporting, met their target, median and range are of the latest value each business reported on any of its pledges of the theme, never summed."
)

// Reply renders the summary for chat. It holds counts and amounts only:
// no pledge text, so private pledges count without being shown.
func (s *Summary) Reply() bot.Reply {
	t, p := s.Totals, s.PrevTotals
	vs := " vs " + s.Filter.Previous.Label
	r := bot.Reply{
		Title: "Network summary: " + s.Heading(),
		Text:  Span(s.Filter.Period) + ". Changes are against " + s.Filter.Previous.Label + " (" + Span(s.Filter.Previous) + ").",
		Fields: []bot.Field{
			{Label: "Businesses taking part", Value: countDelta(t.Businesses, p.Businesses)},
			{Label: "Pledges made", Value: countDelta(t.Made, p.Made)},
			{Label: "Live during the period", Value: countDelta(t.Live, p.Live)},
			{Label: "Active at the end", Value: countDelta(t.Active, p.Active)},
			{Label: "Done", Value: countDelta(t.Done, p.Done)},
			{Label: "Lapsed", Value: countDelta(t.Lapsed, p.Lapsed)},
			{Label: "Withdrawn", Value: countDelta(t.Withdrawn, p.Withdrawn)},
			{Label: "Completion rate", Value: rateDelta(t, p, vs)},
		},
	}
	if t.Decisions >= 0 {
		r.Fields = append(r.Fields, bot.Field{Label: "s172 decisions recorded", Value: countDelta(t.Decisions, p.Decisions)})
	}
	for _, row := range s.Themes {
		c, pv := row.Cur, row.Prev
		counts := fmt.Sprintf("made %s · active %d · done %s · lapsed %d",
			countDelta(c.Made, pv.Made), c.Active, countDelta(c.Done, pv.Done), c.Lapsed)
		item := bot.Item{Title: row.Theme.Name + " (" + unitOr(row.Theme.Unit) + ")"}
		if row.Theme.IsRate() {
			// A rate is each business's latest value: never summed, no bar.
			item.Text = counts + "\n" + RateLine(c.Rate, row.Theme.Unit)
			if c.Rate.Reporting > 0 {
				item.Text += "\nbusinesses reporting, by who says so: " + VouchedCountLine(c.Rate.By)
			}
		} else {
			u := row.Theme.Unit
			item.Text = fmt.Sprintf("%s\nlive %d · committed %s · delivered in period %s · delivered to date %s%s\n%s: live %d · committed %s · in period %s · to date %s%s",
				counts, c.Live, bot.FormatAmount(c.Committed, u), bot.FormatAmount(c.Delivered, u), bot.FormatAmount(c.ToDate, u), pctSuffix(row.DeliveredPct()),
				s.Filter.Previous.Label, pv.Live, bot.FormatAmount(pv.Committed, u), bot.FormatAmount(pv.Delivered, u), bot.FormatAmount(pv.ToDate, u), pctSuffix(row.PrevDeliveredPct()))
			item.Text += "\nby who says so, to date: " + VouchedLine(c.ToDateBy, u) + "; in period: " + VouchedLine(c.DeliveredBy, u)
			if gbp, ok := row.Indicative(); ok {
				p := row.Theme.Proxy
				item.Text += fmt.Sprintf("\nindicative £%s (delivered in period valued at £%s per %s; %s)",
					bot.FormatNumber(gbp), bot.FormatNumber(p.Value), bot.FormatAmount(p.Per, row.Theme.Unit), ProxySource(p))
			}
			item.Progress = &bot.Progress{Done: c.ToDate, Target: c.Committed, Unit: row.Theme.Unit}
		}
		r.Items = append(r.Items, item)
	}
	if it := s.VouchedItem(); it != nil {
		r.Items = append(r.Items, *it)
	}
	r.Text += "\n" + LiveMeans
	if s.hasTotals() {
		r.Text += " " + AmountsMean
	}
	if s.hasRates() {
		r.Text += " " + RatesMean
	}
	if len(s.Themes) > 0 {
		r.Text += " " + VouchedMeans
	}
	if s.HasProxy() {
		r.Text += "\nIndicative £ figures value the amounts delivered in the period at the council's own proxy values: an estimate, not money spent or received."
	}
	if len(s.Themes) == 0 {
		r.Text += "\nNo pledges were made, updated or closed in this period."
	}
	r.Actions = []bot.Action{
		{Label: "Export CSV", Command: "summary export format:csv" + s.optionSuffix()},
		{Label: "Report link", Command: "summary link" + s.optionSuffix()},
	}
	return r
}

// pctSuffix is " (63%)", or "" without a percentage.
func pctSuffix(pct int, ok bool) string {
	if !ok {
		return ""
	}
	return " (" + strconv.Itoa(pct) + "%)"
}

// hasTotals reports whether a theme counted as a total is shown.
func (s *Summary) hasTotals() bool {
	for _, r := range s.Themes {
		if !r.Theme.IsRate() {
			return true
		}
	}
	return false
}

// hasRates reports whether a rate theme is shown.
func (s *Summary) hasRates() bool {
	for _, r := range s.Themes {
		if r.Theme.IsRate() {
			return true
		}
	}
	return false
}

// optionSuffix repeats the filter as options for follow-up commands.
func (s *Summary) optionSuffix() string {
	out := " period:" + s.Filter.Period.Label
	if s.Filter.Theme != "" {
		out += " theme:" + s.Filter.Theme
	}
	if s.Filter.Area != "" {
		out += " area:" + s.Filter.Area
	}
	return out
}

func unitOr(u string) string {
	if u == "" {
		return "count"
	}
	return u
}

// countDelta is "7 (+2)", "7 (−1)" or "7 (no change)".
func countDelta(cur, prev int) string {
	return fmt.Sprintf("%d (%s)", cur, Delta(float64(cur-prev)))
}

func rateDelta(t, p Totals, vs string) string {
	c, okc := t.CompletionRate()
	if !okc {
		return "n/a (no pledge was done or lapsed)"
	}
	// The change is between the whole percents shown, so it adds up.
	out := fmt.Sprintf("%d%% (%d done of %d that ended)", bot.WholePercent(c), t.Done, t.Done+t.Lapsed)
	if pr, okp := p.CompletionRate(); okp {
		out += fmt.Sprintf(", %s points%s", Delta(float64(bot.WholePercent(c)-bot.WholePercent(pr))), vs)
	}
	return out
}

// Delta signs a change: "+2", "−1.5", "no change".
func Delta(d float64) string {
	switch {
	case d > 0:
		return "+" + bot.FormatNumber(d)
	case d < 0:
		return "−" + bot.FormatNumber(-d)
	}
	return "no change"
}

// RateLine describes a rate theme by its businesses' latest values, e.g.
// "12 pledges by 9 businesses · 7 reporting · 5 met their target · median
// 87% (range 60% to 100%)": reporting, met, median and range count each
// business once (bot.RateStats), so a business with two pledges of the
// theme is one value, not two. Values are rounded by bot.RoundRate's rule.
func RateLine(r bot.RateStats, unit string) string {
	out := bot.Count(r.Pledges, "pledge", "pledges") + " by " + bot.Count(r.Businesses, "business", "businesses") +
		" · " + strconv.Itoa(r.Reporting) + " reporting"
	if r.Reporting == 0 {
		return out
	}
	out += " · " + strconv.Itoa(r.Met) + " met their target · median " + bot.FormatRate(r.Median, unit)
	if r.Reporting > 1 {
		out += " (range " + bot.FormatRate(r.Min, unit) + " to " + bot.FormatRate(r.Max, unit) + ")"
	}
	return out
}

// Indicative is the row's delivered amount valued at its theme's council
// proxy (delivered ÷ Per × Value), unrounded; ok is false for a rate
// theme or a theme without a proxy.
func (r Row) Indicative() (gbp float64, ok bool) {
	p := r.Theme.Proxy
	if p == nil || p.Per <= 0 || r.Theme.IsRate() {
		return 0, false
	}
	return r.Cur.Delivered / p.Per * p.Value, true
}

// HasProxy reports whether any row shows an indicative £ figure; without
// one, no surface mentions indicative £ at all.
func (s *Summary) HasProxy() bool {
	for _, r := range s.Themes {
		if _, ok := r.Indicative(); ok {
			return true
		}
	}
	return false
}

// ProxySource names where a proxy value comes from: "Council social value
// framework, 2026".
func ProxySource(p *bot.Proxy) string {
	src := p.Source
	if src == "" {
		src = "council proxy value"
	}
	if p.Year > 0 {
		src += ", " + strconv.Itoa(p.Year)
	}
	return src
}
