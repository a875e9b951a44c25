package commands_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/summary"
)

const secretText = "Secret food bank plan"

// fixtureNetwork builds two businesses whose pledges span 2026-Q3 and
// 2026-Q4, and leaves the clock on 20 Nov 2026.
//
//	Q3 (10 Aug): Acme (CB1 2AB) #1 apprenticeships 2, progress 1;
//	             #2 private volunteering 40, progress 10;
//	             Bakery (SW1A 1AA) #3 buy-local 20,000.
//	Q4 (15 Oct): #1 progress 1 and done; #2 progress 5; #4 carbon 3;
//	             #3 withdrawn.
//	20 Nov:      #4 progress 1.
func fixtureNetwork(t testing.TB) *pledgetest.Harness {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 8, 10, 9, 0, 0, 0, time.UTC))
	h.MustDo("owner", "/business register Acme postcode:\"CB1 2AB\"")
	h.MustDo("owner", `/pledge add "Hire two apprentices" theme:apprenticeships target:2`)
	h.MustDo("owner", "/pledge progress 1 1")
	h.MustDo("owner", `/pledge add "`+secretText+`" theme:volunteering target:40 visibility:private`)
	h.MustDo("owner", "/pledge progress 2 10")
	h.MustDo("baker", `/business register Bakery postcode:"SW1A 1AA"`)
	h.MustDo("baker", `/pledge add "Buy flour locally" theme:buy-local target:20000`)
	h.Clock.Set(time.Date(2026, 10, 15, 9, 0, 0, 0, time.UTC))
	h.MustDo("owner", "/pledge progress 1 1")
	h.MustDo("owner", "/pledge done 1")
	h.MustDo("owner", "/pledge progress 2 5")
	h.MustDo("baker", `/pledge add "Cut van emissions" theme:carbon target:3`)
	h.MustDo("baker", "/pledge withdraw 3 confirm")
	h.Clock.Set(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	h.MustDo("baker", "/pledge progress 4 1")
	h.MustDo("owner", `/s172 log "`+secretDecision+`" b:"staff consulted" outcome:"agreed" date:2026-10-15`)
	h.MustDo("owner", `/s172 log "Open on Sundays" b:"rota agreed" outcome:"trial" date:2026-08-10 confidentiality:shareable`)
	h.MustDo(h.Admin, "/roles grant council council")
	return h
}

// secretDecision is a board-confidential s172 record: counted, never shown.
const secretDecision = "Close the Mill Road site"

