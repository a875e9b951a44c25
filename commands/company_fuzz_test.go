package commands

import (
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

// FuzzCompanyOptions parses arbitrary /business register and edit lines
// and reads their company details: never a panic, only Invalid refusals,
// and what is accepted is a known form and size, figures within bounds and
// a year end of every year.
func FuzzCompanyOptions(f *testing.F) {
	for _, seed := range []string{
		`Acme form:company turnover:£60m balance-sheet:30m employees:300 year-end:03-31`,
		`Solo form:sole-trader size:large`, `form:unknown size:- turnover:- year-end:-`,
		`turnover:1e309 employees:-5`, `year-end:02-29`, `form:cic size:small balance-sheet:£7.5m`,
		`turnover:"12 m" year-end:"03-31"`, `form:partnership turnover:5m`,
	} {
		f.Add(seed)
	}
	cmd := Business()
	f.Fuzz(func(t *testing.T, line string) {
		for _, sub := range []string{"register", "edit"} {
			args, err := cmd.Parse(cmd.Sub(sub), line, nil)
			if err != nil {
				if bot.ErrorCode(err) != bot.Invalid {
					t.Fatalf("%s %q: %v", sub, line, err)
				}
				continue
			}
			_, after, err := companyEdit(args, bot.Business{})
			if err != nil {
				if bot.ErrorCode(err) != bot.Invalid {
					t.Fatalf("%s %q: %v", sub, line, err)
				}
				continue
			}
			if after.Form != "" && !bot.IsCompany(after.Form) && (after.Size != "" || after.Figures.Any()) {
				t.Fatalf("%s %q: a %s with a company size", sub, line, after.Form)
			}
			for _, x := range []bot.Figure{after.Figures.Turnover, after.Figures.BalanceSheet, after.Figures.Employees} {
				if x.Known && (x.Value < 0 || x.Value > bot.MaxNumber) {
					t.Fatalf("%s %q: figure %v", sub, line, x.Value)
				}
			}
			if back := bot.ParseFigures(after.Figures.String()); back != after.Figures {
				t.Fatalf("%s %q: figures %+v stored as %q read back %+v", sub, line, after.Figures, after.Figures.String(), back)
			}
			if y := after.YearEnd; !y.IsZero() {
				if _, err := bot.ParseYearEnd(y.String()); err != nil {
					t.Fatalf("%s %q: year end %v", sub, line, y)
				}
			}
		}
	})
}
