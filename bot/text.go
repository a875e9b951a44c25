package bot

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// PlainText renders a reply as plain text: the console prints it, chat
// adapters use it as notification fallback text.
func PlainText(r Reply) string {
	if r.Err != nil {
		return "Sorry: " + r.Err.Message
	}
	var b strings.Builder
	line := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	line(r.Title)
	line(r.Text)
	for _, it := range r.Items {
		line("• " + it.Title)
		if it.Text != "" {
			line("  " + strings.ReplaceAll(it.Text, "\n", "\n  "))
		}
		if it.Progress != nil {
			line("  " + ProgressLine(*it.Progress))
		}
	}
	for _, f := range r.Fields {
		line(f.Label + ": " + f.Value)
	}
	if len(r.Actions) > 0 {
		var acts []string
		for _, a := range r.Actions {
			acts = append(acts, a.Label+": /"+a.Command)
		}
		line("→ " + strings.Join(acts, " · "))
	}
	if r.File != nil {
		line("(file " + r.File.Name + ")")
	}
	out := strings.TrimRight(b.String(), "\n")
	return RenderMentions(out, func(s string) string { return s }, PlainMention)
}

// ProgressLine shows progress as a bar, a percentage and amounts.
func ProgressLine(p Progress) string {
	pct, ok := RoundPercent(p.Done, p.Target)
	if !ok {
		return "delivered " + FormatAmount(p.Done, p.Unit)
	}
	filled := max(min(pct, 100), 0) / 10
	bar := strings.Repeat("█", filled) + strings.Repeat("░", 10-filled)
	return fmt.Sprintf("%s %d%% (%s of %s)", bar, pct, FormatNumber(p.Done), FormatAmount(p.Target, p.Unit))
}

// The rounding rule, the one every surface uses (chat, CSV, JSON, the
// report page, the digest):
//
//   - A percentage is computed from unrounded amounts, then rounded to a
//     whole percent, half away from zero: 20.5 → 21, 20.49 → 20, −0.5 → −1.
//   - An amount is rounded to at most 2 decimal places, half away from
//     zero, trailing zeros dropped: 46.1764705882353 → 46.18, 2.50 → 2.5,
//     0.005 → 0.01.
//   - Float noise is dropped first (a value is read to 15 significant
//     digits and 9 decimal places), so 0.1+0.2 is 0.3 and a computed
//     20.499999999999996 counts as the 20.5 it stands for.
//
// Chat and the report page print amounts with thousands separators
// (FormatNumber); CSV and JSON carry the same digits without them
// (PlainNumber, or the float64 of RoundAmount).

// RoundAmount rounds an amount by the rounding rule: at most 2 decimal
// places, half away from zero.
func RoundAmount(f float64) float64 { return roundDecimal(f, 2) }

// RoundPercent is done as a share of target in whole percent, by the
// rounding rule; ok is false when there is no (positive) target.
func RoundPercent(done, target float64) (pct int, ok bool) {
	if target <= 0 {
		return 0, false
	}
	return WholePercent(done * 100 / target), true
}

// WholePercent rounds a percentage already computed (or reported, as a
// rate theme's values are) to a whole percent, half away from zero.
func WholePercent(p float64) int { return int(roundDecimal(p, 0)) }

// PlainNumber prints an amount rounded by the rule, without thousands
// separators: 46.18, 2.5, 1234567.89 (CSV cells).
func PlainNumber(f float64) string {
	return strconv.FormatFloat(RoundAmount(f), 'f', -1, 64)
}

