package commands_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
)

func decision(n int, title, date string, factors map[string]string) bot.Decision {
	d, _ := time.Parse(time.DateOnly, date)
	return bot.Decision{Number: n, Current: bot.DecisionFields{Title: title, Date: d, Factors: factors}}
}

func TestBuildStatementEmptyPeriod(t *testing.T) {
	st := commands.BuildStatement(commands.StatementInput{Business: bot.Business{Name: "Acme", Number: 1, Form: bot.FormCompany, Size: bot.SizeLarge},
		From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		Drafted: time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)})
	if strings.Join(st.Missing, "") != "(a)(b)(c)(d)(e)(f)" {
		t.Errorf("missing = %v", st.Missing)
	}
	for _, want := range []string{"1 January 2026 to 31 December 2026", "No decision records were logged", "5 January 2027", "from 0 decision records", "not legal advice"} {
		if !strings.Contains(st.Markdown, want) {
			t.Errorf("lacks %q", want)
		}
	}
	if !strings.Contains(st.Markdown, "No decision record of the year notes (a) the likely") {
		t.Errorf("missing matters not flagged:\n%s", st.Markdown)
	}
	checkWording(t, st.Markdown)
}

// TestBuildStatementEscapes: user text can't add Markdown structure, and
// decisions are cited oldest first whatever order they arrive in.
func TestBuildStatementEscapes(t *testing.T) {
	st := commands.BuildStatement(commands.StatementInput{Business: bot.Business{Name: "Acme | Co", Number: 1},
		From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		Decisions: []bot.Decision{
			decision(2, "Later", "2026-08-01", map[string]string{"a": "second"}),
			decision(1, "# Heading\n## injected", "2026-02-01", map[string]string{"a": "[click](http://x) <b>*bold*</b> | cell"}),
		},
		Pledges: map[int]string{}, Truncated: true})
	md := st.Markdown
	if strings.Contains(md, "\n## injected") || strings.Contains(md, "\n# Heading") {
		t.Errorf("a title started a heading:\n%s", md)
	}
	for _, want := range []string{`\[click\](http://x) \<b\>\*bold\*\</b\> \| cell`, `Acme \| Co`, "Only the latest 2 decision records", "legal form is not recorded"} {
		if !strings.Contains(md, want) {
			t.Errorf("lacks %q:\n%s", want, md)
		}
	}
	first, second := strings.Index(md, "Decision #1:"), strings.Index(md, "Decision #2:")
	if first < 0 || second < first {
		t.Errorf("decisions not in date order")
	}
	if strings.Join(st.Missing, ",") != "(b),(c),(d),(e),(f)" {
		t.Errorf("missing = %v", st.Missing)
	}
}

// BenchmarkBuildStatement drafts a statement from a year of 200 decisions.
func BenchmarkBuildStatement(b *testing.B) {
	in := commands.StatementInput{Business: bot.Business{Name: "Acme", Number: 1, Form: bot.FormCompany, Size: bot.SizeLarge},
		From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		Pledges: map[int]string{1: "Buy £20k a year from local suppliers"}}
	for i := range 200 {
		d := decision(i+1, "Decision title", "2026-06-01", map[string]string{"a": "a note", "c": "another note", "d": "more"})
		d.Current.Outcome, d.Current.Pledges, d.Current.Stakeholders = "approved", []int{1}, "staff and suppliers"
		in.Decisions = append(in.Decisions, d)
	}
	for b.Loop() {
		commands.BuildStatement(in)
	}
}
