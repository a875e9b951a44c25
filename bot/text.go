package bot

import (
	"fmt"
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
	if p.Target <= 0 {
		return "delivered " + FormatAmount(p.Done, p.Unit)
	}
	pct := p.Percent()
	filled := min(pct, 100) / 10
	bar := strings.Repeat("█", filled) + strings.Repeat("░", 10-filled)
	return fmt.Sprintf("%s %d%% (%s of %s)", bar, pct, FormatNumber(p.Done), FormatAmount(p.Target, p.Unit))
}

// FormatNumber prints a number without float noise: 2, 2.5, 20,000.
func FormatNumber(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i > 3 {
		s = strconv.FormatFloat(f, 'f', 2, 64)
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
		return string(out) + "." + frac
	}
	return string(out)
}

// FormatAmount prints a number with its unit, "£" before money.
func FormatAmount(f float64, unit string) string {
	switch unit {
	case "":
		return FormatNumber(f)
	case "£", "£ local spend", "GBP":
		return "£" + FormatNumber(f)
	}
	return FormatNumber(f) + " " + unit
}