// FormatNumber prints an amount rounded by the rule, with thousands
// separators: 2, 2.5, 20,000, 1,234,567.89.
func FormatNumber(f float64) string {
	s := PlainNumber(f)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var out []byte
	for i, c := range []byte(intPart) {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	if frac != "" {
		return sign + string(out) + "." + frac
	}
	return sign + string(out)
}

// FormatAmount prints a number with its unit, "£" before money.
func FormatAmount(f float64, unit string) string {
	switch unit {
	case "":
		return FormatNumber(f)
	case "£", "£ local spend", "GBP", "£k":
		sign := ""
		if f < 0 && RoundAmount(f) != 0 {
			sign, f = "-", -f
		}
		if unit == "£k" {
			return sign + "£" + FormatNumber(f) + "k"
		}
		return sign + "£" + FormatNumber(f)
	}
	return FormatNumber(f) + " " + UnitFor(f, unit)
}

// Count is n with its noun: "1 theme", "3 themes".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// singulars are the unit words that change for one of them.
var singulars = map[string]string{
	"hours": "hour", "minutes": "minute", "days": "day", "weeks": "week", "months": "month", "years": "year",
	"tonnes": "tonne", "people": "person", "apprentices": "apprentice", "placements": "placement",
	"volunteers": "volunteer", "pupils": "pupil", "students": "student", "jobs": "job", "roles": "role",
	"invoices": "invoice", "meals": "meal", "trees": "tree", "bikes": "bike", "laptops": "laptop",
}

// UnitFor is the unit as it reads after the amount f: its first plural
// word made singular when f rounds to one ("1 hour", "1 week of
// apprenticeship", "1 placement week", "1 person (FTE)"), else unchanged.
func UnitFor(f float64, unit string) string {
	if math.Abs(RoundAmount(f)) != 1 {
		return unit
	}
	words := strings.Split(unit, " ")
	for i, w := range words {
		if one, ok := singulars[w]; ok {
			words[i] = one
			return strings.Join(words, " ")
		}
	}
	return unit
}

// IsPercentUnit reports whether a unit is a share in percent ("% staff on
// the real Living Wage"): its values are percentages, rounded as such.
func IsPercentUnit(unit string) bool { return strings.HasPrefix(unit, "%") }

// RoundRate rounds a value a rate theme's pledges report (a median, a
// least or greatest value): a whole percent in a percent unit, else an
// amount.
func RoundRate(v float64, unit string) float64 {
	if IsPercentUnit(unit) {
		return float64(WholePercent(v))
	}
	return RoundAmount(v)
}

// FormatRate prints a rate theme's value: "87%" in a percent unit, else as
// an amount with its unit.
func FormatRate(v float64, unit string) string {
	if IsPercentUnit(unit) {
		return strconv.Itoa(WholePercent(v)) + "%"
	}
	return FormatAmount(v, unit)
}

// roundDecimal rounds f to places decimal places, half away from zero,
// on its decimal digits rather than its binary value, after dropping
// float noise (15 significant digits, then 9 decimal places).
func roundDecimal(f float64, places int) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	if f == 0 {
		return 0 // not -0
	}
	neg := f < 0
	// d.dddddddddddddde±XX: 15 significant digits of |f|.
	mant, exp, _ := strings.Cut(strconv.FormatFloat(math.Abs(f), 'e', 14, 64), "e")
	e, _ := strconv.Atoi(exp)
	digits := []byte(strings.Replace(mant, ".", "", 1))
	point := e + 1 // digits before the decimal point
	if point < 0 {
		digits = append([]byte(strings.Repeat("0", -point)), digits...)
		point = 0
	}
	digits, point = roundDigits(digits, point, point+9)
	digits, point = roundDigits(digits, point, point+places)
	var s string
	switch {
	case len(digits) == 0:
		return 0
	case len(digits) <= point:
		s = string(digits) + strings.Repeat("0", point-len(digits))
	default:
		s = string(digits[:point]) + "." + string(digits[point:])
	}
	out, _ := strconv.ParseFloat(s, 64)
	if neg && out != 0 {
		out = -out
	}
	return out
}

// roundDigits keeps the first keep digits, rounding half away from zero
// (the digits are a magnitude); a carry out of the first digit adds one
// before the point.
func roundDigits(digits []byte, point, keep int) ([]byte, int) {
	if keep >= len(digits) {
		return digits, point
	}
	if keep < 0 {
		return []byte{'0'}, max(point, 1)
	}
	up := digits[keep] >= '5'
	digits = digits[:keep]
	if !up {
		return digits, point
	}
	for i := len(digits) - 1; i >= 0; i-- {
		if digits[i] < '9' {
			digits[i]++
			return digits, point
		}
		digits[i] = '0'
	}
	return append([]byte{'1'}, digits...), point + 1
}
