package summary_test

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/report"
	"github.com/pledgebot/pledgebot/schedules"
	"github.com/pledgebot/pledgebot/summary"
)

// Awkward figures, each theme in its own unit, checked by hand. The
// percentage is delivered to date ÷ committed (both about the pledges live
// during the period), rounded half away from zero by bot.RoundPercent;
// each theme's delivered in the period gives another percentage, so a
// surface dividing the wrong figure shows a wrong number:
//
//	volunteering: live 3, committed 480 hours, to date 300 → 62.5% → 63
//	(83 delivered in the period would be 17%); indicative £ of the 83 at
//	£10 per 3 hours: 276.666… → 276.67
//	buy-local: committed £1,234,567.891 → 1234567.89; delivered
//	46.1764705882353 → 46.18; to date 250,000.005 → 250000.01, 20.25% →
//	20 (delivered would be 0%); before: live 1, committed 10, to date 2.5
//	→ 25%
//	carbon: committed 3, delivered 2, to date 2.5 → 83.33% → 83 (not 67);
//	before: committed 3, delivered and to date 0.005 → 0.01, 0.17% → 0
//	waste: committed 0.1+0.2 → 0.3, delivered 0.005 → 0.01, to date 0.105
//	→ 0.11, 35% (not 2); before: committed 1, delivered and to date 2/3 →
//	0.67, 66.67% → 67
//	fair-pay (rate): live 12 pledges held by 9 businesses; of those 9,
//	7 report (each business once, by its latest value) and 5 met their
//	target; median 86.5 → 87%, range 60.49 → 60% to 100%; the 7
//	reporting by who says so: confirmed 3, awaiting 2, queried 0,
//	self-reported 2 (3 + 2 + 0 + 2 = 7)
//	all: live 20 (3 + 2 + 2 + 1 + 12), before 3; completion rate: 2 done,
//	1 lapsed → 66.67% → 67
//
// Delivered split by who says so (bot.Vouched: confirmed, awaiting
// confirmation, queried, self-reported; the parts add up to what they
// split, and each is rounded by itself):
//
//	volunteering in period 83 = 40.5 + 20.25 + 12.125 + 10.125 → 40.5,
//	20.25, 12.13, 10.13; to date 300 = 150 + 100 + 0 + 50
//	buy-local in period 46.1764705882353 all self-reported → 46.18; to
//	date 250,000.005 all confirmed → 250000.01
//	carbon in period 2 = 1.005 + 0.995 → 1.01, 1 (0.995 → 1.00); to date
//	2.5 all confirmed
//	waste in period 0.005 self-reported → 0.01; to date 0.105 queried →
//	0.11
var (
	volunteering = bot.Theme{Key: "volunteering", Name: "staff volunteering", Unit: "hours",
		Proxy: &bot.Proxy{Per: 3, Value: 10, Source: "Test council social value framework", Year: 2026}}
	buyLocal = bot.Theme{Key: "buy-local", Name: "buying from local suppliers", Unit: "£ local spend"}
	carbon   = bot.Theme{Key: "carbon", Name: "carbon reduction", Unit: "tonnes CO2e"}
	waste    = bot.Theme{Key: "waste", Name: "waste diverted from landfill", Unit: "tonnes"}
	fairPay  = bot.Theme{Key: "fair-pay", Name: "fair pay and good work", Unit: "% staff on the real Living Wage", Measure: bot.MeasureRate}
)

func awkwardSummary(t *testing.T, proxy bool) *summary.Summary {
	t.Helper()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	cur, prev, err := summary.ParsePeriod("2026-Q4", now)
	if err != nil {
		t.Fatal(err)
	}
	vol := volunteering
	if !proxy {
		vol.Proxy = nil
	}
	ts := func(th bot.Theme, made, live int, committed, delivered, toDate float64) bot.ThemeStats {
		return bot.ThemeStats{Theme: th.Key, Made: made, Active: made, Live: live, Committed: committed, Delivered: delivered, ToDate: toDate}
	}
	by := func(c, a, q, s float64) bot.Vouched {
		return bot.Vouched{Confirmed: c, Awaiting: a, Queried: q, SelfReported: s}
	}
	split := func(st bot.ThemeStats, period, toDate bot.Vouched) bot.ThemeStats {
		st.DeliveredBy, st.ToDateBy = period, toDate
		return st
	}
	return &summary.Summary{
		Community: "testnet", Filter: bot.SummaryFilter{Period: cur, Previous: prev}, Generated: now,
		Totals:     summary.Totals{Businesses: 5, Made: 6, Live: 20, Active: 4, Done: 2, Lapsed: 1, Decisions: 0},
		PrevTotals: summary.Totals{Businesses: 4, Made: 3, Live: 3, Active: 3, Done: 1, Lapsed: 1, Decisions: 0},
		Themes: []summary.Row{
			{Theme: vol, Cur: split(ts(vol, 1, 3, 480, 83, 300), by(40.5, 20.25, 12.125, 10.125), by(150, 100, 0, 50)), Prev: ts(vol, 0, 0, 0, 0, 0)},
			{Theme: buyLocal, Cur: split(ts(buyLocal, 1, 2, 1234567.891, 46.1764705882353, 250000.005), by(0, 0, 0, 46.1764705882353), by(250000.005, 0, 0, 0)),
				Prev: ts(buyLocal, 1, 1, 10, 2.5, 2.5)},
			{Theme: carbon, Cur: split(ts(carbon, 1, 2, 3, 2, 2.5), by(1.005, 0.995, 0, 0), by(2.5, 0, 0, 0)), Prev: ts(carbon, 0, 1, 3, 0.005, 0.005)},
			{Theme: waste, Cur: split(ts(waste, 1, 1, 0.1+0.2, 0.005, 0.105), by(0, 0, 0, 0.005), by(0, 0, 0.105, 0)), Prev: ts(waste, 0, 1, 1, 2.0/3, 2.0/3)},
			{Theme: fairPay, Cur: bot.ThemeStats{Theme: fairPay.Key, Made: 2, Active: 12, Live: 12, Committed: 500, Delivered: 777, ToDate: 888,
				Rate: bot.RateStats{Pledges: 12, Businesses: 9, Reporting: 7, Met: 5, Median: 86.5, Min: 60.49, Max: 100,
					By: bot.VouchedCount{Confirmed: 3, Awaiting: 2, Queried: 0, SelfReported: 2}}},
				Prev: bot.ThemeStats{Theme: fairPay.Key}},
		},
	}
}

