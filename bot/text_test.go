package bot

import (
	"math"
	"testing"
)

func TestRoundAmount(t *testing.T) {
	cases := []struct {
		in   float64
		want string // PlainNumber
		fmt  string // FormatNumber
	}{
		{46.1764705882353, "46.18", "46.18"},
		{2.50, "2.5", "2.5"},
		{2, "2", "2"},
		{0.1 + 0.2, "0.3", "0.3"},
		{0.005, "0.01", "0.01"},
		{0.004999, "0", "0"},
		{1.005, "1.01", "1.01"},
		{2.675, "2.68", "2.68"},
		{-2.675, "-2.68", "-2.68"},
		{-0.001, "0", "0"},
		{0.995, "1", "1"},
		{9.995, "10", "10"},
		{999999.995, "1000000", "1,000,000"},
		{1234567.891, "1234567.89", "1,234,567.89"},
		{-1234567.891, "-1234567.89", "-1,234,567.89"},
		{20000, "20000", "20,000"},
		{2.0 / 3, "0.67", "0.67"},
		{1e-12, "0", "0"},
		{12345678901234.5, "12345678901234.5", "12,345,678,901,234.5"},
		{0.30000000000000004 * 3, "0.9", "0.9"},
	}
	for _, c := range cases {
		if got := PlainNumber(c.in); got != c.want {
			t.Errorf("PlainNumber(%v) = %s, want %s", c.in, got, c.want)
		}
		if got := FormatNumber(c.in); got != c.fmt {
			t.Errorf("FormatNumber(%v) = %s, want %s", c.in, got, c.fmt)
		}
	}
	if got := RoundAmount(math.Copysign(0, -1)); math.Signbit(got) {
		t.Errorf("RoundAmount(-0) = %v", got)
	}
	if !math.IsNaN(RoundAmount(math.NaN())) || !math.IsInf(RoundAmount(math.Inf(1)), 1) {
		t.Errorf("NaN or Inf changed")
	}
}

func TestRoundPercent(t *testing.T) {
	cases := []struct {
		done, target float64
		want         int
		ok           bool
	}{
		{20.5, 100, 21, true},
		{20.49, 100, 20, true},
		{83, 400, 21, true}, // 20.75
		{2, 3, 67, true},
		{1, 3, 33, true},
		{41, 200, 21, true},    // 20.5 exactly
		{0.41, 2, 21, true},    // 20.5 through float noise (20.499999999999996)
		{99.5, 100, 100, true}, // half up at the top too
		{-20.5, 100, -21, true},
		{0, 5, 0, true},
		{5, 0, 0, false},
		{5, -1, 0, false},
	}
	for _, c := range cases {
		got, ok := RoundPercent(c.done, c.target)
		if got != c.want || ok != c.ok {
			t.Errorf("RoundPercent(%v, %v) = %d, %v; want %d, %v", c.done, c.target, got, ok, c.want, c.ok)
		}
	}
	if p := (Progress{Done: 83, Target: 400}).Percent(); p != 21 {
		t.Errorf("Percent of 83/400 = %d, want 21 (was truncated to 20)", p)
	}
	if got := ProgressLine(Progress{Done: 83, Target: 400, Unit: "hours"}); got != "██░░░░░░░░ 21% (83 of 400 hours)" {
		t.Errorf("ProgressLine = %q", got)
	}
	if got := ProgressLine(Progress{Done: 46.1764705882353, Unit: "£"}); got != "delivered £46.18" {
		t.Errorf("ProgressLine = %q", got)
	}
}

func TestFormatRate(t *testing.T) {
	if got := FormatRate(86.5, "% staff on the real Living Wage"); got != "87%" {
		t.Errorf("FormatRate = %s", got)
	}
	if got := FormatRate(12.345, "days"); got != "12.35 days" {
		t.Errorf("FormatRate = %s", got)
	}
	if got := RoundRate(86.49, "% invoices"); got != 86 {
		t.Errorf("RoundRate = %v", got)
	}
}

func TestFormatAmountPutsPoundsFirst(t *testing.T) {
	for _, c := range []struct {
		f    float64
		unit string
		want string
	}{
		{2500, "£", "£2,500"},
		{2500, "£ local spend", "£2,500"},
		{2.5, "£k", "£2.5k"},
		{-90, "£", "-£90"},
		{-0.001, "£", "£0"},
		{800, "kg CO2e", "800 kg CO2e"},
		{12, "", "12"},
	} {
		if got := FormatAmount(c.f, c.unit); got != c.want {
			t.Errorf("FormatAmount(%v, %q) = %q, want %q", c.f, c.unit, got, c.want)
		}
	}
}

// One of a unit reads in the singular; any other amount, rounded as
// shown, in the plural.
func TestFormatAmountSingular(t *testing.T) {
	for _, c := range []struct {
		f    float64
		unit string
		want string
	}{
		{1, "hours", "1 hour"},
		{1, "weeks of apprenticeship", "1 week of apprenticeship"},
		{1, "placement weeks", "1 placement week"},
		{1, "people (FTE)", "1 person (FTE)"},
		{1, "tonnes CO2e", "1 tonne CO2e"},
		{1.004, "hours", "1 hour"},
		{-1, "hours", "-1 hour"},
		{0, "hours", "0 hours"},
		{2, "hours", "2 hours"},
		{1.5, "hours", "1.5 hours"},
		{0.995, "hours", "1 hour"},
		{1, "kg", "1 kg"},
		{1, "% staff on the real Living Wage", "1 % staff on the real Living Wage"},
		{1, "£", "£1"},
		{1, "raffle prizes", "1 raffle prizes"},
	} {
		if got := FormatAmount(c.f, c.unit); got != c.want {
			t.Errorf("FormatAmount(%v, %q) = %q, want %q", c.f, c.unit, got, c.want)
		}
	}
}
