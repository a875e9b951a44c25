package bot

import "testing"

func TestPostcodeArea(t *testing.T) {
	for _, c := range []struct{ in, district, area string }{
		{"CB1 2AB", "CB1", "CB"},
		{"CB1", "CB1", "CB"},
		{"cb12 1ab", "CB12", "CB"},
		{"E14", "E14", "E"},
		{"E1W 1AA", "E1W", "E"},
		{"SW1A 1AA", "SW1A", "SW"},
		{"", "", ""},
		{"123", "123", ""},
	} {
		if d, a := PostcodeDistrict(c.in), PostcodeArea(c.in); d != c.district || a != c.area {
			t.Errorf("%q: district %q area %q, want %q %q", c.in, d, a, c.district, c.area)
		}
	}
}

func TestInArea(t *testing.T) {
	for _, c := range []struct {
		place, filter string
		want          bool
	}{
		{"CB1", "", true},
		{"", "", true},
		{"", "CB", false},
		{"CB1", "CB", true},
		{"CB1 2AB", "CB1", true},
		{"CB12", "CB1", false}, // a district is not a prefix
		{"CB12 1AB", "CB", true},
		{"C1", "CB", false},
		{"E14", "E", true},
		{"EC1", "E", false}, // EC is its own area
		{"SW1A", "SW1A", true},
	} {
		if got := InArea(c.place, c.filter); got != c.want {
			t.Errorf("InArea(%q, %q) = %v, want %v", c.place, c.filter, got, c.want)
		}
	}
}
