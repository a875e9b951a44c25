package report

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/summary"
)

// Every name and amount label fits inside the chart's viewBox by the
// (generous) width estimate, however long: the viewBox widens instead.
func TestChartLeavesRoomForEveryLabel(t *testing.T) {
	// The delivered bar is delivered to date (ToDate), never what was
	// delivered in the period alone.
	row := func(name, unit string, committed, toDate float64) summary.Row {
		r := summary.Row{Theme: bot.Theme{Name: name, Unit: unit, Measure: bot.MeasureTotal}}
		r.Cur.Committed, r.Cur.ToDate, r.Cur.Delivered = committed, toDate, 7
		return r
	}
	for _, rows := range [][]summary.Row{
		{row("apprenticeships", "weeks of apprenticeship", 2, 1), row("buying from local suppliers", "£ local spend", 20000, 0)},
		{row("expert help to community groups", "hours", 123456, 98765), row("carbon", "tonnes CO2e", 0, 3)},
		{row(strings.Repeat("Wide Municipal Theme Name ", 4), "person-weeks of mentoring and outreach", 123456789, 123456789)},
		{row("地域の雇用", "人", 12, 30)},
	} {
		c := newChart(rows)
		if c.Width < chartWidth {
			t.Errorf("width %d below %d", c.Width, chartWidth)
		}
		for _, r := range c.Rows {
			if w := 1.1 * textWidth(r.Name, chartFont); w > float64(c.Width) {
				t.Errorf("name %q (%.0f) wider than the chart (%d)", r.Name, w, c.Width)
			}
			for _, l := range []struct {
				x    int
				text string
			}{{r.CommittedLabelX, r.Committed}, {r.DeliveredLabelX, r.deliveredLabel()}} {
				if end := float64(l.x) + textWidth(l.text, chartFont); end > float64(c.Width) {
					t.Errorf("label %q ends at %.0f past the chart's %d", l.text, end, c.Width)
				}
			}
			if r.CommittedW > c.Width || r.DeliveredW > c.Width || r.CommittedY+chartBar > c.Height || r.DeliveredY+chartBar > c.Height {
				t.Errorf("bars outside the chart: %+v in %dx%d", r, c.Width, c.Height)
			}
		}
	}
	// A theme with nothing delivered to date draws no delivered bar (what
	// it delivered in the period does not count); one with both
	// draws the larger at full length.
	c := newChart([]summary.Row{row("a", "hours", 10, 0), row("b", "hours", 10, 20)})
	if c.Rows[0].DeliveredW != 0 || c.Rows[0].CommittedW != c.Rows[1].DeliveredW || c.Rows[1].CommittedW*2 > c.Rows[1].DeliveredW+1 {
		t.Errorf("bar lengths: %+v", c.Rows)
	}
}