func build(t *testing.T, h *pledgetest.Harness, period, theme, area string) *summary.Summary {
	t.Helper()
	f, err := summary.Filter(h.Bot, h.Community(), period, theme, area, h.Bot.Now())
	if err != nil {
		t.Fatal(err)
	}
	s, err := summary.Build(context.Background(), h.Bot, h.Community(), f)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func row(s *summary.Summary, theme string) summary.Row {
	for _, r := range s.Themes {
		if r.Theme.Key == theme {
			return r
		}
	}
	return summary.Row{}
}

func TestSummaryFixtureNumbers(t *testing.T) {
	h := fixtureNetwork(t)
	s := build(t, h, "2026-Q4", "", "")
	want := summary.Totals{Businesses: 2, Made: 1, Live: 3, Active: 2, Done: 1, Withdrawn: 1, Decisions: 1}
	if s.Totals != want {
		t.Errorf("Q4 totals = %+v, want %+v", s.Totals, want)
	}
	// #3, made in Q3 and withdrawn in Q4, counts in no figure but Q4's
	// withdrawals.
	wantPrev := summary.Totals{Businesses: 2, Made: 2, Live: 2, Active: 2, Decisions: 1}
	if s.PrevTotals != wantPrev {
		t.Errorf("Q3 totals = %+v, want %+v", s.PrevTotals, wantPrev)
	}
	if r, ok := s.Totals.CompletionRate(); !ok || r != 100 {
		t.Errorf("completion rate = %v %v, want 100", r, ok)
	}
	// Live in Q4: #1 (done in it), #2, #4; committed is their targets,
	// delivered to date all their progress up to the end of Q4.
	checks := []struct {
		theme                        string
		made, active, live           int
		committed, delivered, toDate float64
		prevCommitted, prevDelivered float64
	}{
		{"apprenticeships", 0, 0, 1, 2, 1, 2, 2, 1},
		{"volunteering", 0, 1, 1, 40, 5, 15, 40, 10},
		{"buy-local", 0, 0, 0, 0, 0, 0, 0, 0}, // withdrawn: in no period's commitment
		{"carbon", 1, 1, 1, 3, 1, 1, 0, 0},
	}
	for _, c := range checks {
		r := row(s, c.theme)
		if r.Cur.Made != c.made || r.Cur.Active != c.active || r.Cur.Live != c.live || r.Cur.Committed != c.committed ||
			r.Cur.Delivered != c.delivered || r.Cur.ToDate != c.toDate || r.Prev.Committed != c.prevCommitted || r.Prev.Delivered != c.prevDelivered {
			t.Errorf("%s: cur %+v prev %+v, want %+v", c.theme, r.Cur, r.Prev, c)
		}
	}

	year := build(t, h, "2026", "", "")
	if want := (summary.Totals{Businesses: 2, Made: 3, Live: 3, Active: 2, Done: 1, Withdrawn: 1, Decisions: 2}); year.Totals != want {
		t.Errorf("2026 totals = %+v, want %+v", year.Totals, want)
	}
	last := build(t, h, "last-30d", "", "")
	if want := (summary.Totals{Businesses: 1, Live: 2, Active: 2}); last.Totals != want {
		t.Errorf("last-30d totals = %+v, want %+v", last.Totals, want)
	}
	if r := row(last, "carbon"); r.Cur.Delivered != 1 || r.Prev.Made != 1 || r.Prev.Committed != 3 {
		t.Errorf("last-30d carbon = %+v prev %+v", r.Cur, r.Prev)
	}
	// Q3 seen from Q4: active at the end of September, before #1 was done.
	q3 := build(t, h, "2026-Q3", "", "")
	if want := (summary.Totals{Businesses: 2, Made: 2, Live: 2, Active: 2, Decisions: 1}); q3.Totals != want {
		t.Errorf("Q3 totals = %+v, want %+v", q3.Totals, want)
	}
}

func TestSummaryFilters(t *testing.T) {
	h := fixtureNetwork(t)
	cb := build(t, h, "2026-Q4", "", "CB1")
	if want := (summary.Totals{Businesses: 1, Live: 2, Active: 1, Done: 1, Decisions: -1}); cb.Totals != want {
		t.Errorf("area CB1 = %+v, want %+v", cb.Totals, want)
	}
	sw := build(t, h, "2026-Q4", "", "sw")
	if want := (summary.Totals{Businesses: 1, Made: 1, Live: 1, Active: 1, Withdrawn: 1, Decisions: -1}); sw.Totals != want {
		t.Errorf("area SW = %+v, want %+v", sw.Totals, want)
	}
	vol := build(t, h, "2026-Q4", "volunteering", "")
	if len(vol.Themes) != 1 || vol.Themes[0].Cur.Delivered != 5 || vol.Totals.Businesses != 1 {
		t.Errorf("theme volunteering = %+v", vol)
	}
	for _, bad := range []string{"/summary area:1CB", "/summary area:CB1-2", "/summary theme:nope", "/summary period:2026-Q5", "/summary period:last-400d"} {
		h.MustFail("council", bad, bot.Invalid)
	}
}

func TestSummaryEditsMoveCounters(t *testing.T) {
	h := fixtureNetwork(t)
	// #2 (volunteering, 15 delivered: 10 in Aug, 5 in Oct) becomes expert help.
	h.MustDo("owner", "/pledge edit 2 theme:expert-help target:50")
	q4 := build(t, h, "2026-Q4", "", "")
	if r := row(q4, "volunteering"); r.Cur.Delivered != 0 || r.Prev.Delivered != 0 || r.Prev.Committed != 0 || r.Cur.Active != 0 {
		t.Errorf("volunteering after edit: cur %+v prev %+v", r.Cur, r.Prev)
	}
	if r := row(q4, "expert-help"); r.Cur.Delivered != 5 || r.Prev.Delivered != 10 || r.Prev.Committed != 50 || r.Prev.Made != 1 || r.Cur.Active != 1 {
		t.Errorf("expert-help after edit: cur %+v prev %+v", r.Cur, r.Prev)
	}
	// A done pledge moved to another theme takes its "done" with it.
	h.MustDo("owner", "/pledge edit 1 theme:schools")
	q4 = build(t, h, "2026-Q4", "", "")
	if a, s := row(q4, "apprenticeships"), row(q4, "schools"); a.Cur.Done != 0 || s.Cur.Done != 1 || s.Prev.Made != 1 || s.Cur.Delivered != 1 {
		t.Errorf("after moving done pledge: apprenticeships %+v, schools %+v / %+v", a.Cur, s.Cur, s.Prev)
	}
	if q4.Totals.Done != 1 || q4.Totals.Active != 2 {
		t.Errorf("totals after edits = %+v", q4.Totals)
	}
}

func TestSummaryNeverShowsPrivateText(t *testing.T) {
	h := fixtureNetwork(t)
	for _, line := range []string{"/summary", "/summary period:2026-Q3", "/summary period:2026 theme:volunteering", "/summary export format:csv period:2026", "/summary export format:json period:2026"} {
		r := h.Reply("council", line)
		if r.Err != nil {
			t.Fatalf("%s: %s", line, r.Err.Message)
		}
		text := bot.PlainText(r)
		if r.File != nil {
			text += string(r.File.Content)
		}
		if strings.Contains(text, secretText) || strings.Contains(text, "Secret") || strings.Contains(text, secretDecision) || strings.Contains(text, "Sundays") {
			t.Errorf("%s shows private text:\n%s", line, text)
		}
	}
	out := h.MustDo("council", "/summary period:2026-Q4")
	for _, want := range []string{"s172 decisions recorded: 1 (no change)", "Businesses taking part: 2 (no change)", "Pledges made: 1 (−1)", "Done: 1 (+1)", "Active at the end: 2 (no change)", "Completion rate: 100%"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestSummaryExportCSVColumns(t *testing.T) {
	h := fixtureNetwork(t)
	r := h.Reply("council", "/summary export format:csv period:2026-Q4")
	if r.Err != nil || r.File == nil {
		t.Fatalf("export: %+v", r)
	}
	if r.File.Type != "text/csv" || r.File.Name != "summary-"+h.Community()+"-2026-Q4.csv" {
		t.Errorf("file = %q %q", r.File.Name, r.File.Type)
	}
	// The reply itself says what the period columns mean (issue 15).
	for _, want := range []string{"committed: their targets", "delivered: progress logged within the period",
		"delivered_to_date: progress logged on the live pledges up to the period's end", "delivered_pct: delivered_to_date as a share of committed",
		"rate_pledges: their live pledges; rate_businesses: the businesses holding them, each counted once",
		"rate_reporting, rate_met: of those businesses, how many report a value and how many met their target",
		"rate_median, rate_min, rate_max: the median, least and greatest of the latest value each business reported"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("export reply lacks %q:\n%s", want, r.Text)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.File.Content))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "period,period_start,period_end,area,theme,theme_name,unit,businesses,made,live,active,done,lapsed,withdrawn,committed,delivered,delivered_to_date,delivered_pct,previous_period,previous_made,previous_live,previous_done,previous_committed,previous_delivered,previous_delivered_to_date,rate_pledges,rate_businesses,rate_reporting,rate_met,rate_median,rate_min,rate_max," +
		"confirmed,awaiting_confirmation,queried,self_reported,confirmed_to_date,awaiting_confirmation_to_date,queried_to_date,self_reported_to_date"
	if got := strings.Join(rows[0], ","); got != wantHeader {
		t.Fatalf("header = %s", got)
	}
	byTheme := map[string][]string{}
	for _, row := range rows[1:] {
		if len(row) != len(rows[0]) {
			t.Fatalf("row has %d cells: %v", len(row), row)
		}
		byTheme[row[4]] = row
	}
	// By hand: carbon is live 1 (#4), committed 3, delivered 1 in Q4 and
	// 1 to date (33%); in Q3 nothing. Every theme: live 3 in Q4 (#1, done
	// in Q4, #2 and #4; #3 was withdrawn and counts nowhere), 2 in Q3.
	// No pledge names a partner: carbon's 1 is self-reported in period and
	// to date.
	if got := strings.Join(byTheme["carbon"], ","); got != "2026-Q4,2026-10-01,2026-12-31,,carbon,carbon reduction,tonnes CO2e,,1,1,1,0,0,0,3,1,1,33,2026-Q3,0,0,0,0,0,0,,,,,,,,0,0,0,1,0,0,0,1" {
		t.Errorf("carbon row = %s", got)
	}
	if got := strings.Join(byTheme["all"], ","); got != "2026-Q4,2026-10-01,2026-12-31,,all,all themes,,2,1,3,2,1,0,1,,,,,2026-Q3,2,2,0,,,,,,,,,,,,,,,,,," {
		t.Errorf("all row = %s", got)
	}
	j := h.Reply("council", "/summary export format:json period:2026-Q4 area:CB1")
	var doc struct {
		Period struct{ Label string }
		Area   string
		Totals struct{ Done, Active int }
		Themes []struct {
			Key       string
			Delivered float64
		}
	}
	if err := json.Unmarshal(j.File.Content, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Period.Label != "2026-Q4" || doc.Area != "CB1" || doc.Totals.Done != 1 || doc.Totals.Active != 1 {
		t.Errorf("json = %+v", doc)
	}
}

// TestSummaryForgetsDeletedBusiness: deleting a business (data rights)
// takes its pledges out of every period's counters.
func TestSummaryForgetsDeletedBusiness(t *testing.T) {
	h := fixtureNetwork(t)
	h.MustDo("owner", "/business delete 1 confirm")
	q4 := build(t, h, "2026-Q4", "", "")
	if want := (summary.Totals{Businesses: 1, Made: 1, Live: 1, Active: 1, Withdrawn: 1}); q4.Totals != want {
		t.Errorf("Q4 after delete = %+v, want %+v", q4.Totals, want)
	}
	// Q3 keeps the Bakery taking part (it made #3), whose withdrawn pledge
	// counts nowhere.
	if want := (summary.Totals{Businesses: 1}); q4.PrevTotals != want {
		t.Errorf("Q3 after delete = %+v, want %+v", q4.PrevTotals, want)
	}
	for _, theme := range []string{"apprenticeships", "volunteering"} {
		r := row(q4, theme)
		r.Cur.Theme, r.Prev.Theme = "", ""
		if r.Cur != (bot.ThemeStats{}) || r.Prev != (bot.ThemeStats{}) {
			t.Errorf("%s after delete: %+v / %+v", theme, r.Cur, r.Prev)
		}
	}
	if cb := build(t, h, "2026", "", "CB"); cb.Totals != (summary.Totals{Decisions: -1}) {
		t.Errorf("area CB after delete = %+v", cb.Totals)
	}
}
