package summary

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strconv"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// CSVColumns are the export's columns, also documented in docs/guide.md. One
// row per theme, then one row with theme "all" holding the counts of every
// theme, live pledges included (amounts are left empty there: themes have
// different units). A pledge is live during a period when it was made
// before the period's end and not done or lapsed before its start;
// withdrawn pledges count only as withdrawn.
//
//   - period, period_start, period_end: the period's label and its first
//     and last day (YYYY-MM-DD).
//
//   - area: the area filter, empty for the whole network.
//
//   - theme, theme_name, unit: the theme's key, its name and the unit of
//     its amounts ("all" on the totals row).
//
//   - businesses: businesses that made, updated or closed a pledge in the
//     period (totals row only).
//
//   - made: pledges made in the period.
//
//   - live: pledges live during the period.
//
//   - active: pledges active at the period's end.
//
//   - done, lapsed, withdrawn: pledges that reached that status in the
//     period.
//
//   - committed: the live pledges' targets.
//
//   - delivered: progress logged in the period.
//
//   - delivered_to_date: what was delivered on the live pledges from when
//     each was made to the period's end.
//
//   - delivered_pct: delivered_to_date ÷ committed × 100 in whole percent
//     (Row.DeliveredPct), empty without a commitment.
//
//   - previous_period, previous_made, previous_live, previous_done,
//     previous_committed, previous_delivered, previous_delivered_to_date:
//     the same figures for the previous period.
//
//   - rate_pledges, rate_businesses, rate_reporting, rate_met,
//     rate_median, rate_min, rate_max: rate themes only: their live
//     pledges, the businesses holding them (each once), how many of those
//     businesses report a value, how many of those met their target, and
//     the median, least and greatest of the businesses' latest values
//     (the last four empty while none reports). Each business counts
//     once, with the latest value it reported on any of its pledges of
//     the theme (bot.RateStats).
//
//   - confirmed, awaiting_confirmation, queried, self_reported: delivered
//     split by who says so (bot.Vouched; they add up to delivered).
//
//   - confirmed_to_date, awaiting_confirmation_to_date, queried_to_date,
//     self_reported_to_date: delivered_to_date split the same way. A
//     rate theme's first four count its reporting businesses by the state
//     of each one's latest value (its _to_date cells are empty). After
//     the totals row, one row a unit (theme "all:UNIT", theme_name "all
//     themes in UNIT") adds up the split of the total themes in that
//     unit, its other cells empty.
//
// A total theme leaves the rate_ cells empty, a rate theme the committed,
// delivered, delivered_to_date and delivered_pct ones (its values are
// never summed). ProxyColumns follow when a theme has a council proxy. Numbers follow the rounding rule of bot.RoundAmount and
// bot.RoundPercent, without thousands separators.
var CSVColumns = []string{
	"period", "period_start", "period_end", "area", "theme", "theme_name", "unit",
	"businesses", "made", "live", "active", "done", "lapsed", "withdrawn",
	"committed", "delivered", "delivered_to_date", "delivered_pct",
	"previous_period", "previous_made", "previous_live", "previous_done",
	"previous_committed", "previous_delivered", "previous_delivered_to_date",
	"rate_pledges", "rate_businesses", "rate_reporting", "rate_met", "rate_median", "rate_min", "rate_max",
	"confirmed", "awaiting_confirmation", "queried", "self_reported",
	"confirmed_to_date", "awaiting_confirmation_to_date", "queried_to_date", "self_reported_to_date",
}

// ProxyColumns follow CSVColumns only when a theme of the summary has a
// council proxy (Summary.HasProxy): the indicative £ of what it delivered
// in the period (Row.Indicative) and where the proxy value comes from.
var ProxyColumns = []string{"indicative_gbp", "proxy_source"}

