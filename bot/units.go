package bot

import "strings"

// A unitFamily lists the units a pledge may give for themes counted in one
// of Themes, each with its factor to the theme's unit. Spellings compare
// case-insensitively with spaces ignored ("kg CO2e" is "kgco2e"); a theme
// unit ending in "*" matches every unit that starts with what comes before
// it ("%*": "% staff on the real Living Wage").
type unitFamily struct {
	Themes []string
	Units  []unitSpelling
	// Distinct families share spellings but not meaning: a Living Wage
	// share and a share of invoices paid on time are both "%", yet a
	// pledge may not carry its value from one theme to the other.
	Distinct bool
	// Percent families count a part of a whole: on a rate theme, a share
	// that can't be below 0 or over 100 (CheckShare). Their units all
	// convert at factor 1, so a share reads the same in any of them.
	Percent bool
}

// unitSpelling is one unit: its factor to the theme's unit, the spelling
// stored and shown ("" for the theme's own unit when Factor is 1), and the
// ways people write it.
type unitSpelling struct {
	Factor    float64
	Canonical string
	Spellings []string
}

// unitFamilies is the whole conversion table. A theme whose unit is in no
// family (a community's own theme) takes only its own unit.
var unitFamilies = []unitFamily{
	{Themes: []string{"tonnes CO2e", "t CO2e", "tCO2e"}, Units: []unitSpelling{
		{1, "", []string{"t", "tonne", "tonnes", "tCO2e", "tonne CO2e", "tonnes CO2e", "tCO2", "tonnes CO2"}},
		{0.001, "kg CO2e", []string{"kg", "kgs", "kilogram", "kilograms", "kgCO2e", "kg CO2e", "kgCO2", "kilograms CO2e"}},
	}},
	{Themes: []string{"tonnes", "t"}, Units: []unitSpelling{
		{1, "", []string{"t", "tonne", "tonnes"}},
		{0.001, "kg", []string{"kg", "kgs", "kilogram", "kilograms"}},
	}},
	{Themes: []string{"£", "£ local spend", "GBP"}, Units: []unitSpelling{
		{1, "", []string{"£", "GBP", "pound", "pounds"}},
		{1000, "£k", []string{"£k", "k£", "GBPk", "kGBP", "thousand pounds"}},
	}},
	{Themes: []string{"hours"}, Units: []unitSpelling{
		{1, "", []string{"hour", "hours", "h", "hr", "hrs"}},
		{1.0 / 60, "minutes", []string{"minute", "minutes", "min", "mins"}},
	}},
	{Themes: []string{"weeks of apprenticeship", "placement weeks", "weeks"}, Units: []unitSpelling{
		{1, "", []string{"week", "weeks", "wk", "wks"}},
	}},
	{Themes: []string{"people (FTE)", "FTE", "people"}, Units: []unitSpelling{
		{1, "", []string{"FTE", "people", "person", "persons"}},
	}},
	{Themes: []string{"%*"}, Units: []unitSpelling{
		{1, "", []string{"%", "percent", "per cent", "pc"}},
	}, Distinct: true, Percent: true},
}

// unitKey is how spellings compare: lower case, no spaces, CO₂ as CO2.
func unitKey(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "₂", "2"))
	return strings.Join(strings.Fields(s), "")
}

func (f unitFamily) covers(themeUnit string) bool {
	k := unitKey(themeUnit)
	for _, t := range f.Themes {
		if p, ok := strings.CutSuffix(t, "*"); ok && strings.HasPrefix(k, unitKey(p)) || unitKey(t) == k {
			return true
		}
	}
	return false
}

func familyOf(themeUnit string) (unitFamily, bool) {
	for _, f := range unitFamilies {
		if f.covers(themeUnit) {
			return f, true
		}
	}
	return unitFamily{}, false
}

// ConvertUnit reads the unit a person gave for a pledge on theme t: the
// factor from it to the theme's unit (Target and Progress are stored in
// the theme's unit, multiplied by it) and its canonical spelling. No unit,
// the theme's own or any spelling of it gives factor 1 and the theme's
// unit. A unit that does not convert is refused, saying what to give.
func ConvertUnit(t Theme, unit string) (factor float64, canonical string, err error) {
	k := unitKey(unit)
	if k == "" || k == unitKey(t.Unit) {
		return 1, t.Unit, nil
	}
	f, ok := familyOf(t.Unit)
	var others []string
	if ok {
		for _, u := range f.Units {
			for _, s := range u.Spellings {
				if unitKey(s) != k {
					continue
				}
				if u.Factor == 1 || u.Canonical == "" {
					return u.Factor, t.Unit, nil
				}
				return u.Factor, u.Canonical, nil
			}
			if u.Canonical != "" {
				others = append(others, u.Canonical)
			}
		}
	}
	or := ""
	if len(others) > 0 {
		or = " (or " + strings.Join(others, ", ") + ")"
	}
	return 0, "", Errorf(Invalid, "%s is counted in %s, so unit:%s can't be used: give the value in %s%s and describe the %s in the text.",
		t.Key, t.Unit, clip(strings.TrimSpace(unit), 40), t.Unit, or, clip(strings.TrimSpace(unit), 40))
}

// SameUnit reports whether amounts of theme a count as they are in theme
// b: the same unit, or units of one family with the same measure of one
// ("weeks of apprenticeship" and "placement weeks" are both weeks; "£" and
// "£ local spend" both pounds). Tonnes CO2e and tonnes of waste are not.
func SameUnit(a, b Theme) bool {
	if unitKey(a.Unit) == unitKey(b.Unit) {
		return true
	}
	f, ok := familyOf(a.Unit)
	return ok && !f.Distinct && f.covers(b.Unit)
}

// UnitWord reports whether word is a unit spelling of any theme, so the
// parser can tell "target:800 kg" (a unit given where a number was
// expected) from text that follows a number.
func UnitWord(word string) bool {
	k := unitKey(word)
	if k == "" {
		return false
	}
	for _, f := range unitFamilies {
		for _, u := range f.Units {
			for _, s := range u.Spellings {
				if unitKey(s) == k {
					return true
				}
			}
		}
	}
	return false
}
