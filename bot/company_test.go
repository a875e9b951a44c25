package bot

import (
	"strings"
	"testing"
	"time"
)

func figs(t, b, e float64) Figures {
	return Figures{Turnover: Figure{t, true}, BalanceSheet: Figure{b, true}, Employees: Figure{e, true}}
}

func isoDay(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestSizeFromFigures puts figures on both sides of each limit, under the
// limits from 6 April 2025 and those before. "Exceeding" is strictly more:
// a figure equal to a limit is within it.
func TestSizeFromFigures(t *testing.T) {
	unknown := Figure{}
	cases := []struct {
		name  string
		start string // first day of the financial year
		f     Figures
		want  string
	}{
		// New limits: large exceeds two of £54m, £27m, 250.
		{"all at the medium limits", "2025-04-06", figs(54e6, 27e6, 250), SizeMedium},
		{"turnover and balance just over", "2025-04-06", figs(54_000_001, 27_000_001, 10), SizeLarge},
		{"turnover and employees over", "2025-04-06", figs(60e6, 1e6, 251), SizeLarge},
		{"balance sheet and employees over", "2025-04-06", figs(1e6, 28e6, 300), SizeLarge},
		{"only turnover over", "2025-04-06", figs(100e6, 27e6, 250), SizeMedium},
		{"only employees over", "2025-04-06", figs(20e6, 10e6, 251), SizeMedium},
		// Small: within two of £15m, £7.5m, 50.
		{"all at the small limits", "2025-04-06", figs(15e6, 7.5e6, 50), SizeSmall},
		{"two over the small limits", "2025-04-06", figs(15_000_001, 7_500_001, 50), SizeMedium},
		{"one over the small limits", "2025-04-06", figs(15_000_001, 7.5e6, 50), SizeSmall},
		{"employees 51 and turnover over", "2025-04-06", figs(16e6, 1e6, 51), SizeMedium},
		// The old limits: £36m, £18m (large) and £10.2m, £5.1m (small).
		{"old: just over £36m and £18m", "2025-04-05", figs(36_000_001, 18_000_001, 10), SizeLarge},
		{"old: at £36m and £18m", "2025-04-05", figs(36e6, 18e6, 251), SizeMedium},
		{"new: the same company is medium", "2025-04-06", figs(40e6, 20e6, 10), SizeMedium},
		{"old: the same company is large", "2025-04-05", figs(40e6, 20e6, 10), SizeLarge},
		{"old: at £10.2m and £5.1m", "2024-01-01", figs(10.2e6, 5.1e6, 60), SizeSmall},
		{"old: just over £10.2m and £5.1m", "2024-01-01", figs(10_200_001, 5_100_001, 10), SizeMedium},
		{"new: that company is small", "2026-01-01", figs(10_200_001, 5_100_001, 10), SizeSmall},
		// Too few figures to tell.
		{"one figure over", "2025-04-06", Figures{Turnover: Figure{100e6, true}}, ""},
		{"one over one within", "2025-04-06", Figures{Turnover: Figure{100e6, true}, Employees: Figure{10, true}}, ""},
		{"two over, third unknown", "2025-04-06", Figures{Turnover: Figure{100e6, true}, BalanceSheet: Figure{30e6, true}, Employees: unknown}, SizeLarge},
		{"two small, third unknown", "2025-04-06", Figures{Turnover: Figure{1e6, true}, Employees: Figure{3, true}}, SizeSmall},
		{"two medium, small unknown", "2025-04-06", Figures{Turnover: Figure{20e6, true}, Employees: Figure{30, true}}, ""},
		{"nothing known", "2025-04-06", Figures{}, ""},
	}
	for _, c := range cases {
		if got := ThresholdsFor(isoDay(c.start)).SizeFrom(c.f); got != c.want {
			t.Errorf("%s: %+v from %s is %q, want %q", c.name, c.f, c.start, got, c.want)
		}
	}
}

// TestThresholdDate: the new limits apply to financial years beginning on
// or after 6 April 2025, whatever day they end.
func TestThresholdDate(t *testing.T) {
	for _, c := range []struct {
		start string
		med   float64
		says  string
	}{
		{"2025-04-05", 36e6, "beginning before 6 April 2025"},
		{"2025-04-06", 54e6, "on or after 6 April 2025, SI 2024/1303"},
		{"2025-04-07", 54e6, "on or after 6 April 2025"},
		{"2024-07-01", 36e6, "before"},
		{"2030-01-01", 54e6, "on or after"},
	} {
		th := ThresholdsFor(isoDay(c.start))
		if th.MedTurnover != c.med || !strings.Contains(th.Describe(), c.says) {
			t.Errorf("year from %s: limit %g, %q", c.start, th.MedTurnover, th.Describe())
		}
	}
	if got := ThresholdsFrom2025.Describe(); got != "large means exceeding two of turnover £54m, balance sheet £27m, 250 employees "+
		"(financial years beginning on or after 6 April 2025, SI 2024/1303)" {
		t.Errorf("describe: %s", got)
	}
	if got := ThresholdsBefore2025.Describe(); !strings.Contains(got, "£36m, balance sheet £18m, 250 employees") {
		t.Errorf("describe: %s", got)
	}
	// A year ending 30 June 2025 began 1 July 2024: old limits.
	from, _ := FinancialYear(isoDay("2025-06-30"))
	if ThresholdsFor(from).MedTurnover != 36e6 {
		t.Errorf("year to 30 June 2025 (from %s) took the new limits", from)
	}
	from, _ = FinancialYear(isoDay("2026-04-05"))
	if from != isoDay("2025-04-06") || ThresholdsFor(from).MedTurnover != 54e6 {
		t.Errorf("year to 5 April 2026 from %s", from)
	}
}

func TestDeclaredSizeYieldsToFigures(t *testing.T) {
	b := Business{Form: FormCompany, Size: SizeSmall, Figures: figs(60e6, 30e6, 10)}
	if cs := b.SizeFor(isoDay("2026-01-01")); cs.Size != SizeLarge || !cs.Worked {
		t.Errorf("%+v", cs)
	}
	b.Figures = Figures{Turnover: Figure{60e6, true}}
	if cs := b.SizeFor(isoDay("2026-01-01")); cs.Size != SizeSmall || cs.Worked {
		t.Errorf("%+v", cs)
	}
}

func TestFiguresRoundTrip(t *testing.T) {
	for _, f := range []Figures{{}, figs(54e6, 0, 250), {Employees: Figure{12.5, true}}, {Turnover: Figure{1, true}, BalanceSheet: Figure{2, true}}} {
		if got := ParseFigures(f.String()); got != f {
			t.Errorf("%+v -> %q -> %+v", f, f.String(), got)
		}
	}
	if got := ParseFigures("x,-1,"); got.Any() {
		t.Errorf("junk read as %+v", got)
	}
}

func TestParseYearEnd(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" refused
	}{
		{"03-31", "03-31"}, {"12-31", "12-31"}, {"02-28", "02-28"}, {" 06-30 ", "06-30"},
		{"02-29", ""}, {"04-31", ""}, {"13-01", ""}, {"00-10", ""}, {"3-31", ""}, {"03-1", ""},
		{"2026-03-31", ""}, {"", ""}, {"-", ""}, {"03/31", ""}, {"+3-31", ""}, {"03-+1", ""},
	} {
		y, err := ParseYearEnd(c.in)
		if (err == nil) != (c.want != "") || y.String() != c.want {
			t.Errorf("%q: %v %v", c.in, y, err)
		}
	}
}

