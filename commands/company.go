package commands

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// unknown clears a company detail on /business edit: absent means unknown.
const unknown = "unknown"

// companyOpts are the company details /business register and edit take.
// On edit every one may be set back to unknown ("unknown" or "-").
func companyOpts(edit bool) []bot.Option {
	forms, sizes := bot.Forms, bot.Sizes
	figure := bot.Number
	if edit {
		forms, sizes = append(slices.Clone(forms), unknown), append(slices.Clone(sizes), unknown)
		figure = bot.Text // "-" clears; read with numberOpt
	}
	return []bot.Option{
		{Name: "form", Type: bot.Choice, Choices: forms, Ask: true, Help: "legal form: company, cic, charitable-company, llp, sole-trader, ..."},
		{Name: "size", Type: bot.Choice, Choices: sizes, Ask: true, Help: "companies: small, medium or large (or give the three figures)"},
		{Name: "turnover", Type: figure, Max: 20, Help: "annual turnover in £, e.g. 12m: works out the company's size"},
		{Name: "balance-sheet", Type: figure, Max: 20, Help: "balance sheet total in £, e.g. 4.5m"},
		{Name: "employees", Type: figure, Max: 20, Help: "average number of employees in the year"},
		{Name: "year-end", Max: 5, Help: "financial year end as MM-DD, e.g. 03-31 (for /s172 statement)"},
	}
}

// figureOpts pairs each figure option with where it goes.
var figureOpts = []string{"turnover", "balance-sheet", "employees"}

// companyEdit reads the company options of a call. cur is the business
// as it stands (zero on register); the edit is checked against the
// business as it would be after it.
func companyEdit(args *bot.Args, cur bot.Business) (bot.BusinessEdit, bot.Business, error) {
	var e bot.BusinessEdit
	after := cur
	if args.Has("form") {
		v := cleared(args.String("form"))
		e.Form, after.Form = &v, v
	}
	if args.Has("size") {
		v := cleared(args.String("size"))
		e.Size, after.Size = &v, v
	}
	figs := []**bot.Figure{&e.Turnover, &e.BalanceSheet, &e.Employees}
	dst := []*bot.Figure{&after.Figures.Turnover, &after.Figures.BalanceSheet, &after.Figures.Employees}
	for i, name := range figureOpts {
		if !args.Has(name) {
			continue
		}
		f, err := readFigure(name, args)
		if err != nil {
			return e, after, err
		}
		*figs[i], *dst[i] = &f, f
	}
	if args.Has("year-end") {
		var y bot.YearEnd
		if v := strings.TrimSpace(args.String("year-end")); v != "-" {
			var err error
			if y, err = bot.ParseYearEnd(v); err != nil {
				return e, after, bot.Errorf(bot.Invalid, "%s.", err.Error())
			}
		}
		e.YearEnd, after.YearEnd = &y, y
	}
	if after.Form != "" && !bot.IsCompany(after.Form) && (after.Size != "" || after.Figures.Any()) {
		if e.Form == nil || sizeGiven(args) {
			return e, after, bot.Errorf(bot.Invalid, "size and figures are for companies, and a %s is not one; "+
				"give form:company (or cic, charitable-company) if it is.", bot.FormName(after.Form))
		}
		// A business that now says it is not a company sheds its company size.
		none, nofig := "", bot.Figure{}
		e.Size, e.Turnover, e.BalanceSheet, e.Employees = &none, &nofig, &nofig, &nofig
		after.Size, after.Figures = "", bot.Figures{}
	}
	return e, after, nil
}

// sizeGiven reports whether the call sets a size or a figure.
func sizeGiven(args *bot.Args) bool {
	return args.Has("size") || slices.ContainsFunc(figureOpts, args.Has)
}

func cleared(v string) string {
	if v == unknown || v == "-" {
		return ""
	}
	return v
}

// readFigure reads a figure typed as a number (register) or as text where
// "-" clears it (edit).
func readFigure(name string, args *bot.Args) (bot.Figure, error) {
	if v, ok := args.Number(name); ok {
		return bot.Figure{Value: v, Known: true}, nil
	}
	s := strings.TrimSpace(args.String(name))
	if s == "-" || s == unknown {
		return bot.Figure{}, nil
	}
	v, err := bot.Option{Name: name, Type: bot.Number}.Value(s, nil)
	if err != nil {
		return bot.Figure{}, bot.Errorf(bot.Invalid, "%s.", err.Error())
	}
	return bot.Figure{Value: v.(float64), Known: true}, nil
}

