package bot

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckShare(t *testing.T) {
	fairPay := Theme{Key: "fair-pay", Unit: "% staff on the real Living Wage", Measure: MeasureRate}
	prompt := Theme{Key: "prompt-payment", Unit: "% invoices paid within 30 days", Measure: MeasureRate}
	bare := Theme{Key: "recycled", Unit: "%", Measure: MeasureRate}
	// Not shares: a total counted in percent, a rate in another unit, a
	// total theme.
	totalPct := Theme{Key: "pct-total", Unit: "% of something", Measure: MeasureTotal}
	rateHours := Theme{Key: "rate-hours", Unit: "hours", Measure: MeasureRate}
	hours := Theme{Key: "volunteering", Unit: "hours"}
	tests := []struct {
		theme Theme
		v     float64
		ok    bool
	}{
		{fairPay, 0, true}, // none yet, or a struck entry
		{fairPay, 0.5, true},
		{fairPay, 99.9, true},
		{fairPay, 100, true}, // every member of staff
		{fairPay, 100.5, false},
		{fairPay, -1, false},
		{fairPay, 150, false},
		{fairPay, 110, false}, // target 90 raised by target:+20: 90 + 20 = 110
		{prompt, 100, true},
		{prompt, 101, false},
		{bare, 100, true},
		{bare, 100.01, false},
		{totalPct, 150, true},
		{rateHours, 150, true},
		{hours, 150, true},
		{hours, -1, true}, // not the share rule's: the parser refuses negatives
	}
	for _, tt := range tests {
		err := CheckShare(tt.theme, tt.v, "x")
		if ok := err == nil; ok != tt.ok {
			t.Errorf("CheckShare(%s, %g) = %v; want ok %v", tt.theme.Key, tt.v, err, tt.ok)
			continue
		}
		if err == nil {
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != Invalid {
			t.Errorf("CheckShare(%s, %g): %v is not Invalid", tt.theme.Key, tt.v, err)
		}
		for _, want := range []string{tt.theme.Key + " is a share", tt.theme.Unit, "x can't be used", "from 0 to 100"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("CheckShare(%s, %g) = %q; lacks %q", tt.theme.Key, tt.v, err, want)
			}
		}
	}
}

func TestIsShare(t *testing.T) {
	for _, tt := range []struct {
		theme Theme
		want  bool
	}{
		{Theme{Unit: "% staff on the real Living Wage", Measure: MeasureRate}, true},
		{Theme{Unit: "%", Measure: MeasureRate}, true},
		{Theme{Unit: " % of invoices", Measure: MeasureRate}, true},
		{Theme{Unit: "% staff on the real Living Wage", Measure: MeasureTotal}, false},
		{Theme{Unit: "% staff on the real Living Wage"}, false}, // "" is a total
		{Theme{Unit: "hours", Measure: MeasureRate}, false},
		{Theme{Unit: "tonnes CO2e", Measure: MeasureRate}, false},
	} {
		if got := tt.theme.IsShare(); got != tt.want {
			t.Errorf("IsShare(%q, %q) = %v, want %v", tt.theme.Unit, tt.theme.Measure, got, tt.want)
		}
	}
}

// Commands check a share as the person gave it, in the pledge's unit, and
// skip reading the pledge for a value from 0 to 100: both hold only while
// every unit of a percent family converts at factor 1.
func TestPercentUnitsConvertAtOne(t *testing.T) {
	for _, f := range unitFamilies {
		if !f.Percent {
			continue
		}
		for _, u := range f.Units {
			if u.Factor != 1 {
				t.Errorf("percent unit %v converts at %g, not 1", u.Spellings, u.Factor)
			}
		}
	}
}