// CSV renders the summary as CSV. Cells that begin like a spreadsheet
// formula are prefixed with ' so opening the file runs nothing.
func (s *Summary) CSV() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	proxy := s.HasProxy()
	header := CSVColumns
	if proxy {
		header = append(append([]string{}, CSVColumns...), ProxyColumns...)
	}
	w.Write(header)
	f := s.Filter
	head := []string{f.Period.Label, f.Period.Start.Format(time.DateOnly), f.Period.End.AddDate(0, 0, -1).Format(time.DateOnly), f.Area}
	for _, r := range s.Themes {
		var committed, delivered, toDate, pct, prevCommitted, prevDelivered, prevToDate string
		rate := make([]string, 7)
		if r.Theme.IsRate() {
			st, u := r.Cur.Rate, r.Theme.Unit
			rate = []string{itoa(st.Pledges), itoa(st.Businesses), itoa(st.Reporting), "", "", "", ""}
			if st.Reporting > 0 {
				rate[3], rate[4], rate[5], rate[6] = itoa(st.Met), rateNum(st.Median, u), rateNum(st.Min, u), rateNum(st.Max, u)
			}
		} else {
			committed, delivered, toDate = bot.PlainNumber(r.Cur.Committed), bot.PlainNumber(r.Cur.Delivered), bot.PlainNumber(r.Cur.ToDate)
			prevCommitted, prevDelivered, prevToDate = bot.PlainNumber(r.Prev.Committed), bot.PlainNumber(r.Prev.Delivered), bot.PlainNumber(r.Prev.ToDate)
			if p, ok := r.DeliveredPct(); ok {
				pct = itoa(p)
			}
		}
		row := append(append([]string{}, head...), r.Theme.Key, r.Theme.Name, r.Theme.Unit, "",
			itoa(r.Cur.Made), itoa(r.Cur.Live), itoa(r.Cur.Active), itoa(r.Cur.Done), itoa(r.Cur.Lapsed), itoa(r.Cur.Withdrawn),
			committed, delivered, toDate, pct,
			f.Previous.Label, itoa(r.Prev.Made), itoa(r.Prev.Live), itoa(r.Prev.Done), prevCommitted, prevDelivered, prevToDate)
		row = append(row, rate...)
		if r.Theme.IsRate() {
			b := r.Cur.Rate.By
			row = append(row, itoa(b.Confirmed), itoa(b.Awaiting), itoa(b.Queried), itoa(b.SelfReported), "", "", "", "")
		} else {
			row = append(append(row, vouchedCells(r.Cur.DeliveredBy)...), vouchedCells(r.Cur.ToDateBy)...)
		}
		if proxy {
			if gbp, ok := r.Indicative(); ok {
				row = append(row, bot.PlainNumber(gbp), ProxySource(r.Theme.Proxy))
			} else {
				row = append(row, "", "")
			}
		}
		w.Write(safeCells(row))
	}
	t, p := s.Totals, s.PrevTotals
	all := append(append([]string{}, head...), "all", "all themes", "", itoa(t.Businesses),
		itoa(t.Made), itoa(t.Live), itoa(t.Active), itoa(t.Done), itoa(t.Lapsed), itoa(t.Withdrawn), "", "", "", "",
		f.Previous.Label, itoa(p.Made), itoa(p.Live), itoa(p.Done), "", "", "")
	all = append(all, make([]string, len(header)-len(all))...)
	w.Write(safeCells(all))
	for _, u := range s.VouchedTotals() {
		row := append(append([]string{}, head...), "all:"+u.Unit, "all themes in "+unitOr(u.Unit), u.Unit)
		row = append(row, make([]string, len(CSVColumns)-8-len(row))...)
		row = append(append(row, vouchedCells(u.Delivered)...), vouchedCells(u.ToDate)...)
		w.Write(safeCells(append(row, make([]string, len(header)-len(row))...)))
	}
	w.Flush()
	return buf.Bytes()
}

// vouchedCells are the four parts of a split, rounded like every amount.
func vouchedCells(v bot.Vouched) []string {
	return []string{bot.PlainNumber(v.Confirmed), bot.PlainNumber(v.Awaiting), bot.PlainNumber(v.Queried), bot.PlainNumber(v.SelfReported)}
}

// rateNum is a rate theme's value as a CSV cell or JSON number, rounded
// like the chat shows it (bot.RoundRate).
func rateNum(v float64, unit string) string {
	return strconv.FormatFloat(bot.RoundRate(v, unit), 'f', -1, 64)
}

// JSON export shapes, documented in docs/guide.md.
type jsonPeriod struct {
	Label string `json:"label"`
	Start string `json:"start"`
	End   string `json:"end"`
}

