package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Legal forms a business may declare (/business register form:...).
const (
	FormCompany       = "company"
	FormCIC           = "cic"
	FormCharitable    = "charitable-company"
	FormLLP           = "llp"
	FormPartnership   = "partnership"
	FormSoleTrader    = "sole-trader"
	FormCoopSociety   = "co-operative-society"
	FormOther         = "other"
	SizeSmall         = "small"
	SizeMedium        = "medium"
	SizeLarge         = "large"
	formUnknownPhrase = "legal form not recorded"
)

// Forms lists the legal forms in the order help shows them.
var Forms = []string{FormCompany, FormCIC, FormCharitable, FormLLP, FormPartnership, FormSoleTrader, FormCoopSociety, FormOther}

// Sizes lists the company sizes of the Companies Act 2006 (ss382-384,
// 465-467) that decide whether a s172(1) statement is required.
var Sizes = []string{SizeSmall, SizeMedium, SizeLarge}

// IsCompany reports whether a form is a company under the Companies Act
// 2006, whose directors owe the s172 duty. "" (not recorded) is not known
// to be one.
func IsCompany(form string) bool {
	return form == FormCompany || form == FormCIC || form == FormCharitable
}

// HasWiderPurposes reports whether s172(2) frames the form's success: its
// purposes include others than benefiting its members.
func HasWiderPurposes(form string) bool { return form == FormCIC || form == FormCharitable }

// FormName is how text names a form.
func FormName(form string) string {
	switch form {
	case "":
		return formUnknownPhrase
	case FormCIC:
		return "community interest company"
	case FormLLP:
		return "limited liability partnership"
	}
	return strings.ReplaceAll(form, "-", " ")
}

// Figure is one size figure; Known is false when none was given.
type Figure struct {
	Value float64
	Known bool
}

// Figures are what a company's size is worked out from: turnover (£),
// balance sheet total (£) and average number of employees.
type Figures struct {
	Turnover, BalanceSheet, Employees Figure
}

// Any reports whether any figure is known.
func (f Figures) Any() bool { return f.Turnover.Known || f.BalanceSheet.Known || f.Employees.Known }

// String is the stored form: "turnover,balance,employees", unknown parts empty.
func (f Figures) String() string {
	if !f.Any() {
		return ""
	}
	part := func(x Figure) string {
		if !x.Known {
			return ""
		}
		return strconv.FormatFloat(x.Value, 'f', -1, 64)
	}
	return part(f.Turnover) + "," + part(f.BalanceSheet) + "," + part(f.Employees)
}

// ParseFigures reads Figures.String; unreadable parts are unknown.
func ParseFigures(s string) Figures {
	var f Figures
	parts := strings.Split(s, ",")
	for i, dst := range []*Figure{&f.Turnover, &f.BalanceSheet, &f.Employees} {
		if i < len(parts) {
			if v, err := strconv.ParseFloat(parts[i], 64); err == nil && v >= 0 && v <= MaxNumber {
				*dst = Figure{Value: v, Known: true}
			}
		}
	}
	return f
}

// Thresholds are the limits a company must not exceed on two of three
// counts to qualify as small or as medium-sized, for financial years
// beginning on or after From.
type Thresholds struct {
	From                                  time.Time
	Source                                string
	SmallTurnover, SmallBalance, SmallEmp float64
	MedTurnover, MedBalance, MedEmp       float64
}

// The limits of the Companies Act 2006 ss382 and 465 (individual
// companies). The Companies (Accounts and Reports) (Amendment and
// Transitional Provision) Regulations 2024 (SI 2024/1303) raised them for
// financial years beginning on or after 6 April 2025 (reg. 2(2)).
var (
	ThresholdsFrom2025 = Thresholds{From: time.Date(2025, 4, 6, 0, 0, 0, 0, time.UTC),
		Source:        "SI 2024/1303",
		SmallTurnover: 15e6, SmallBalance: 7.5e6, SmallEmp: 50,
		MedTurnover: 54e6, MedBalance: 27e6, MedEmp: 250}
	ThresholdsBefore2025 = Thresholds{Source: "the Companies Act 2006 ss382 and 465 as in force before 6 April 2025",
		SmallTurnover: 10.2e6, SmallBalance: 5.1e6, SmallEmp: 50,
		MedTurnover: 36e6, MedBalance: 18e6, MedEmp: 250}
)

// ThresholdsFor picks the limits for a financial year beginning on start.
func ThresholdsFor(start time.Time) Thresholds {
	if start.Before(ThresholdsFrom2025.From) {
		return ThresholdsBefore2025
	}
	return ThresholdsFrom2025
}

