package commands_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
)

// goldenYear is a financial year to 31 March 2026 with three decisions:
// one principal, amended after it was taken; one principal naming no
// group; one not principal.
func goldenYear(b bot.Business) commands.StatementInput {
	d1 := decision(1, "Move to a local parts supplier", "2025-06-12", map[string]string{
		"a": "ten-year supply security", "c": "two Cambridge wholesalers, 30-day terms", "d": "fewer delivery miles"})
	d1.Current.Principal, d1.Current.Directors, d1.Current.Meeting = "yes", "the board (MD, FD, two non-executives)", time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	d1.Current.Groups, d1.Current.Stakeholders = []string{"Suppliers", "Community"}, "suppliers met on 3 June; the parish council asked about lorries"
	d1.Current.Options, d1.Current.Tradeoffs, d1.Current.Outcome = "stay, switch, split", "higher unit cost", "approved: switch over six months"
	d1.Current.Pledges, d1.Current.Review = []int{1}, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	d1.Amendments = []bot.Amendment{{At: time.Date(2025, 6, 12, 15, 0, 0, 0, time.UTC)}, {At: time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC)}}
	d2 := decision(2, "Pay the real Living Wage", "2025-09-30", map[string]string{"b": "all 40 staff", "e": "Living Wage employer"})
	d2.Current.Principal, d2.Current.Groups = "yes", []string{"Staff"}
	d2.Current.Stakeholders, d2.Current.Outcome = "staff forum in September", "adopted from January"
	d3 := decision(3, "Renew the office lease", "2026-02-01", map[string]string{"a": "five-year term"})
	d3.Current.Principal, d3.Current.Outcome = "no", "renewed"
	return commands.StatementInput{Business: b, From: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC),
		Basis: "the business's latest year end, 03-31", Drafted: time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC),
		Decisions: []bot.Decision{d3, d2, d1}, Pledges: map[int]string{1: "Buy £20k a year from local suppliers"},
		Stakeholders: []bot.Stakeholder{{Name: "Community", How: "open evenings twice a year"}, {Name: "Staff", How: "quarterly staff forum"},
			{Name: "Suppliers", How: "annual supplier survey"}, {Name: "Investors"}}}
}

var goldenCases = []struct {
	file string
	biz  bot.Business
	want []string // beyond the golden file: the points the issue asks for
}{
	{"statement_large.md", bot.Business{Name: "Acme Engineering Ltd", Number: 1, Form: bot.FormCompany,
		Figures: bot.Figures{Turnover: bot.Figure{Value: 60e6, Known: true}, BalanceSheet: bot.Figure{Value: 30e6, Known: true}, Employees: bot.Figure{Value: 300, Known: true}}},
		[]string{"recorded as a large company", "financial years beginning before 6 April 2025", "£36m", "s414CZA", "s426B", "## Key stakeholder groups", "### Suppliers",
			"## Principal decisions", "amended after the decision, on 1 September 2025", "at the board meeting of 10 June 2025 by the board"}},
	{"statement_small.md", bot.Business{Name: "Corner Cafe Ltd", Number: 2, Form: bot.FormCompany, Size: bot.SizeSmall},
		[]string{"recorded as a small company (as declared)", "for a small company it is voluntary"}},
	{"statement_cic.md", bot.Business{Name: "Town Hub CIC", Number: 3, Form: bot.FormCIC, Size: bot.SizeSmall},
		[]string{"section 172(2) applies", "Success, for this statement, means achieving those purposes"}},
	{"statement_sole_trader.md", bot.Business{Name: "Sam's Plumbing", Number: 4, Form: bot.FormSoleTrader},
		[]string{"(voluntary good practice)", "binds company directors, and a sole trader is not a company", "not a section 172(1) statement",
			"for the owners to review"}},
}

// TestStatementGolden compares drafts for a large company, a small
// company, a CIC and a sole trader with testdata; -update rewrites them.
func TestStatementGolden(t *testing.T) {
	for _, c := range goldenCases {
		md := commands.BuildStatement(goldenYear(c.biz)).Markdown
		path := filepath.Join("testdata", c.file)
		if *update {
			if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(want) != md {
			t.Errorf("%s differs (go test ./commands -run TestStatementGolden -update):\n%s", c.file, md)
		}
		for _, w := range append(c.want, "DRAFT", "to review", "not legal advice", "Guidance on the Strategic Report") {
			if !strings.Contains(md, w) {
				t.Errorf("%s lacks %q", c.file, w)
			}
		}
		checkQuotes(t, c.file, md)
		if bot.IsCompany(c.biz.Form) {
			checkWording(t, md)
		} else if strings.Contains(md, "the directors") {
			t.Errorf("%s speaks of directors for a %s", c.file, c.biz.Form)
		}
	}
}

var quoted = regexp.MustCompile(`“([^”]*)”`)

// checkQuotes: every quotation (in “ ”) is the Act word for word, from
// the wording held in one place, and the old misquotation is gone.
func checkQuotes(t *testing.T, what, text string) {
	t.Helper()
	for _, m := range quoted.FindAllStringSubmatch(text, -1) {
		if !bot.IsStatutoryQuote(m[1]) {
			t.Errorf("%s quotes %q, which is not the Act's wording", what, m[1])
		}
	}
	if strings.Contains(text, "would most likely promote") {
		t.Errorf("%s misquotes s172(1)", what)
	}
}

// TestEveryQuotationMatchesTheAct checks the factors reply, the help and
// the statements; and that the held wording itself carries the words the
// issue names.
func TestEveryQuotationMatchesTheAct(t *testing.T) {
	h := s172Fixture(t)
	for _, line := range []string{"/s172 factors", "/help s172", "/help", "/help business"} {
		checkQuotes(t, line, h.MustDo("alice", line))
	}
	factors := h.MustDo("alice", "/s172 factors")
	if n := len(quoted.FindAllString(factors, -1)); n != 7 {
		t.Errorf("/s172 factors has %d quotations, want the lead and (a)-(f)", n)
	}
	for _, w := range []string{"s172(2)", "s172(3)", "amongst other matters", "would be most likely to promote"} {
		if !strings.Contains(factors, w) {
			t.Errorf("/s172 factors lacks %q", w)
		}
	}
	for _, c := range goldenCases {
		md := commands.BuildStatement(goldenYear(c.biz)).Markdown
		checkQuotes(t, c.file, md)
	}
	all := strings.Join(bot.S172Wording(), " ")
	for _, w := range []string{"(amongst other matters) to— (a) the likely consequences of any decision in the long term, (b)",
		"high standards of business conduct, and (f) the need to act fairly as between members of the company.",
		"purposes other than the benefit of its members", "in the interests of creditors of the company."} {
		if !strings.Contains(all, w) {
			t.Errorf("held wording lacks %q", w)
		}
	}
	if bot.IsStatutoryQuote("would most likely promote the success") || bot.IsStatutoryQuote("") {
		t.Error("a misquotation passes")
	}
}
