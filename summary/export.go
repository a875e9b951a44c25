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

// CSVColumns are the export's columns, documented in the README. One row
// per theme, then one row with theme "all" holding the counts of every
// theme (amounts are left empty there: themes have different units).
var CSVColumns = []string{
	"period", "period_start", "period_end", "area", "theme", "theme_name", "unit",
	"businesses", "made", "active", "done", "lapsed", "withdrawn", "committed", "delivered", "delivered_pct",
	"previous_period", "previous_made", "previous_done", "previous_committed", "previous_delivered",
}

// CSV renders the summary as CSV. Cells that begin like a spreadsheet
// formula are prefixed with ' so opening the file runs nothing.
func (s *Summary) CSV() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(CSVColumns)
	f := s.Filter
	head := []string{f.Period.Label, f.Period.Start.Format(time.DateOnly), f.Period.End.AddDate(0, 0, -1).Format(time.DateOnly), f.Area}
	for _, r := range s.Themes {
		pct := ""
		if p, ok := r.DeliveredPct(); ok {
			pct = num(p)
		}
		row := append(append([]string{}, head...), r.Theme.Key, r.Theme.Name, r.Theme.Unit, "",
			itoa(r.Cur.Made), itoa(r.Cur.Active), itoa(r.Cur.Done), itoa(r.Cur.Lapsed), itoa(r.Cur.Withdrawn),
			num(r.Cur.Committed), num(r.Cur.Delivered), pct,
			f.Previous.Label, itoa(r.Prev.Made), itoa(r.Prev.Done), num(r.Prev.Committed), num(r.Prev.Delivered))
		w.Write(safeCells(row))
	}
	t, p := s.Totals, s.PrevTotals
	w.Write(safeCells(append(append([]string{}, head...), "all", "all themes", "", itoa(t.Businesses),
		itoa(t.Made), itoa(t.Active), itoa(t.Done), itoa(t.Lapsed), itoa(t.Withdrawn), "", "", "",
		f.Previous.Label, itoa(p.Made), itoa(p.Done), "", "")))
	w.Flush()
	return buf.Bytes()
}

// JSON export shapes, documented in the README.
type jsonPeriod struct {
	Label string `json:"label"`
	Start string `json:"start"`
	End   string `json:"end"`
}

type jsonTotals struct {
	Businesses     int      `json:"businesses"`
	Made           int      `json:"made"`
	Active         int      `json:"active"`
	Done           int      `json:"done"`
	Lapsed         int      `json:"lapsed"`
	Withdrawn      int      `json:"withdrawn"`
	CompletionRate *float64 `json:"completion_rate"`
	S172Decisions  *int     `json:"s172_decisions,omitempty"`
}

type jsonCounts struct {
	Made      int     `json:"made"`
	Active    int     `json:"active"`
	Done      int     `json:"done"`
	Lapsed    int     `json:"lapsed"`
	Withdrawn int     `json:"withdrawn"`
	Committed float64 `json:"committed"`
	Delivered float64 `json:"delivered"`
}

type jsonTheme struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Unit string `json:"unit"`
	jsonCounts
	Previous jsonCounts `json:"previous"`
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
}

// JSON renders the summary as indented JSON.
func (s *Summary) JSON() []byte {
	out := jsonSummary{Community: s.Community, Generated: s.Generated.UTC(), Period: jp(s.Filter.Period),
		Previous: jp(s.Filter.Previous), Theme: s.Filter.Theme, Area: s.Filter.Area,
		Totals: jt(s.Totals), PreviousTotals: jt(s.PrevTotals), Themes: []jsonTheme{}}
	for _, r := range s.Themes {
		out.Themes = append(out.Themes, jsonTheme{Key: r.Theme.Key, Name: r.Theme.Name, Unit: r.Theme.Unit,
			jsonCounts: jc(r.Cur), Previous: jc(r.Prev)})
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
	out := jsonTotals{Businesses: t.Businesses, Made: t.Made, Active: t.Active, Done: t.Done, Lapsed: t.Lapsed, Withdrawn: t.Withdrawn}
	if r, ok := t.CompletionRate(); ok {
		out.CompletionRate = &r
	}
	if t.Decisions >= 0 {
		d := t.Decisions
		out.S172Decisions = &d
	}
	return out
}

func jc(s bot.ThemeStats) jsonCounts {
	return jsonCounts{Made: s.Made, Active: s.Active, Done: s.Done, Lapsed: s.Lapsed, Withdrawn: s.Withdrawn,
		Committed: s.Committed, Delivered: s.Delivered}
}

func itoa(n int) string { return strconv.Itoa(n) }

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

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