type jsonTotals struct {
	Businesses     int  `json:"businesses"`
	Made           int  `json:"made"`
	Live           int  `json:"live"`
	Active         int  `json:"active"`
	Done           int  `json:"done"`
	Lapsed         int  `json:"lapsed"`
	Withdrawn      int  `json:"withdrawn"`
	CompletionRate *int `json:"completion_rate"`
	S172Decisions  *int `json:"s172_decisions,omitempty"`
}

// jsonCounts: a total theme has committed, delivered and
// delivered_to_date (the meanings of CSVColumns), a rate theme rate
// instead.
type jsonCounts struct {
	Made      int      `json:"made"`
	Live      int      `json:"live"`
	Active    int      `json:"active"`
	Done      int      `json:"done"`
	Lapsed    int      `json:"lapsed"`
	Withdrawn int      `json:"withdrawn"`
	Committed *float64 `json:"committed,omitempty"`
	Delivered *float64 `json:"delivered,omitempty"`
	ToDate    *float64 `json:"delivered_to_date,omitempty"`
	*jsonVouched
	Rate *jsonRate `json:"rate,omitempty"`
}

// jsonVouched is delivered and delivered_to_date split by who says so
// (the meanings of CSVColumns).
type jsonVouched struct {
	Confirmed          float64 `json:"confirmed"`
	Awaiting           float64 `json:"awaiting_confirmation"`
	Queried            float64 `json:"queried"`
	SelfReported       float64 `json:"self_reported"`
	ConfirmedToDate    float64 `json:"confirmed_to_date"`
	AwaitingToDate     float64 `json:"awaiting_confirmation_to_date"`
	QueriedToDate      float64 `json:"queried_to_date"`
	SelfReportedToDate float64 `json:"self_reported_to_date"`
}

func jv(d, td bot.Vouched) *jsonVouched {
	r := bot.RoundAmount
	return &jsonVouched{r(d.Confirmed), r(d.Awaiting), r(d.Queried), r(d.SelfReported),
		r(td.Confirmed), r(td.Awaiting), r(td.Queried), r(td.SelfReported)}
}

// jsonUnitVouched is Summary.VouchedTotals: the split of the total themes
// in one unit, added up.
type jsonUnitVouched struct {
	Unit string `json:"unit"`
	*jsonVouched
}

// jsonRate is a rate theme's RateStats (the meanings of CSVColumns'
// rate_ columns): reporting, met, median, min and max count businesses,
// each once; met, median, min and max are absent while none reports.
type jsonRate struct {
	Pledges    int      `json:"pledges"`
	Businesses int      `json:"businesses"`
	Reporting  int      `json:"reporting"`
	Met        *int     `json:"met,omitempty"`
	Median     *float64 `json:"median,omitempty"`
	Min        *float64 `json:"min,omitempty"`
	Max        *float64 `json:"max,omitempty"`
	*jsonRateBy
}

// jsonRateBy: the businesses reporting, by the state of each one's latest
// value; absent while none reports.
type jsonRateBy struct {
	Confirmed    int `json:"confirmed"`
	Awaiting     int `json:"awaiting_confirmation"`
	Queried      int `json:"queried"`
	SelfReported int `json:"self_reported"`
}

type jsonTheme struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	Unit    string `json:"unit"`
	Measure string `json:"measure"`
	jsonCounts
	DeliveredPct  *int       `json:"delivered_pct,omitempty"`
	IndicativeGBP *float64   `json:"indicative_gbp,omitempty"`
	ProxySource   string     `json:"proxy_source,omitempty"`
	Previous      jsonCounts `json:"previous"`
}

type jsonSummary struct {
	Community      string      `json:"community"`
	Generated      time.Time   `json:"generated_at"`
	Period         jsonPeriod  `json:"period"`
	Previous       jsonPeriod  `json:"previous_period"`
	Theme          string      `json:"theme,omitempty"`
	Area           string      `json:"area,omitempty"`
	Totals         jsonTotals  `json:"totals"`
	PreviousTotals jsonTotals  `json:"previous_totals"`
	Themes         []jsonTheme `json:"themes"`
	// VouchedTotals: one entry a unit of the total themes shown
	VouchedTotals []jsonUnitVouched `json:"vouched_totals"`
}