// Describe names the limits, e.g. "large means exceeding two of turnover
// £54m, balance sheet £27m, 250 employees (financial years beginning on or
// after 6 April 2025, SI 2024/1303)".
func (t Thresholds) Describe() string {
	when := "financial years beginning before 6 April 2025"
	if !t.From.IsZero() {
		when = "financial years beginning on or after " + t.From.Format("2 January 2006") + ", " + t.Source
	}
	return fmt.Sprintf("large means exceeding two of turnover %s, balance sheet %s, %g employees (%s)",
		pounds(t.MedTurnover), pounds(t.MedBalance), t.MedEmp, when)
}

func pounds(v float64) string { return "£" + strconv.FormatFloat(v/1e6, 'f', -1, 64) + "m" }

// SizeFrom works out a company's size from its figures under t: small when
// it does not exceed two of the small limits, medium when it does not
// exceed two of the medium ones, else large. "" when too few figures are
// known to tell. One year's figures only: the Act normally looks at two
// consecutive years (ss382(2), 465(2)), which callers say.
func (t Thresholds) SizeFrom(f Figures) string {
	within := func(lt, lb, le float64) (in, over int) {
		for _, c := range []struct {
			x     Figure
			limit float64
		}{{f.Turnover, lt}, {f.BalanceSheet, lb}, {f.Employees, le}} {
			if !c.x.Known {
				continue
			}
			if c.x.Value > c.limit {
				over++
			} else {
				in++
			}
		}
		return in, over
	}
	if in, _ := within(t.SmallTurnover, t.SmallBalance, t.SmallEmp); in >= 2 {
		return SizeSmall
	}
	in, over := within(t.MedTurnover, t.MedBalance, t.MedEmp)
	switch {
	case over >= 2:
		return SizeLarge
	case in >= 2:
		_, smallOver := within(t.SmallTurnover, t.SmallBalance, t.SmallEmp)
		if smallOver >= 2 {
			return SizeMedium
		}
	}
	return ""
}

// CompanySize is what a business is known of for s172 reporting.
type CompanySize struct {
	Size    string     // small, medium, large, or "" unknown
	Worked  bool       // worked out from figures rather than declared
	Limits  Thresholds // the limits used when Worked
	Figures Figures
}

// SizeFor is a business's size for a financial year beginning on start:
// worked out from its figures when they tell, else the size it declared.
func (b Business) SizeFor(start time.Time) CompanySize {
	t := ThresholdsFor(start)
	if s := t.SizeFrom(b.Figures); s != "" {
		return CompanySize{Size: s, Worked: true, Limits: t, Figures: b.Figures}
	}
	return CompanySize{Size: b.Size, Limits: t, Figures: b.Figures}
}

// YearEnd is a financial year end as month and day ("03-31"); zero when
// not set.
type YearEnd struct{ Month, Day int }

// ParseYearEnd reads "MM-DD". 29 February is refused: a year end must
// fall in every year.
func ParseYearEnd(s string) (YearEnd, error) {
	s = strings.TrimSpace(s)
	m, d, ok := strings.Cut(s, "-")
	month, err1 := strconv.Atoi(m)
	day, err2 := strconv.Atoi(d)
	if !ok || !digits(m) || !digits(d) || err1 != nil || err2 != nil || month < 1 || month > 12 || day < 1 {
		return YearEnd{}, fmt.Errorf("year-end must be a month and day written MM-DD, like 03-31, not %q", clip(s, 40))
	}
	if day > time.Date(2026, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return YearEnd{}, fmt.Errorf("year-end %s is not a day in every year: use 02-28 for the end of February", s)
	}
	return YearEnd{Month: month, Day: day}, nil
}

func digits(s string) bool {
	return len(s) == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
}

// IsZero reports whether no year end is set.
func (y YearEnd) IsZero() bool { return y.Month == 0 }

// String is "MM-DD", or "" when not set.
func (y YearEnd) String() string {
	if y.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d-%02d", y.Month, y.Day)
}

// Latest is the last year end on or before day.
func (y YearEnd) Latest(day time.Time) time.Time {
	end := time.Date(day.Year(), time.Month(y.Month), y.Day, 0, 0, 0, 0, time.UTC)
	if end.After(day) {
		end = end.AddDate(-1, 0, 0)
	}
	return end
}

// FinancialYear is the year ending on end: from the day after the same
// date a year before, to end. A year ending 29 February began on 1 March.
func FinancialYear(end time.Time) (from, to time.Time) {
	prev := end.AddDate(-1, 0, 0)
	if prev.Day() != end.Day() { // 29 February: AddDate ran on into March
		prev = prev.AddDate(0, 0, -prev.Day())
	}
	return prev.AddDate(0, 0, 1), end
}