func TestFinancialYear(t *testing.T) {
	for _, c := range []struct{ end, from string }{
		{"2026-03-31", "2025-04-01"}, {"2026-12-31", "2026-01-01"}, {"2025-02-28", "2024-02-29"},
		{"2024-02-29", "2023-03-01"}, {"2026-02-28", "2025-03-01"}, {"2025-04-05", "2024-04-06"},
	} {
		if from, to := FinancialYear(isoDay(c.end)); from != isoDay(c.from) || to != isoDay(c.end) {
			t.Errorf("year to %s from %s, want %s", c.end, from.Format(time.DateOnly), c.from)
		}
	}
	y := YearEnd{Month: 3, Day: 31}
	if got := y.Latest(isoDay("2026-11-24")); got != isoDay("2026-03-31") {
		t.Errorf("latest %s", got)
	}
	if got := y.Latest(isoDay("2026-03-31")); got != isoDay("2026-03-31") {
		t.Errorf("latest on the day %s", got)
	}
	if got := y.Latest(isoDay("2026-03-30")); got != isoDay("2025-03-31") {
		t.Errorf("latest the day before %s", got)
	}
}

func FuzzParseYearEnd(f *testing.F) {
	for _, s := range []string{"03-31", "02-29", "99-99", "", "1-1", "12-31\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, err := ParseYearEnd(s)
		if err != nil {
			return
		}
		// What is accepted is a day of every year, and reads back the same.
		d := time.Date(2027, time.Month(y.Month), y.Day, 0, 0, 0, 0, time.UTC)
		if int(d.Month()) != y.Month || d.Day() != y.Day {
			t.Fatalf("%q accepted as %v", s, y)
		}
		if back, err := ParseYearEnd(y.String()); err != nil || back != y {
			t.Fatalf("%q -> %v -> %v %v", s, y, back, err)
		}
	})
}

func FuzzParseFigures(f *testing.F) {
	for _, s := range []string{"1,2,3", ",,", "54000000,,250", "x", "1e309,NaN,-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ParseFigures(s)
		for _, x := range []Figure{got.Turnover, got.BalanceSheet, got.Employees} {
			if x.Known && (x.Value < 0 || x.Value != x.Value || x.Value > 1e308) {
				t.Fatalf("%q read as %+v", s, got)
			}
		}
		if back := ParseFigures(got.String()); back != got {
			t.Fatalf("%q -> %+v -> %+v", s, got, back)
		}
	})
}