// JSON renders the summary as indented JSON.
func (s *Summary) JSON() []byte {
	out := jsonSummary{Community: s.Community, Generated: s.Generated.UTC(), Period: jp(s.Filter.Period),
		Previous: jp(s.Filter.Previous), Theme: s.Filter.Theme, Area: s.Filter.Area,
		Totals: jt(s.Totals), PreviousTotals: jt(s.PrevTotals), Themes: []jsonTheme{}}
	for _, r := range s.Themes {
		th := jsonTheme{Key: r.Theme.Key, Name: r.Theme.Name, Unit: r.Theme.Unit, Measure: bot.MeasureTotal,
			jsonCounts: jc(r.Theme, r.Cur), Previous: jc(r.Theme, r.Prev)}
		if r.Theme.IsRate() {
			th.Measure = bot.MeasureRate
		} else if p, ok := r.DeliveredPct(); ok {
			th.DeliveredPct = &p
		}
		if gbp, ok := r.Indicative(); ok {
			gbp = bot.RoundAmount(gbp)
			th.IndicativeGBP, th.ProxySource = &gbp, ProxySource(r.Theme.Proxy)
		}
		out.Themes = append(out.Themes, th)
	}
	out.VouchedTotals = []jsonUnitVouched{}
	for _, u := range s.VouchedTotals() {
		out.VouchedTotals = append(out.VouchedTotals, jsonUnitVouched{Unit: u.Unit, jsonVouched: jv(u.Delivered, u.ToDate)})
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(b, '\n')
}

// File is the export as an attachment.
func (s *Summary) File(format string) *bot.File {
	name := "summary-" + s.Community + "-" + s.Filter.Period.Label
	if s.Filter.Theme != "" {
		name += "-" + s.Filter.Theme
	}
	if s.Filter.Area != "" {
		name += "-" + s.Filter.Area
	}
	name = unsafeName.ReplaceAllString(name, "_")
	if format == "json" {
		return &bot.File{Name: name + ".json", Type: "application/json", Content: s.JSON()}
	}
	return &bot.File{Name: name + ".csv", Type: "text/csv", Content: s.CSV()}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

func jp(p bot.Period) jsonPeriod {
	return jsonPeriod{Label: p.Label, Start: p.Start.Format(time.DateOnly), End: p.End.AddDate(0, 0, -1).Format(time.DateOnly)}
}

func jt(t Totals) jsonTotals {
	out := jsonTotals{Businesses: t.Businesses, Made: t.Made, Live: t.Live, Active: t.Active, Done: t.Done, Lapsed: t.Lapsed, Withdrawn: t.Withdrawn}
	if r, ok := bot.RoundPercent(float64(t.Done), float64(t.Done+t.Lapsed)); ok {
		out.CompletionRate = &r
	}
	if t.Decisions >= 0 {
		d := t.Decisions
		out.S172Decisions = &d
	}
	return out
}

func jc(t bot.Theme, s bot.ThemeStats) jsonCounts {
	out := jsonCounts{Made: s.Made, Live: s.Live, Active: s.Active, Done: s.Done, Lapsed: s.Lapsed, Withdrawn: s.Withdrawn}
	if !t.IsRate() {
		c, d, td := bot.RoundAmount(s.Committed), bot.RoundAmount(s.Delivered), bot.RoundAmount(s.ToDate)
		out.Committed, out.Delivered, out.ToDate = &c, &d, &td
		out.jsonVouched = jv(s.DeliveredBy, s.ToDateBy)
		return out
	}
	r := s.Rate
	out.Rate = &jsonRate{Pledges: r.Pledges, Businesses: r.Businesses, Reporting: r.Reporting}
	if r.Reporting > 0 {
		out.Rate.jsonRateBy = &jsonRateBy{r.By.Confirmed, r.By.Awaiting, r.By.Queried, r.By.SelfReported}
		met, med, lo, hi := r.Met, bot.RoundRate(r.Median, t.Unit), bot.RoundRate(r.Min, t.Unit), bot.RoundRate(r.Max, t.Unit)
		out.Rate.Met, out.Rate.Median, out.Rate.Min, out.Rate.Max = &met, &med, &lo, &hi
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func safeCells(row []string) []string {
	for i, c := range row {
		if c != "" && (c[0] == '=' || c[0] == '+' || c[0] == '-' || c[0] == '@') && !isNumber(c) {
			row[i] = "'" + c
		}
	}
	return row
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
