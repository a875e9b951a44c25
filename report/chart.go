package report

import (
	"math"
	"strconv"
	"unicode"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/summary"
)

// chart is an inline SVG bar chart of committed against delivered to date
// by total theme (rate themes are never summed, so never charted), drawn
// on the server so the page needs no script. Both bars are about the same
// pledges, those live during the period (bot.ThemeStats.Committed and
// ToDate), so the delivered bar's percentage (summary.Row.DeliveredPct)
// compares like with like. Themes have different units, so each theme's
// pair of bars is scaled to its own larger value and labelled with both
// amounts.
//
// The SVG has a viewBox and is drawn at the width of the page (up to a
// limit), so it shrinks to fit a phone. Each theme's name has a line of its
// own above its bars, and the bars leave room at their right for the
// longest amount label, estimated from its characters with generous
// widths: the viewBox widens rather than let a name or label fall outside
// it, so no text is ever clipped.
type chart struct {
	Width, Height int
	FontSize      int
	BarHeight     int
	Rows          []chartRow
}

type chartRow struct {
	NameY            int // baseline of the theme's name
	CommittedY       int // top of the committed bar
	DeliveredY       int // top of the delivered bar: delivered to date
	CommittedTextY   int // baselines of the amount labels
	DeliveredTextY   int
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
	chartWidth   = 420 // least viewBox width; phones draw it at about 0.85
	chartFont    = 15  // text size in viewBox units
	chartBar     = 15  // bar thickness
	chartRowH    = 70  // one theme: name, committed bar, delivered bar, gap
	chartMinBars = 120 // least room for the bars
	labelGap     = 6   // between a bar's end and its label
	chartPad     = 4   // kept clear at the right edge
)

func newChart(rows []summary.Row) chart {
	c := chart{FontSize: chartFont, BarHeight: chartBar, Height: chartRowH*len(rows) - 6}
	nameW, labelW := 0.0, 0.0
	for i, r := range rows {
		top := i * chartRowH
		cr := chartRow{NameY: top + chartFont, CommittedY: top + 23, DeliveredY: top + 23 + chartBar + 4, Name: r.Theme.Name,
			Committed: bot.FormatAmount(r.Cur.Committed, r.Theme.Unit), Delivered: bot.FormatAmount(r.Cur.ToDate, r.Theme.Unit)}
		cr.CommittedTextY, cr.DeliveredTextY = cr.CommittedY+chartBar-3, cr.DeliveredY+chartBar-3
		if p, ok := r.DeliveredPct(); ok {
			cr.DeliveredPercent = strconv.Itoa(p) + "%"
		}
		nameW = math.Max(nameW, 1.1*textWidth(cr.Name, chartFont)) // drawn bold
		labelW = math.Max(labelW, textWidth(cr.Committed, chartFont))
		labelW = math.Max(labelW, textWidth(cr.deliveredLabel(), chartFont))
		c.Rows = append(c.Rows, cr)
	}
	c.Width = int(math.Ceil(max(chartWidth, nameW+chartPad, chartMinBars+labelGap+labelW+chartPad)))
	barSpace := float64(c.Width) - labelGap - labelW - chartPad
	for i, r := range rows {
		hi := max(r.Cur.Committed, r.Cur.ToDate)
		w := func(v float64) int {
			if hi <= 0 || v <= 0 {
				return 0
			}
			return max(1, int(v/hi*barSpace))
		}
		cr := &c.Rows[i]
		cr.CommittedW, cr.DeliveredW = w(r.Cur.Committed), w(r.Cur.ToDate)
		cr.CommittedLabelX = cr.CommittedW + labelGap
		cr.DeliveredLabelX = cr.DeliveredW + labelGap
	}
	return c
}

// deliveredLabel is the delivered bar's label as the template writes it.
func (r chartRow) deliveredLabel() string {
	if r.DeliveredPercent == "" {
		return r.Delivered
	}
	return r.Delivered + " (" + r.DeliveredPercent + ")"
}

// textWidth overestimates how wide a line of text is drawn at size, in
// the same units: per-character widths a little above those of DejaVu
// Sans, the widest of the common system-ui fonts (Segoe UI, San Francisco,
// Roboto and Cantarell are all narrower).
func textWidth(s string, size float64) float64 {
	em := 0.0
	for _, r := range s {
		switch {
		case r == ' ' || r == '.' || r == ',' || r == ':' || r == ';' || r == '\'' || r == '!' || r == '|' || r == 'i' || r == 'l' || r == 'j' || r == 'I':
			em += 0.36
		case r == 'f' || r == 't' || r == 'r' || r == '(' || r == ')' || r == '-' || r == '[' || r == ']' || r == '/':
			em += 0.48
		case r == 'm' || r == 'w' || r == 'M' || r == 'W' || r == '%' || r == '@' || r == '&' || r == '<' || r == '>' || r == '_':
			em += 1.05
		case r >= '0' && r <= '9', r == '£', r == '$', r == '€':
			em += 0.7
		case r >= 'a' && r <= 'z':
			em += 0.66
		case r >= 'A' && r <= 'Z':
			em += 0.82
		case r < 0x80:
			em += 0.75
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) ||
			unicode.Is(unicode.Katakana, r) || r >= 0x1F000 || (r >= 0xFF00 && r <= 0xFFEF):
			em += 1.3
		default:
			em += 1.0
		}
	}
	return em * size
}
