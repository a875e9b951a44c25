package bot

import "strings"

// PostcodeDistrict is a postcode's first part, its district ("CB1" of
// "CB1 2AB"); a district alone is itself.
func PostcodeDistrict(postcode string) string {
	district, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(postcode)), " ")
	return district
}

// PostcodeArea is a postcode's area, the letters its district starts with
// ("CB" of "CB1 2AB", "E" of "E14"); "" when it starts with none.
func PostcodeArea(postcode string) string {
	d := PostcodeDistrict(postcode)
	return d[:len(d)-len(strings.TrimLeft(d, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))]
}

// InArea says whether a place (a postcode or its first part) lies in a
// filter's postcode area (CB) or district (CB1); no filter takes all, and
// a place without a postcode is in no area.
func InArea(place, filter string) bool {
	if filter == "" {
		return true
	}
	d := PostcodeDistrict(place)
	return d != "" && (d == filter || PostcodeArea(place) == filter)
}
