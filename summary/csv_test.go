package summary_test

import (
	"bytes"
	"encoding/csv"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/summary"
)

// TestCSVHeader: the export's header names every column, in order, with
// the proxy columns only when a theme has a council proxy.
func TestCSVHeader(t *testing.T) {
	const base = "period,period_start,period_end,area,theme,theme_name,unit," +
		"businesses,made,live,active,done,lapsed,withdrawn," +
		"committed,delivered,delivered_to_date,delivered_pct," +
		"previous_period,previous_made,previous_live,previous_done," +
		"previous_committed,previous_delivered,previous_delivered_to_date," +
		"rate_pledges,rate_businesses,rate_reporting,rate_met,rate_median,rate_min,rate_max," +
		"confirmed,awaiting_confirmation,queried,self_reported," +
		"confirmed_to_date,awaiting_confirmation_to_date,queried_to_date,self_reported_to_date"
	for _, c := range []struct {
		name  string
		proxy bool
		want  string
	}{
		{"without a proxy", false, base},
		{"with a proxy", true, base + ",indicative_gbp,proxy_source"},
	} {
		t.Run(c.name, func(t *testing.T) {
			header, _, _ := strings.Cut(string(awkwardSummary(t, c.proxy).CSV()), "\n")
			if header != c.want {
				t.Errorf("header\n got %s\nwant %s", header, c.want)
			}
		})
	}
	if got := strings.Join(summary.CSVColumns, ","); got != base {
		t.Errorf("CSVColumns = %s", got)
	}
}

// TestCSVColumnCells reads the awkward summary's CSV by column name: what
// each column holds for a total theme (carbon), a rate theme (fair pay)
// and the totals row, by hand from the figures awkwardSummary documents.
func TestCSVColumnCells(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(awkwardSummary(t, false).CSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byTheme := map[string]map[string]string{}
	for _, r := range rows[1:] {
		cells := map[string]string{}
		for i, c := range rows[0] {
			cells[c] = r[i]
		}
		byTheme[cells["theme"]] = cells
	}
	for _, c := range []struct{ column, carbon, fairPay, all string }{
		{"businesses", "", "", "5"},
		{"made", "1", "2", "6"},
		{"live", "2", "12", "20"},
		{"active", "1", "12", "4"},
		{"done", "0", "0", "2"},
		{"lapsed", "0", "0", "1"},
		{"withdrawn", "0", "0", "0"},
		{"committed", "3", "", ""},
		{"delivered", "2", "", ""},
		{"delivered_to_date", "2.5", "", ""},
		{"delivered_pct", "83", "", ""}, // 2.5 ÷ 3 = 83.33% → 83, not delivered's 67
		{"previous_period", "2026-Q3", "2026-Q3", "2026-Q3"},
		{"previous_made", "0", "0", "3"},
		{"previous_live", "1", "0", "3"},
		{"previous_done", "0", "0", "1"},
		{"previous_committed", "3", "", ""},
		{"previous_delivered", "0.01", "", ""},
		{"previous_delivered_to_date", "0.01", "", ""},
		// fair pay: 12 pledges held by 9 businesses, 7 of them reporting
		// (each once), 5 met; median 86.5 → 87, range 60.49 → 60 to 100;
		// the 7 by who says so of each one's latest value: 3 confirmed, 2
		// awaiting, 0 queried, 2 self-reported
		{"rate_pledges", "", "12", ""},
		{"rate_businesses", "", "9", ""},
		{"rate_reporting", "", "7", ""},
		{"rate_met", "", "5", ""},
		{"rate_median", "", "87", ""},
		{"rate_min", "", "60", ""},
		{"rate_max", "", "100", ""},
		{"confirmed", "1.01", "3", ""},
		{"awaiting_confirmation", "1", "2", ""},
		{"self_reported", "0", "2", ""},
		{"confirmed_to_date", "2.5", "", ""},
	} {
		for theme, want := range map[string]string{"carbon": c.carbon, "fair-pay": c.fairPay, "all": c.all} {
			got, ok := byTheme[theme][c.column]
			if !ok || got != want {
				t.Errorf("%s %s = %q (column there: %v), want %q", theme, c.column, got, ok, want)
			}
		}
	}
}

// TestCSVColumnsDocumented: every column is described in CSVColumns' doc
// comment (what go doc shows) and in the user guide's export columns.
func TestCSVColumnsDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "export.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, s := range g.Specs {
				if v := s.(*ast.ValueSpec); v.Names[0].Name == "CSVColumns" {
					doc = g.Doc.Text()
				}
			}
		}
	}
	guide, err := os.ReadFile("../docs/guide.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(guide), "### Export columns")
	section, _, _ = strings.Cut(section, "\n### ")
	for _, c := range summary.CSVColumns {
		if !regexpWord(c).MatchString(doc) {
			t.Errorf("CSVColumns' doc comment does not describe %s", c)
		}
		if !strings.Contains(section, "`"+c+"`") {
			t.Errorf("docs/guide.md's export columns do not describe %s", c)
		}
	}
}

// regexpWord matches a column name as a whole word: "live" not inside
// "delivered".
func regexpWord(name string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[^a-z_])` + regexp.QuoteMeta(name) + `([^a-z_]|$)`)
}