// figure names one number a council reads: "<theme>.<what>".
type figures map[string]string

// want is every figure as the rounding rule prints it, without
// thousands separators, units or "£". "pct" is delivered to date ÷
// committed; "none" is a percentage a surface must not show (no
// commitment).
var want = figures{
	"volunteering.live": "3", "volunteering.to_date": "300",
	"volunteering.prev_live": "0", "volunteering.prev_committed": "0", "volunteering.prev_to_date": "0", "volunteering.prev_pct": "none",
	"buy-local.live": "2", "buy-local.to_date": "250000.01",
	"buy-local.prev_live": "1", "buy-local.prev_committed": "10", "buy-local.prev_to_date": "2.5", "buy-local.prev_pct": "25",
	"carbon.live": "2", "carbon.to_date": "2.5",
	"carbon.prev_live": "1", "carbon.prev_committed": "3", "carbon.prev_to_date": "0.01", "carbon.prev_pct": "0",
	"waste.live": "1", "waste.to_date": "0.11",
	"waste.prev_live": "1", "waste.prev_committed": "1", "waste.prev_to_date": "0.67", "waste.prev_pct": "67",
	"fair-pay.live": "12", "all.live": "20", "all.live_before": "3",
	"volunteering.committed": "480", "volunteering.delivered": "83", "volunteering.pct": "63", "volunteering.indicative": "276.67",
	"buy-local.committed": "1234567.89", "buy-local.delivered": "46.18", "buy-local.pct": "20", "buy-local.prev_delivered": "2.5",
	"carbon.committed": "3", "carbon.delivered": "2", "carbon.pct": "83", "carbon.prev_delivered": "0.01",
	"waste.committed": "0.3", "waste.delivered": "0.01", "waste.pct": "35", "waste.prev_delivered": "0.67",
	"fair-pay.pledges": "12", "fair-pay.businesses": "9", "fair-pay.reporting": "7", "fair-pay.met": "5",
	"fair-pay.median": "87", "fair-pay.min": "60", "fair-pay.max": "100",
	// the businesses reporting by who says so of each one's latest value
	"fair-pay.confirmed": "3", "fair-pay.awaiting": "2", "fair-pay.queried": "0", "fair-pay.self_reported": "2",
	"all.completion": "67",
	// delivered by who says so: in period, then to date
	"volunteering.confirmed": "40.5", "volunteering.awaiting": "20.25", "volunteering.queried": "12.13", "volunteering.self_reported": "10.13",
	"volunteering.confirmed_to_date": "150", "volunteering.awaiting_to_date": "100", "volunteering.queried_to_date": "0", "volunteering.self_reported_to_date": "50",
	"buy-local.confirmed": "0", "buy-local.awaiting": "0", "buy-local.queried": "0", "buy-local.self_reported": "46.18",
	"buy-local.confirmed_to_date": "250000.01", "buy-local.awaiting_to_date": "0", "buy-local.queried_to_date": "0", "buy-local.self_reported_to_date": "0",
	"carbon.confirmed": "1.01", "carbon.awaiting": "1", "carbon.queried": "0", "carbon.self_reported": "0",
	"carbon.confirmed_to_date": "2.5", "carbon.awaiting_to_date": "0", "carbon.queried_to_date": "0", "carbon.self_reported_to_date": "0",
	"waste.confirmed": "0", "waste.awaiting": "0", "waste.queried": "0", "waste.self_reported": "0.01",
	"waste.confirmed_to_date": "0", "waste.awaiting_to_date": "0", "waste.queried_to_date": "0.11", "waste.self_reported_to_date": "0",
}

// vouchedParts are the split's figure names, confirmed first, as the
// CSV and JSON name them (awaiting is awaiting_confirmation there).
var vouchedParts = []string{"confirmed", "awaiting", "queried", "self_reported"}

