package summary

import (
	"fmt"
	"math"
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
		text := fmt.Sprintf("made %s · active %d · done %s · lapsed %d\ncommitted %s, delivered %s (%s: committed %s, delivered %s)",
			countDelta(c.Made, pv.Made), c.Active, countDelta(c.Done, pv.Done), c.Lapsed,
			bot.FormatAmount(c.Committed, row.Theme.Unit), bot.FormatAmount(c.Delivered, row.Theme.Unit),
			s.Filter.Previous.Label, bot.FormatAmount(pv.Committed, row.Theme.Unit), bot.FormatAmount(pv.Delivered, row.Theme.Unit))
		r.Items = append(r.Items, bot.Item{Title: row.Theme.Name + " (" + unitOr(row.Theme.Unit) + ")", Text: text,
			Progress: &bot.Progress{Done: c.Delivered, Target: c.Committed, Unit: row.Theme.Unit}})
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
	out := fmt.Sprintf("%.0f%% (%d done of %d that ended)", c, t.Done, t.Done+t.Lapsed)
	if pr, okp := p.CompletionRate(); okp {
		out += fmt.Sprintf(", %s points%s", Delta(math.Round(c-pr)), vs)
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
