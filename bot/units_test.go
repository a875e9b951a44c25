package bot

import (
	"strings"
	"testing"
)

func TestConvertUnit(t *testing.T) {
	carbon := Theme{Key: "carbon", Unit: "tonnes CO2e"}
	waste := Theme{Key: "waste", Unit: "tonnes"}
	sponsorship := Theme{Key: "sponsorship", Unit: "£"}
	buyLocal := Theme{Key: "buy-local", Unit: "£ local spend"}
	hours := Theme{Key: "volunteering", Unit: "hours"}
	apprentices := Theme{Key: "apprenticeships", Unit: "weeks of apprenticeship"}
	schools := Theme{Key: "schools", Unit: "placement weeks"}
	fte := Theme{Key: "local-hiring", Unit: "people (FTE)"}
	fairPay := Theme{Key: "fair-pay", Unit: "% staff on the real Living Wage"}
	own := Theme{Key: "trees", Unit: "trees planted"}
	tests := []struct {
		theme     Theme
		unit      string
		factor    float64
		canonical string
	}{
		{carbon, "", 1, "tonnes CO2e"},
		{carbon, "tonnes CO2e", 1, "tonnes CO2e"},
		{carbon, "  Tonnes   co2e ", 1, "tonnes CO2e"},
		{carbon, "t", 1, "tonnes CO2e"},
		{carbon, "tCO2e", 1, "tonnes CO2e"},
		{carbon, "tonne", 1, "tonnes CO2e"},
		{carbon, "kg", 0.001, "kg CO2e"},
		{carbon, "KG", 0.001, "kg CO2e"},
		{carbon, "kgCO2e", 0.001, "kg CO2e"},
		{carbon, "kg CO₂e", 0.001, "kg CO2e"},
		{waste, "kg", 0.001, "kg"},
		{waste, "Tonnes", 1, "tonnes"},
		{sponsorship, "GBP", 1, "£"},
		{sponsorship, "k£", 1000, "£k"},
		{sponsorship, "£ k", 1000, "£k"},
		{buyLocal, "£", 1, "£ local spend"},
		{buyLocal, "£k", 1000, "£k"},
		{hours, "hrs", 1, "hours"},
		{hours, "h", 1, "hours"},
		{hours, "Minutes", 1.0 / 60, "minutes"},
		{hours, "mins", 1.0 / 60, "minutes"},
		{apprentices, "weeks", 1, "weeks of apprenticeship"},
		{schools, "week", 1, "placement weeks"},
		{fte, "FTE", 1, "people (FTE)"},
		{fte, "persons", 1, "people (FTE)"},
		{fairPay, "%", 1, "% staff on the real Living Wage"},
		{fairPay, "per cent", 1, "% staff on the real Living Wage"},
		{own, "Trees Planted", 1, "trees planted"},
	}
	for _, tt := range tests {
		f, c, err := ConvertUnit(tt.theme, tt.unit)
		if err != nil || f != tt.factor || c != tt.canonical {
			t.Errorf("ConvertUnit(%s, %q) = %g, %q, %v; want %g, %q", tt.theme.Unit, tt.unit, f, c, err, tt.factor, tt.canonical)
		}
	}
}

func TestConvertUnitRefuses(t *testing.T) {
	tests := []struct {
		theme Theme
		unit  string
		want  []string
	}{
		{Theme{Key: "sponsorship", Unit: "£"}, "raffle prizes",
			[]string{"sponsorship is counted in £", "give the value in £ (or £k)", "describe the raffle prizes in the text"}},
		{Theme{Key: "carbon", Unit: "tonnes CO2e"}, "trees", []string{"carbon is counted in tonnes CO2e", "(or kg CO2e)"}},
		{Theme{Key: "waste", Unit: "tonnes"}, "hours", []string{"waste is counted in tonnes"}},
		{Theme{Key: "volunteering", Unit: "hours"}, "days", []string{"volunteering is counted in hours", "(or minutes)"}},
		{Theme{Key: "apprenticeships", Unit: "weeks of apprenticeship"}, "apprentices", []string{"give the value in weeks of apprenticeship and"}},
		{Theme{Key: "fair-pay", Unit: "% staff on the real Living Wage"}, "staff", []string{"fair-pay is counted in %"}},
		// A community's own theme takes only its own unit.
		{Theme{Key: "trees", Unit: "trees planted"}, "t", []string{"trees is counted in trees planted"}},
	}
	for _, tt := range tests {
		_, _, err := ConvertUnit(tt.theme, tt.unit)
		if err == nil || ErrorCode(err) != Invalid {
			t.Errorf("ConvertUnit(%s, %q): got %v, want an Invalid refusal", tt.theme.Unit, tt.unit, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("ConvertUnit(%s, %q): %q lacks %q", tt.theme.Unit, tt.unit, err, w)
			}
		}
	}
}

func TestSameUnit(t *testing.T) {
	u := func(unit string) Theme { return Theme{Unit: unit} }
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"hours", "hours", true},
		{"£", "£ local spend", true},
		{"weeks of apprenticeship", "placement weeks", true},
		{"people (FTE)", "FTE", true},
		{"% staff on the real Living Wage", "% invoices paid within 30 days", false}, // different measures
		{"tonnes CO2e", "tonnes", false},
		{"£", "tonnes", false},
		{"trees planted", "trees", false},
	} {
		if got := SameUnit(u(tt.a), u(tt.b)); got != tt.want {
			t.Errorf("SameUnit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