// vouchedRe reads a bot.Vouched line ("confirmed 1 hours · awaiting
// confirmation …"), one amount a part.
var vouchedRe = `confirmed (£?[0-9,.]+)[^·]* · awaiting confirmation (£?[0-9,.]+)[^·]* · queried (£?[0-9,.]+)[^·]* · self-reported (£?[0-9,.]+)`

var numRe = regexp.MustCompile(`-?[0-9][0-9,]*(\.[0-9]+)?`)

// plain reads the first number of s, dropping thousands separators.
func plain(t *testing.T, s string) string {
	t.Helper()
	m := numRe.FindString(s)
	if m == "" {
		t.Errorf("no number in %q", s)
	}
	return strings.ReplaceAll(m, ",", "")
}

func jsonInt(n *int) string {
	if n == nil {
		return "(absent)"
	}
	return strconv.Itoa(*n)
}

func jsonNum(f *float64) string {
	if f == nil {
		return "(absent)"
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// fromChat reads the figures of the chat reply, as the console prints it.
func fromChat(t *testing.T, s *summary.Summary) (figures, string) {
	text := bot.PlainText(s.Reply())
	got := figures{}
	blocks := map[string]string{}
	for _, b := range strings.Split(text, "\n• ")[1:] {
		name, _, _ := strings.Cut(b, " (")
		blocks[name] = b
	}
	find := func(key, block, re string) {
		m := regexp.MustCompile(re).FindStringSubmatch(block)
		if m == nil {
			t.Errorf("chat: no %s (%s) in\n%s", key, re, block)
			return
		}
		got[key] = plain(t, m[1])
	}
	amount := `(£?[0-9,.]+)[^·(\n]*`
	for _, th := range []bot.Theme{volunteering, buyLocal, carbon, waste} {
		b := blocks[th.Name]
		k := th.Key
		cur := regexp.MustCompile(`\n  live ([0-9]+) · committed ` + amount + ` · delivered in period ` + amount +
			` · delivered to date ` + amount + `(?: \(([0-9]+)%\))?\n`).FindStringSubmatch(b)
		prev := regexp.MustCompile(`\n  2026-Q3: live ([0-9]+) · committed ` + amount + ` · in period ` + amount +
			` · to date ` + amount + `(?: \(([0-9]+)%\))?\n`).FindStringSubmatch(b)
		if cur == nil || prev == nil {
			t.Errorf("chat: no live/committed/delivered lines for %s in\n%s", k, b)
			continue
		}
		got[k+".live"], got[k+".committed"], got[k+".delivered"], got[k+".to_date"] = cur[1], plain(t, cur[2]), plain(t, cur[3]), plain(t, cur[4])
		got[k+".prev_live"], got[k+".prev_committed"], got[k+".prev_delivered"], got[k+".prev_to_date"] = prev[1], plain(t, prev[2]), plain(t, prev[3]), plain(t, prev[4])
		got[k+".pct"], got[k+".prev_pct"] = cmp.Or(cur[5], "none"), cmp.Or(prev[5], "none")
		// The progress bar shows the same percentage: delivered to date of
		// committed.
		find(k+".bar_pct", b, `█*░* ([0-9]+)% \(`)
		if got[k+".bar_pct"] != got[k+".pct"] {
			t.Errorf("chat: %s bar shows %s%%, the line %s%%", k, got[k+".bar_pct"], got[k+".pct"])
		}
		delete(got, k+".bar_pct")
		if m := regexp.MustCompile(`by who says so, to date: ` + vouchedRe + `[^;]*; in period: ` + vouchedRe).FindStringSubmatch(b); m != nil {
			for i, part := range vouchedParts {
				got[k+"."+part+"_to_date"], got[k+"."+part] = plain(t, m[1+i]), plain(t, m[5+i])
			}
		} else {
			t.Errorf("chat: no split by who says so for %s in\n%s", k, b)
		}
	}
	find("all.live", text, `Live during the period: ([0-9]+) `)
	find("all.live_before", text, `Live during the period: [0-9]+ \(\+([0-9]+)\)`)
	if got["all.live_before"] != "" {
		// The field shows the change: live before is live now less it.
		n, _ := strconv.Atoi(got["all.live"])
		d, _ := strconv.Atoi(got["all.live_before"])
		got["all.live_before"] = strconv.Itoa(n - d)
	}
	if strings.Contains(text, "indicative") {
		find("volunteering.indicative", blocks[volunteering.Name], `indicative £([0-9,.]+)`)
	}
	fp := blocks[fairPay.Name]
	find("fair-pay.pledges", fp, `([0-9]+) pledges`)
	find("fair-pay.businesses", fp, `pledges? by ([0-9]+) business`)
	find("fair-pay.reporting", fp, `([0-9]+) reporting`)
	find("fair-pay.met", fp, `([0-9]+) met their target`)
	find("fair-pay.median", fp, `median ([0-9]+)%`)
	find("fair-pay.min", fp, `range ([0-9]+)%`)
	find("fair-pay.max", fp, `range [0-9]+% to ([0-9]+)%`)
	if m := regexp.MustCompile(`\n  businesses reporting, by who says so: ` + vouchedRe).FindStringSubmatch(fp); m != nil {
		for i, part := range vouchedParts {
			got["fair-pay."+part] = plain(t, m[1+i])
		}
	} else {
		t.Errorf("chat: no businesses reporting by who says so in\n%s", fp)
	}
	find("all.completion", text, `Completion rate: ([0-9]+)%`)
	if strings.Contains(fp, "█") || strings.Contains(fp, "committed") || strings.Contains(fp, "777") || strings.Contains(fp, "888") {
		t.Errorf("chat: the rate theme shows sums or a bar:\n%s", fp)
	}
	return got, text
}

func fromCSV(t *testing.T, s *summary.Summary) (figures, string) {
	out := s.CSV()
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	got := figures{}
	for _, r := range rows[1:] {
		if len(r) != len(rows[0]) {
			t.Fatalf("csv: row of %d cells: %v", len(r), r)
		}
		cell := func(c string) string {
			i, ok := col[c]
			if !ok {
				return "(no column)"
			}
			return r[i]
		}
		k := r[col["theme"]]
		got[k+".live"], got[k+".prev_live"] = cell("live"), cell("previous_live")
		amounts := cell("committed") + cell("delivered") + cell("delivered_to_date") + cell("delivered_pct") +
			cell("previous_committed") + cell("previous_delivered") + cell("previous_delivered_to_date")
		if k == fairPay.Key {
			delete(got, k+".prev_live")
			got[k+".pledges"], got[k+".businesses"] = cell("rate_pledges"), cell("rate_businesses")
			got[k+".reporting"], got[k+".met"] = cell("rate_reporting"), cell("rate_met")
			got[k+".median"], got[k+".min"], got[k+".max"] = cell("rate_median"), cell("rate_min"), cell("rate_max")
			for _, part := range vouchedParts {
				col := strings.Replace(part, "awaiting", "awaiting_confirmation", 1)
				got[k+"."+part] = cell(col)
				amounts += cell(col + "_to_date")
			}
			if amounts != "" {
				t.Errorf("csv: the rate theme has sums: %v", r)
			}
			continue
		}
		if k == "all" {
			got["all.live_before"] = got["all.prev_live"]
			delete(got, "all.prev_live")
			if amounts != "" {
				t.Errorf("csv: the totals row adds amounts of different units: %v", r)
			}
			continue
		}
		got[k+".committed"], got[k+".delivered"], got[k+".to_date"] = cell("committed"), cell("delivered"), cell("delivered_to_date")
		got[k+".pct"] = cell("delivered_pct")
		if got[k+".pct"] == "" {
			got[k+".pct"] = "none"
		}
		got[k+".prev_committed"], got[k+".prev_delivered"], got[k+".prev_to_date"] = cell("previous_committed"), cell("previous_delivered"), cell("previous_delivered_to_date")
		for _, part := range vouchedParts {
			col := strings.Replace(part, "awaiting", "awaiting_confirmation", 1)
			got[k+"."+part], got[k+"."+part+"_to_date"] = cell(col), cell(col+"_to_date")
		}
		if cell("rate_pledges")+cell("rate_businesses")+cell("rate_median") != "" {
			t.Errorf("csv: a total theme has rate cells: %v", r)
		}
		if k == volunteering.Key && s.HasProxy() {
			got[k+".indicative"] = cell("indicative_gbp")
			if src := cell("proxy_source"); src != "Test council social value framework, 2026" {
				t.Errorf("csv: proxy_source = %q", src)
			}
		}
	}
	return got, string(out)
}

func fromJSON(t *testing.T, s *summary.Summary) (figures, string) {
	out := s.JSON()
	var doc struct {
		Totals struct {
			Live           *int
			CompletionRate *float64 `json:"completion_rate"`
		}
		PreviousTotals struct{ Live *int } `json:"previous_totals"`
		Themes         []struct {
			Key           string
			Measure       string
			Live          *int
			Committed     *float64
			Delivered     *float64
			ToDate        *float64 `json:"delivered_to_date"`
			DeliveredPct  *float64 `json:"delivered_pct"`
			IndicativeGBP *float64 `json:"indicative_gbp"`
			ProxySource   string   `json:"proxy_source"`
			// delivered by who says so
			Confirmed          *float64
			Awaiting           *float64 `json:"awaiting_confirmation"`
			Queried            *float64
			SelfReported       *float64 `json:"self_reported"`
			ConfirmedToDate    *float64 `json:"confirmed_to_date"`
			AwaitingToDate     *float64 `json:"awaiting_confirmation_to_date"`
			QueriedToDate      *float64 `json:"queried_to_date"`
			SelfReportedToDate *float64 `json:"self_reported_to_date"`
			Rate               *struct {
				Pledges, Businesses, Reporting int
				Met                            *int
				Median, Min, Max               *float64
				// the businesses reporting by who says so
				Confirmed    *int
				Awaiting     *int `json:"awaiting_confirmation"`
				Queried      *int
				SelfReported *int `json:"self_reported"`
			}
			Previous struct {
				Live                 *int
				Committed, Delivered *float64
				ToDate               *float64 `json:"delivered_to_date"`
			}
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	got := figures{"all.completion": jsonNum(doc.Totals.CompletionRate), "all.live": jsonInt(doc.Totals.Live), "all.live_before": jsonInt(doc.PreviousTotals.Live)}
	for _, th := range doc.Themes {
		k := th.Key
		got[k+".live"] = jsonInt(th.Live)
		if th.Rate != nil {
			if th.Measure != "rate" || th.Committed != nil || th.Delivered != nil || th.ToDate != nil || th.DeliveredPct != nil ||
				th.Previous.Committed != nil || th.Previous.Delivered != nil || th.Previous.ToDate != nil {
				t.Errorf("json: the rate theme has sums: %+v", th)
			}
			got[k+".pledges"], got[k+".businesses"], got[k+".reporting"] = strconv.Itoa(th.Rate.Pledges), strconv.Itoa(th.Rate.Businesses), strconv.Itoa(th.Rate.Reporting)
			for i, n := range []*int{th.Rate.Confirmed, th.Rate.Awaiting, th.Rate.Queried, th.Rate.SelfReported} {
				got[k+"."+vouchedParts[i]] = jsonInt(n)
			}
			if th.Rate.Met != nil {
				got[k+".met"] = strconv.Itoa(*th.Rate.Met)
			}
			got[k+".median"], got[k+".min"], got[k+".max"] = jsonNum(th.Rate.Median), jsonNum(th.Rate.Min), jsonNum(th.Rate.Max)
			continue
		}
		got[k+".committed"], got[k+".delivered"], got[k+".to_date"] = jsonNum(th.Committed), jsonNum(th.Delivered), jsonNum(th.ToDate)
		got[k+".pct"] = jsonNum(th.DeliveredPct)
		for i, f := range []*float64{th.Confirmed, th.Awaiting, th.Queried, th.SelfReported} {
			got[k+"."+vouchedParts[i]] = jsonNum(f)
		}
		for i, f := range []*float64{th.ConfirmedToDate, th.AwaitingToDate, th.QueriedToDate, th.SelfReportedToDate} {
			got[k+"."+vouchedParts[i]+"_to_date"] = jsonNum(f)
		}
		if th.DeliveredPct == nil {
			got[k+".pct"] = "none"
		}
		got[k+".prev_live"], got[k+".prev_committed"] = jsonInt(th.Previous.Live), jsonNum(th.Previous.Committed)
		got[k+".prev_delivered"], got[k+".prev_to_date"] = jsonNum(th.Previous.Delivered), jsonNum(th.Previous.ToDate)
		if th.IndicativeGBP != nil {
			got[k+".indicative"] = jsonNum(th.IndicativeGBP)
			if th.ProxySource != "Test council social value framework, 2026" {
				t.Errorf("json: proxy_source = %q", th.ProxySource)
			}
		}
	}
	return got, string(out)
}

var (
	themesTableRe = regexp.MustCompile(`(?s)<table id="themes"[^>]*>.*?</table>`)
	indicativeRe  = regexp.MustCompile(`(?s)<table id="indicative"[^>]*>.*?</table>`)
	ratesTableRe  = regexp.MustCompile(`(?s)<table id="rates"[^>]*>.*?</table>`)
	rowRe         = regexp.MustCompile(`(?s)<tr[^>]*><td[^>]*>([^<]*)</td>(.*?)</tr>`)
	numCellRe     = regexp.MustCompile(`<td class="n[^"]*"[^>]*>([^<]*)</td>`)
	chartRe       = regexp.MustCompile(`(?s)<g class="theme">\s*<text[^>]*>([^<]*)</text>.*?</g>`)
	chartPctRe    = regexp.MustCompile(`\(([0-9]+)%\)</text>`)
	pageRateRe    = regexp.MustCompile(`<b>([0-9]+)%</b>completion rate`)
	pageVouchedRe = regexp.MustCompile(`<td data-label="Theme">([^<]*)</td><td data-label="Unit">[^<]*</td><td data-label="Figure">(delivered to date|delivered in period|businesses reporting)</td>` +
		`<td class="n" data-label="Confirmed">([^<]*)</td><td class="n" data-label="Awaiting confirmation">([^<]*)</td>` +
		`<td class="n" data-label="Queried">([^<]*)</td><td class="n" data-label="Self-reported">([^<]*)</td>`)
	pageLiveRe = regexp.MustCompile(`<b>([0-9]+)</b>live during the period <small>\(([^)]*)\)</small>`)
)

func fromPage(t *testing.T, s *summary.Summary) (figures, string) {
	out, err := report.RenderSummary(s, s.Generated.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	page := string(out)
	byName := map[string]string{}
	for _, th := range []bot.Theme{volunteering, buyLocal, carbon, waste, fairPay} {
		byName[th.Name] = th.Key
	}
	got := figures{}
	if m := pageRateRe.FindStringSubmatch(page); m != nil {
		got["all.completion"] = m[1]
	}
	if m := pageLiveRe.FindStringSubmatch(page); m != nil {
		// The card shows the change: live before is live now less it.
		n, _ := strconv.Atoi(m[1])
		d, _ := strconv.Atoi(strings.TrimPrefix(m[2], "&#43;")) // "+", escaped
		got["all.live"], got["all.live_before"] = m[1], strconv.Itoa(n-d)
	}
	tablePct := map[string]string{}
	for _, m := range rowRe.FindAllStringSubmatch(themesTableRe.FindString(page), -1) {
		k := byName[m[1]]
		if k == fairPay.Key {
			t.Errorf("page: the rate theme is in the committed/delivered table")
		}
		cells := numCellRe.FindAllStringSubmatch(m[2], -1)
		// Made, Live, Active, Done, Lapsed, Committed, Delivered in period,
		// Delivered to date, % of committed, Delivered in the period before
		got[k+".live"], got[k+".committed"], got[k+".delivered"] = cells[1][1], plain(t, cells[5][1]), plain(t, cells[6][1])
		got[k+".to_date"], tablePct[k] = plain(t, cells[7][1]), strings.TrimSuffix(cells[8][1], "%")
		got[k+".prev_delivered"] = plain(t, cells[9][1])
	}
	for _, m := range rowRe.FindAllStringSubmatch(indicativeRe.FindString(page), -1) {
		cells := numCellRe.FindAllStringSubmatch(m[2], -1)
		// Delivered in period, Proxy value, Indicative £
		got[byName[m[1]]+".indicative"] = plain(t, cells[2][1])
	}
	for _, m := range chartRe.FindAllStringSubmatch(page, -1) {
		k := byName[m[1]]
		if k == fairPay.Key {
			t.Errorf("page: the rate theme is in the chart")
		}
		if p := chartPctRe.FindStringSubmatch(m[0]); p != nil {
			got[k+".pct"] = p[1]
		}
		if tablePct[k] != got[k+".pct"] {
			t.Errorf("page: %s chart shows %s%%, the table %s%%", k, got[k+".pct"], tablePct[k])
		}
	}
	// The split's table: a row a theme and figure, confirmed first.
	for _, m := range pageVouchedRe.FindAllStringSubmatch(page, -1) {
		k, ok := byName[m[1]]
		if !ok {
			continue // a unit's total
		}
		suffix := "_to_date"
		if m[2] != "delivered to date" {
			suffix = "" // in period, or a rate theme's businesses reporting
		}
		for i, part := range vouchedParts {
			got[k+"."+part+suffix] = plain(t, m[3+i])
		}
	}
	for _, m := range rowRe.FindAllStringSubmatch(ratesTableRe.FindString(page), -1) {
		k := byName[m[1]]
		cells := numCellRe.FindAllStringSubmatch(m[2], -1)
		// Pledges, Businesses, Reporting, Met, Median, Range
		got[k+".pledges"], got[k+".businesses"], got[k+".reporting"] = cells[0][1], cells[1][1], cells[2][1]
		got[k+".met"], got[k+".median"] = cells[3][1], plain(t, cells[4][1])
		lo, hi, _ := strings.Cut(cells[5][1], " to ")
		got[k+".min"], got[k+".max"] = plain(t, lo), plain(t, hi)
	}
	return got, page
}

// fromDigest reads the digest's theme lines for the same totals, with the
// week's changes equal to the period's amounts.
func fromDigest(t *testing.T, s *summary.Summary) (figures, string) {
	got := figures{}
	var all []string
	lineRe := regexp.MustCompile(`: committed (£?[0-9,.]+)[^(]*\(\+([0-9,.]+), \+[0-9,.]+\) · delivered (£?[0-9,.]+)[^(]*\(\+([0-9,.]+), \+([0-9,.]+)\)`)
	for _, r := range s.Themes {
		line := schedules.ThemeLine(r.Theme, schedules.ThemeWeek{Committed: r.Cur.Committed, Delivered: r.Cur.Delivered, By: r.Cur.DeliveredBy,
			ThisCommitted: r.Cur.Committed, ThisDelivered: r.Cur.Delivered, LastDelivered: r.Prev.Delivered, ThisReports: 3, LastReports: 1})
		all = append(all, line)
		k := r.Theme.Key
		if r.Theme.IsRate() {
			if line != "fair pay and good work: 3 reports logged (week before: 1)" {
				t.Errorf("digest: rate line %q", line)
			}
			continue
		}
		m := lineRe.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("digest: line %q", line)
			continue
		}
		got[k+".committed"], got[k+".delivered"] = plain(t, m[1]), plain(t, m[3])
		if plain(t, m[2]) != got[k+".committed"] || plain(t, m[4]) != got[k+".delivered"] {
			t.Errorf("digest: changes differ from totals in %q", line)
		}
		got[k+".prev_delivered"] = plain(t, m[5]) // the week before's change
		// The running total split by who says so (here the period's).
		if v := regexp.MustCompile(`\): ` + vouchedRe).FindStringSubmatch(line); v != nil {
			for i, part := range vouchedParts {
				got[k+"."+part] = plain(t, v[1+i])
			}
		} else {
			t.Errorf("digest: no split in %q", line)
		}
	}
	return got, strings.Join(all, "\n")
}

// TestEveryFigureRoundsAlikeOnEverySurface renders one summary of awkward
// figures as the chat reply, CSV, JSON, the report page and the digest's
// theme lines, reads each figure back from each, and checks every surface
// shows the same number, the one the rounding rule gives.
func TestEveryFigureRoundsAlikeOnEverySurface(t *testing.T) {
	s := awkwardSummary(t, true)
	surfaces := []struct {
		name string
		read func(*testing.T, *summary.Summary) (figures, string)
		// lacks: parts of the names of figures the surface does not show
		lacks []string
	}{
		// Chat shows a rate theme's live pledges as its count of pledges.
		{"chat", fromChat, []string{"fair-pay.live"}},
		// CSV rows are themes; the completion rate is in JSON and chat. CSV
		// and JSON give the previous period's figures, not its percentage.
		{"csv", fromCSV, []string{"all.completion", "prev_pct"}},
		{"json", fromJSON, []string{"prev_pct"}},
		// The page gives the period before's delivered in period only (and
		// the live total's change); a rate theme's live pledges are its
		// Pledges column.
		{"page", fromPage, []string{"prev_pct", "prev_committed", "prev_to_date", "prev_live", "fair-pay.live"}},
		// The digest's theme lines are running totals and the week's
		// changes, not a period view.
		{"digest", fromDigest, []string{"pct", ".indicative", "fair-pay.", "all.", "live", "to_date", "prev_committed"}},
	}
	for _, sf := range surfaces {
		got, raw := sf.read(t, s)
	figure:
		for k, w := range want {
			for _, l := range sf.lacks {
				if strings.Contains(k, l) {
					continue figure
				}
			}
			if got[k] != w {
				t.Errorf("%s: %s = %q, want %q\n%s", sf.name, k, got[k], w, raw)
			}
		}
	}
}

// TestIndicativeOnlyWithAProxy: without any council proxy no surface
// mentions indicative £; with one, each keeps it apart from the units.
func TestIndicativeOnlyWithAProxy(t *testing.T) {
	s := awkwardSummary(t, false)
	chat := bot.PlainText(s.Reply())
	page, err := report.RenderSummary(s, s.Generated)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"chat": chat, "csv": string(s.CSV()), "json": string(s.JSON()), "page": string(page)} {
		low := strings.ToLower(out)
		if strings.Contains(low, "indicative") || strings.Contains(low, "proxy") {
			t.Errorf("%s mentions indicative £ without a proxy:\n%s", name, out)
		}
	}
	header, _, _ := strings.Cut(string(s.CSV()), "\n")
	if header != strings.Join(summary.CSVColumns, ",") {
		t.Errorf("csv header = %s", header)
	}

	s = awkwardSummary(t, true)
	chat = bot.PlainText(s.Reply())
	for _, w := range []string{
		"indicative £276.67 (delivered in period valued at £10 per 3 hours; Test council social value framework, 2026)",
		"an estimate, not money spent or received",
	} {
		if !strings.Contains(chat, w) {
			t.Errorf("chat lacks %q:\n%s", w, chat)
		}
	}
	page, _ = report.RenderSummary(s, s.Generated)
	for _, w := range []string{`<table id="indicative" class="reflow">`,
		`<tr><td data-label="Theme">staff volunteering</td><td class="n" data-label="Delivered in period">83 hours</td><td class="n" data-label="Proxy value">£10 per 3 hours</td><td class="n" data-label="Indicative £">£276.67</td><td data-label="Proxy source">Test council social value framework, 2026</td></tr>`,
		`id="indicative-note"`} {
		if !strings.Contains(string(page), w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if header, _, _ := strings.Cut(string(s.CSV()), "\n"); !strings.HasSuffix(header, ",indicative_gbp,proxy_source") {
		t.Errorf("csv header = %s", header)
	}
	// Only total themes with a proxy carry the figure.
	if n := strings.Count(string(s.JSON()), `"indicative_gbp"`); n != 1 {
		t.Errorf("json has %d indicative_gbp fields, want 1", n)
	}
}

// TestRateThemeWithoutReports: a rate theme no business reports on yet
// shows its count of pledges and of the businesses holding them, and
// nothing else, on every surface.
func TestRateThemeWithoutReports(t *testing.T) {
	for _, c := range []struct {
		name                string
		pledges, businesses int
		chat                string
	}{
		{"one pledge, one business", 1, 1, "1 pledge by 1 business · 0 reporting"},
		// two pledges of one business (two sites, say) and one of another
		{"three pledges, two businesses", 3, 2, "3 pledges by 2 businesses · 0 reporting"},
		{"two pledges, one business", 2, 1, "2 pledges by 1 business · 0 reporting"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := awkwardSummary(t, false)
			s.Themes = []summary.Row{{Theme: fairPay, Cur: bot.ThemeStats{Theme: fairPay.Key, Made: c.pledges, Active: c.pledges, Live: c.pledges,
				Rate: bot.RateStats{Pledges: c.pledges, Businesses: c.businesses}}}}
			p, b := strconv.Itoa(c.pledges), strconv.Itoa(c.businesses)
			chat := bot.PlainText(s.Reply())
			if !slices.Contains(strings.Split(chat, "\n"), "  "+c.chat) || regexp.MustCompile(`median [0-9]`).MatchString(chat) || strings.Contains(chat, "░") ||
				strings.Contains(chat, "reporting, by who says so") {
				t.Errorf("chat lacks %q alone:\n%s", c.chat, chat)
			}
			if !strings.Contains(string(s.JSON()), `"rate": {
        "pledges": `+p+`,
        "businesses": `+b+`,
        "reporting": 0
      }`) {
				t.Errorf("json:\n%s", s.JSON())
			}
			rows, err := csv.NewReader(bytes.NewReader(s.CSV())).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			cells := map[string]string{}
			for i, col := range rows[0] {
				cells[col] = rows[1][i]
			}
			// rate_met, rate_median, rate_min and rate_max are empty while
			// none reports; the split counts 0 businesses in each part.
			for col, want := range map[string]string{"rate_pledges": p, "rate_businesses": b, "rate_reporting": "0",
				"rate_met": "", "rate_median": "", "rate_min": "", "rate_max": "", "confirmed": "0", "self_reported": "0"} {
				if cells[col] != want {
					t.Errorf("csv %s = %q, want %q", col, cells[col], want)
				}
			}
			page, _ := report.RenderSummary(s, s.Generated)
			row := `<td class="n" data-label="Pledges">` + p + `</td><td class="n" data-label="Businesses">` + b +
				`</td><td class="n" data-label="Reporting">0</td><td class="n" data-label="Met their target"></td><td class="n" data-label="Median"></td><td class="n" data-label="Range"></td></tr>`
			if !strings.Contains(string(page), `<table id="rates"`) || !strings.Contains(string(page), row) ||
				strings.Contains(string(page), `<svg id="chart"`) || strings.Contains(string(page), "businesses reporting</td>") {
				t.Errorf("page lacks %s, or charts the theme or splits its reporting:\n%s", row, page)
			}
		})
	}
}

// TestRateLine: a rate theme's chat line counts pledges and the
// businesses holding them, then businesses reporting, each once by its
// latest value (bot.RateStats); figures by hand, rounded to whole percent
// half away from zero.
func TestRateLine(t *testing.T) {
	const unit = "% staff on the real Living Wage"
	for _, c := range []struct {
		name string
		r    bot.RateStats
		want string
	}{
		{"none live", bot.RateStats{}, "0 pledges by 0 businesses · 0 reporting"},
		{"one of one, none reporting", bot.RateStats{Pledges: 1, Businesses: 1}, "1 pledge by 1 business · 0 reporting"},
		// one reporting: a median, no range
		{"one of one reporting", bot.RateStats{Pledges: 1, Businesses: 1, Reporting: 1, Met: 1, Median: 100, Min: 100, Max: 100},
			"1 pledge by 1 business · 1 reporting · 1 met their target · median 100%"},
		// issue 15's case: one business, two fair-pay pledges reporting 80
		// then 95 on the other: one business at 95, not 80 and 95 (whose
		// median would be 87.5 → 88%)
		{"two pledges of one business", bot.RateStats{Pledges: 2, Businesses: 1, Reporting: 1, Met: 1, Median: 95, Min: 95, Max: 95},
			"2 pledges by 1 business · 1 reporting · 1 met their target · median 95%"},
		{"one pledge each of two businesses, one reporting", bot.RateStats{Pledges: 2, Businesses: 2, Reporting: 1, Median: 60, Min: 60, Max: 60},
			"2 pledges by 2 businesses · 1 reporting · 0 met their target · median 60%"},
		// two reporting, 60 and 81: median 70.5 → 71%, range 60% to 81%
		{"five pledges by two businesses", bot.RateStats{Pledges: 5, Businesses: 2, Reporting: 2, Met: 1, Median: 70.5, Min: 60, Max: 81},
			"5 pledges by 2 businesses · 2 reporting · 1 met their target · median 71% (range 60% to 81%)"},
		// median 86.5 → 87%, least 60.49 → 60%
		{"twelve by nine", bot.RateStats{Pledges: 12, Businesses: 9, Reporting: 7, Met: 5, Median: 86.5, Min: 60.49, Max: 100},
			"12 pledges by 9 businesses · 7 reporting · 5 met their target · median 87% (range 60% to 100%)"},
	} {
		if got := summary.RateLine(c.r, unit); got != c.want {
			t.Errorf("%s: RateLine = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestChatSaysWhatFiguresMean: the reply itself says what live,
// committed, delivered in period and delivered to date mean; the amounts'
// sentence only when a theme counted as a total is shown, the rates' (they
// count businesses, each once) only when a rate theme is.
func TestChatSaysWhatFiguresMean(t *testing.T) {
	chat := bot.PlainText(awkwardSummary(t, false).Reply())
	for _, w := range []string{
		"Live pledges were made before the period ended and not done or lapsed before it began",
		"Committed is the live pledges' targets, delivered to date what was logged on them up to the period's end (the % is of committed), and delivered in period all progress logged within it.",
		"A rate theme counts businesses, each once: reporting, met their target, median and range are of the latest value each business reported on any of its pledges of the theme, never summed.",
	} {
		if !strings.Contains(chat, w) {
			t.Errorf("chat lacks %q:\n%s", w, chat)
		}
	}
	s := awkwardSummary(t, false)
	s.Themes = s.Themes[len(s.Themes)-1:] // fair pay, a rate theme, alone
	chat = bot.PlainText(s.Reply())
	if !strings.Contains(chat, summary.LiveMeans) || strings.Contains(chat, summary.AmountsMean) || !strings.Contains(chat, summary.RatesMean) {
		t.Errorf("rate theme alone:\n%s", chat)
	}
	s = awkwardSummary(t, false)
	s.Themes = s.Themes[:len(s.Themes)-1] // total themes only
	if chat = bot.PlainText(s.Reply()); strings.Contains(chat, summary.RatesMean) {
		t.Errorf("total themes alone explain rates:\n%s", chat)
	}
}
