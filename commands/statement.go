package commands

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// StatementInput is everything a draft s172(1) statement is built from.
type StatementInput struct {
	BusinessName string
	Business     int
	From, To     time.Time // the period, inclusive
	Drafted      time.Time
	Decisions    []bot.Decision // current values are cited
	Pledges      map[int]string // linked pledge number -> its text ("" when not visible)
	Truncated    bool           // more decisions exist than were given
}

// Statement is a built draft.
type Statement struct {
	Markdown string
	Missing  []string // factors with no recorded consideration, as "(b)"
}

const longDate = "2 January 2006"

// BuildStatement drafts a section 172(1) statement in Markdown, organised by
// factor (a)-(f). It is a pure function of its input so it can be tested
// for its wording. User text is escaped so a note cannot add headings,
// links or tables of its own.
func BuildStatement(in StatementInput) Statement {
	ds := append([]bot.Decision(nil), in.Decisions...)
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Current.Date, ds[j].Current.Date
		if !a.Equal(b) {
			return a.Before(b)
		}
		return ds[i].Number < ds[j].Number
	})
	period := fmt.Sprintf("%s to %s", in.From.Format(longDate), in.To.Format(longDate))
	name := md(in.BusinessName)
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }

	p("# DRAFT section 172(1) statement: %s", name)
	p("")
	p("**DRAFT for the directors to review.** Pledgebot assembled this text from the decision records logged for %s (business #%d) "+
		"for decisions taken from %s. It is a starting point, not a finished statement: the directors should check every point, "+
		"add what the records do not cover, and decide what, if anything, to publish.", name, in.Business, period)
	p("")
	p("Under the Companies Act 2006, large companies must include a section 172(1) statement in their strategic report. " +
		"For other companies publishing one is voluntary; some choose to, to show how they weigh the interests of the people their decisions affect.")
	p("")
	p("Section 172(1) asks each director to act in the way they consider, in good faith, would be most likely to promote the " +
		"success of the company for the benefit of its members as a whole, and in doing so to have regard (amongst other matters) " +
		"to the factors (a) to (f) below. For each factor, this draft lists the decisions in the period where the board recorded it as material.")
	p("")

	var missing []string
	for _, l := range bot.Factors {
		p("## (%s) %s", l, capitalise(bot.FactorNames[l]))
		p("")
		n := 0
		for _, d := range ds {
			note := d.Current.Factors[l]
			if note == "" {
				continue
			}
			n++
			line := fmt.Sprintf("- %s: %s", cite(d), sentence(note))
			if d.Current.Outcome != "" {
				line += " Outcome: " + sentence(d.Current.Outcome)
			}
			if refs := pledgeCites(d, in.Pledges); refs != "" {
				line += " Linked pledges: " + refs + "."
			}
			p("%s", line)
		}
		if n == 0 {
			missing = append(missing, "("+l+")")
			p("> **No recorded consideration in this period.** No decision record from %s notes factor (%s). "+
				"The directors should describe how they had regard to it, or explain why it was not material to their decisions.", period, l)
		}
		p("")
	}

	p("## Principal decisions in the period")
	p("")
	if len(ds) == 0 {
		p("No decision records were logged for decisions taken in this period.")
	} else {
		p("| Decision | Date | Factors | Outcome | Linked pledges |")
		p("|---|---|---|---|---|")
		for _, d := range ds {
			var letters []string
			for _, l := range bot.Factors {
				if d.Current.HasFactor(l) {
					letters = append(letters, "("+l+")")
				}
			}
			p("| #%d %s | %s | %s | %s | %s |", d.Number, md(d.Current.Title), d.Current.Date.Format(longDate),
				strings.Join(letters, " "), md(d.Current.Outcome), pledgeCites(d, in.Pledges))
		}
	}
	p("")

	var heard, follow []string
	for _, d := range ds {
		if d.Current.Stakeholders != "" || d.Current.Options != "" || d.Current.Tradeoffs != "" {
			line := "- " + cite(d) + ":"
			if d.Current.Options != "" {
				line += " Options considered: " + sentence(d.Current.Options)
			}
			if d.Current.Stakeholders != "" {
				line += " Stakeholders and how they were heard: " + sentence(d.Current.Stakeholders)
			}
			if d.Current.Tradeoffs != "" {
				line += " Trade-offs accepted: " + sentence(d.Current.Tradeoffs)
			}
			heard = append(heard, line)
		}
		if d.Current.Followups != "" || !d.Current.Review.IsZero() {
			line := "- " + cite(d) + ":"
			if d.Current.Followups != "" {
				line += " " + sentence(d.Current.Followups)
			}
			if !d.Current.Review.IsZero() {
				line += " Review due " + d.Current.Review.Format(longDate) + "."
			}
			follow = append(follow, line)
		}
	}
	if len(heard) > 0 {
		p("## Stakeholders, options and trade-offs")
		p("")
		p("%s", strings.Join(heard, "\n"))
		p("")
	}
	if len(follow) > 0 {
		p("## Follow-up and review")
		p("")
		p("%s", strings.Join(follow, "\n"))
		p("")
	}

	p("## Factors with no recorded consideration")
	p("")
	if len(missing) == 0 {
		p("None: each of the factors (a) to (f) is noted in at least one decision record in the period.")
	} else {
		word := "factor"
		if len(missing) > 1 {
			word = "factors"
		}
		p("No decision record in the period notes %s %s. Records show what was written down at the time; "+
			"the directors may still have had regard to these matters and should say so here if they did.", word, strings.Join(missing, ", "))
	}
	p("")
	p("---")
	p("")
	if in.Truncated {
		p("_Only the latest %d decision records of the period are included; narrow the period to see the rest._", len(ds))
		p("")
	}
	p("_Draft generated by Pledgebot on %s from %s. It includes board (confidential) records because it is for the directors: "+
		"check what may be shared before publishing anything._", in.Drafted.Format(longDate), plural(len(ds), "decision record", "decision records"))
	return Statement{Markdown: b.String(), Missing: missing}
}

// cite is how the statement refers to a decision: number, title and date.
func cite(d bot.Decision) string {
	return fmt.Sprintf("**Decision #%d, %s** (%s)", d.Number, md(d.Current.Title), d.Current.Date.Format(longDate))
}

func pledgeCites(d bot.Decision, texts map[int]string) string {
	var out []string
	for _, n := range d.Current.Pledges {
		if t := texts[n]; t != "" {
			out = append(out, fmt.Sprintf("pledge #%d %s", n, md(t)))
		} else {
			out = append(out, fmt.Sprintf("pledge #%d", n))
		}
	}
	return strings.Join(out, "; ")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// mdEscaper backslash-escapes the characters that would let user text start
// Markdown structure (headings, emphasis, links, HTML, table cells).
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`,
	`|`, `\|`, `#`, `\#`, `~`, `\~`, `!`, `\!`,
)

// sentence is md(s) ending with a full stop, so notes run on cleanly.
func sentence(s string) string {
	out := md(s)
	if out != "" && !strings.ContainsRune(".!?", rune(s[len(strings.TrimSpace(s))-1])) {
		out += "."
	}
	return out
}

// md makes user text safe inline Markdown: one line, structure escaped.
func md(s string) string {
	return mdEscaper.Replace(strings.Join(strings.Fields(s), " "))
}
