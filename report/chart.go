package report

import (
	"strconv"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/summary"
)

// chart is an inline SVG bar chart of committed against delivered by
// total theme (rate themes are never summed, so never charted), drawn on the server so the page needs no script. Themes have
// different units, so each theme's pair of bars is scaled to its own
// larger value and labelled with both amounts.
type chart struct {
	Width, Height int
	LabelWidth    int
	Rows          []chartRow
}

type chartRow struct {
	Y, BarY2, TextY  int
	Name             string
	Committed        string
	Delivered        string
	CommittedW       int
	DeliveredW       int
	CommittedLabelX  int
	DeliveredLabelX  int
	DeliveredPercent string
}

const (
	chartWidth = 720
	labelWidth = 220
	barSpace   = 380
	rowHeight  = 56
	barHeight  = 16
)

func newChart(rows []summary.Row) chart {
	c := chart{Width: chartWidth, LabelWidth: labelWidth, Height: 30 + rowHeight*len(rows)}
	for i, r := range rows {
		top := 30 + i*rowHeight
		max := r.Cur.Committed
		if r.Cur.Delivered > max {
			max = r.Cur.Delivered
		}
		w := func(v float64) int {
			if max <= 0 || v <= 0 {
				return 0
			}
			return int(v / max * barSpace)
		}
		cr := chartRow{Y: top, BarY2: top + barHeight + 4, TextY: top + 12, Name: r.Theme.Name,
			Committed: bot.FormatAmount(r.Cur.Committed, r.Theme.Unit), Delivered: bot.FormatAmount(r.Cur.Delivered, r.Theme.Unit),
			CommittedW: w(r.Cur.Committed), DeliveredW: w(r.Cur.Delivered)}
		cr.CommittedLabelX = labelWidth + cr.CommittedW + 6
		cr.DeliveredLabelX = labelWidth + cr.DeliveredW + 6
		if p, ok := bot.RoundPercent(r.Cur.Delivered, r.Cur.Committed); ok {
			cr.DeliveredPercent = strconv.Itoa(p) + "%"
		}
		c.Rows = append(c.Rows, cr)
	}
	return c
}