// yearStart is the first day of the financial year that day falls in: from
// the business's year end when set, else the year starting on day.
func yearStart(b bot.Business, day time.Time) time.Time {
	if b.YearEnd.IsZero() {
		return day
	}
	from, _ := bot.FinancialYear(b.YearEnd.Latest(day.AddDate(1, 0, -1)))
	return from
}

// companyFields describes a business's form, size and what s172 asks of
// it, for /business show, register and edit.
func companyFields(b bot.Business, today time.Time) []bot.Field {
	var out []bot.Field
	if b.Form == "" && b.Size == "" && !b.Figures.Any() && b.YearEnd.IsZero() {
		return nil
	}
	out = append(out, bot.Field{Label: "Legal form", Value: bot.FormName(b.Form)})
	if bot.IsCompany(b.Form) || b.Form == "" {
		if v := sizeLine(b.SizeFor(yearStart(b, today))); v != "" {
			out = append(out, bot.Field{Label: "Company size", Value: v})
		}
	}
	if !b.YearEnd.IsZero() {
		out = append(out, bot.Field{Label: "Financial year end", Value: time.Date(2001, time.Month(b.YearEnd.Month), b.YearEnd.Day, 0, 0, 0, 0, time.UTC).Format("2 January")})
	}
	out = append(out, bot.Field{Label: "s172", Value: dutyLine(b, b.SizeFor(yearStart(b, today)))})
	return out
}

// sizeLine says a size and where it came from.
func sizeLine(cs bot.CompanySize) string {
	var figs []string
	for _, f := range []struct {
		name string
		x    bot.Figure
		pre  string
	}{{"turnover", cs.Figures.Turnover, "£"}, {"balance sheet", cs.Figures.BalanceSheet, "£"}, {"employees", cs.Figures.Employees, ""}} {
		if f.x.Known {
			figs = append(figs, fmt.Sprintf("%s %s%s", f.name, f.pre, bot.FormatNumber(f.x.Value)))
		}
	}
	switch {
	case cs.Worked:
		return fmt.Sprintf("%s, worked out from %s: %s. The Act looks at two consecutive years; check with your accountant.",
			cs.Size, strings.Join(figs, ", "), cs.Limits.Describe())
	case cs.Size != "" && len(figs) > 0:
		return fmt.Sprintf("%s (as declared; the figures given, %s, are too few to tell)", cs.Size, strings.Join(figs, ", "))
	case cs.Size != "":
		return cs.Size + " (as declared)"
	case len(figs) > 0:
		return "not known: " + strings.Join(figs, ", ") + " are too few to tell; give all three figures or size:"
	}
	return ""
}

// dutyLine says in one line what s172 asks of a business. It never says
// that every company must report.
func dutyLine(b bot.Business, cs bot.CompanySize) string {
	switch {
	case b.Form == "":
		return "legal form not recorded: s172 binds company directors; set form: with /business edit"
	case !bot.IsCompany(b.Form):
		return nonCompanyLine(b.Form)
	case cs.Size == bot.SizeLarge:
		return "the directors owe the s172 duty; as a large company it must include a section 172(1) statement in its " +
			"strategic report (s414CZA) and publish it on its website (s426B)"
	case cs.Size != "":
		return "the directors owe the s172 duty; as a " + cs.Size + " company it need not publish a section 172(1) statement (voluntary)"
	}
	return "the directors owe the s172 duty; size not known, so whether a statement is required is not known (give size: or the figures)"
}

// nonCompanyLine is the one line /s172 gives a business that is not a
// company.
func nonCompanyLine(form string) string {
	return "s172 binds company directors, and a " + bot.FormName(form) +
		" is not a company: its decision records here are kept as voluntary good practice"
}

// voluntaryLabel marks the records of a business that is not a company.
const voluntaryLabel = "voluntary good practice (not a company: s172 does not apply)"
