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
	Business     bot.Business
	From, To     time.Time // the financial year, inclusive
	Basis        string    // how the year was chosen, e.g. "the year end you gave"
	Drafted      time.Time
	Decisions    []bot.Decision    // current values are cited
	Pledges      map[int]string    // linked pledge number -> its text ("" when not visible)
	Stakeholders []bot.Stakeholder // the business's register
	Truncated    bool              // more decisions exist than were given
}

// Statement is a built draft.
type Statement struct {
	Markdown string
	Missing  []string // factors with no recorded consideration, as "(b)"
}

const longDate = "2 January 2006"

// frcLine closes every draft: what it is not, and where the guidance is.
const frcLine = "This is a draft for the directors to review, not legal advice. For what a section 172(1) statement should " +
	"contain, see the Financial Reporting Council's Guidance on the Strategic Report and the FRC Lab's reports on section 172 statements."

// BuildStatement drafts a section 172(1) statement in Markdown for one
// financial year, organised by key stakeholder groups and principal
// decisions, as the FRC asks, rather than factor by factor. It is a pure
// function of its input so its wording can be tested. User text is escaped
// so a note cannot add headings, links or tables of its own; quotations of
// the Act come from the wording held in package bot.
func BuildStatement(in StatementInput) Statement {
	ds := append([]bot.Decision(nil), in.Decisions...)
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Current.Date, ds[j].Current.Date
		if !a.Equal(b) {
			return a.Before(b)
		}
		return ds[i].Number < ds[j].Number
	})
	w := &writer{in: in}
	w.heading(ds)
	w.duty()
	w.groups(ds)
	w.principal(ds)
	missing := w.missing(ds)
	w.footer(ds)
	return Statement{Markdown: w.b.String(), Missing: missing}
}

type writer struct {
	in StatementInput
	b  strings.Builder
}

func (w *writer) p(format string, args ...any) { fmt.Fprintf(&w.b, format+"\n", args...) }

func (w *writer) company() bool { return w.in.Business.Form == "" || bot.IsCompany(w.in.Business.Form) }

// who decides: a business that is not a company has no directors.
func (w *writer) who() string {
	if w.company() {
		return "directors"
	}
	return "owners"
}

func (w *writer) heading(ds []bot.Decision) {
	b, name := w.in.Business, md(w.in.Business.Name)
	period := fmt.Sprintf("%s to %s", w.in.From.Format(longDate), w.in.To.Format(longDate))
	if w.company() {
		w.p("# DRAFT section 172(1) statement: %s", name)
	} else {
		w.p("# DRAFT record of decisions and stakeholders: %s (voluntary good practice)", name)
	}
	w.p("")
	w.p("**DRAFT for the %[5]s to review.** Pledgebot assembled this text from the decision records logged for %[1]s (business #%[2]d) "+
		"for the financial year %[3]s (%[4]s). It is a starting point, not a finished statement: the %[5]s should check every point, "+
		"add what the records do not cover, and decide what, if anything, to publish.", name, b.Number, period, w.in.Basis, w.who())
	w.p("")
	w.p("## Is a statement required?")
	w.p("")
	cs := b.SizeFor(w.in.From)
	switch {
	case b.Form == "":
		w.p("The business's legal form is not recorded (set it with /business edit form:). Section 172 binds the directors of companies. " +
			"Large companies must include a section 172(1) statement in their strategic report (Companies Act 2006 s414CZA) and publish it on their website (s426B); " +
			"for other companies it is voluntary.")
	case !bot.IsCompany(b.Form):
		w.p("Section 172 of the Companies Act 2006 binds company directors, and a %s is not a company. This is therefore not a section 172(1) "+
			"statement: it sets out, as voluntary good practice, how decisions in the year weighed the people they affect, using the matters "+
			"section 172(1) lists as a checklist.", bot.FormName(b.Form))
	case cs.Size == bot.SizeLarge:
		w.p("%s is recorded as a large %s (%s). Large companies must include a section 172(1) statement in their strategic report "+
			"for the year (Companies Act 2006 s414CZA) and publish that statement on their website (s426B).", name, bot.FormName(b.Form), sizeBasis(cs))
	case cs.Size != "":
		w.p("%s is recorded as a %s %s (%s). Only large companies must include a section 172(1) statement in their strategic report; "+
			"for %s it is voluntary, and its directors owe the section 172 duty all the same.", name, cs.Size, bot.FormName(b.Form), sizeBasis(cs), withArticle(cs.Size+" company"))
	default:
		w.p("%s's size is not recorded (set size: or the figures with /business edit). Large companies must include a section 172(1) statement "+
			"in their strategic report (Companies Act 2006 s414CZA) and publish it on their website (s426B); for other companies it is voluntary.", name)
	}
	w.p("")
}

// sizeBasis says where a size came from, for the statement.
func sizeBasis(cs bot.CompanySize) string {
	if cs.Worked {
		return "worked out from the figures recorded: " + cs.Limits.Describe() + "; the Act looks at two consecutive years, which the directors should confirm"
	}
	return "as declared"
}

func (w *writer) duty() {
	b := w.in.Business
	w.p("## The duty")
	w.p("")
	if !w.company() {
		w.p("Section 172 does not bind a %s. The matters it lists are a useful checklist: the long term, employees, suppliers and customers, "+
			"the community and the environment, a reputation for high standards, and fairness.", bot.FormName(b.Form))
		w.p("")
		return
	}
	w.p("Section 172(1): %s", bot.Quote(bot.S172Subsection1()))
	w.p("")
	if bot.HasWiderPurposes(b.Form) {
		w.p("As a %s, %s is one whose purposes include purposes other than the benefit of its members, so section 172(2) applies: %s "+
			"Success, for this statement, means achieving those purposes.", bot.FormName(b.Form), md(b.Name), bot.Quote(bot.S172Subsection2))
		w.p("")
	}
	w.p("Section 172(3): %s", bot.Quote(bot.S172Subsection3))
	w.p("")
}

// groups writes the key stakeholder groups: each one's engagement from the
// register, then the decisions that named it.
func (w *writer) groups(ds []bot.Decision) {
	w.p("## Key stakeholder groups")
	w.p("")
	how := map[string]string{}
	var names []string
	for _, s := range w.in.Stakeholders {
		how[s.Name] = s.How
		names = append(names, s.Name)
	}
	for _, d := range ds {
		for _, g := range d.Current.Groups {
			if _, ok := how[g]; !ok {
				how[g] = ""
				names = append(names, g)
			}
		}
	}
	if len(names) == 0 {
		w.p("No stakeholder groups are recorded. Add the groups the board engages with (/s172 stakeholders add NAME how:...) and name them on decisions with stakeholders:.")
		w.p("")
	}
	for _, g := range names {
		w.p("### %s", md(g))
		w.p("")
		if how[g] != "" {
			w.p("How the board engages with them: %s", sentence(how[g]))
		} else {
			w.p("How the board engages with them: not recorded in the stakeholder register.")
		}
		w.p("")
		n := 0
		for _, d := range ds {
			if !containsGroup(d, g) {
				continue
			}
			n++
			w.p("- %s", w.decisionLine(d))
		}
		if n == 0 {
			w.p("No decision record in the year names this group.")
		}
		w.p("")
	}
	var loose []string
	for _, d := range ds {
		if len(d.Current.Groups) == 0 {
			loose = append(loose, "- "+w.decisionLine(d))
		}
	}
	if len(loose) > 0 && len(names) > 0 {
		w.p("### Decisions that name no stakeholder group")
		w.p("")
		w.p("%s", strings.Join(loose, "\n"))
		w.p("")
	}
}

func containsGroup(d bot.Decision, g string) bool {
	for _, x := range d.Current.Groups {
		if x == g {
			return true
		}
	}
	return false
}

// decisionLine is one decision under a group: what was heard, what was
// decided, and the factors weighed.
func (w *writer) decisionLine(d bot.Decision) string {
	line := cite(d) + amendedMark(d) + ":"
	if d.Current.Stakeholders != "" {
		line += " What the board heard: " + sentence(d.Current.Stakeholders)
	}
	if d.Current.Outcome != "" {
		line += " Decided: " + sentence(d.Current.Outcome)
	}
	return line + " Factors weighed: " + letters(d) + "."
}

func letters(d bot.Decision) string {
	var out []string
	for _, l := range bot.Factors {
		if d.Current.HasFactor(l) {
			out = append(out, "("+l+")")
		}
	}
	if len(out) == 0 {
		return "none recorded"
	}
	return strings.Join(out, ", ")
}

// principal writes the principal decisions in full, and lists the others.
func (w *writer) principal(ds []bot.Decision) {
	w.p("## Principal decisions")
	w.p("")
	var main, other []bot.Decision
	for _, d := range ds {
		if d.Current.Principal == "yes" {
			main = append(main, d)
		} else {
			other = append(other, d)
		}
	}
	switch {
	case len(ds) == 0:
		w.p("No decision records were logged for decisions taken in this year.")
		w.p("")
		return
	case len(main) == 0:
		w.p("No record is marked as a principal decision (principal:yes), so every decision of the year is set out below; " +
			"the directors should choose the principal ones (/s172 amend N principal:yes).")
		w.p("")
		main, other = ds, nil
	}
	for _, d := range main {
		w.decision(d)
	}
	if len(other) > 0 {
		w.p("## Other decisions recorded in the year")
		w.p("")
		w.p("| Decision | Date | Factors weighed | Outcome |")
		w.p("|---|---|---|---|")
		for _, d := range other {
			w.p("| #%d %s%s | %s | %s | %s |", d.Number, md(d.Current.Title), amendedMark(d), d.Current.Date.Format(longDate), letters(d), md(d.Current.Outcome))
		}
		w.p("")
	}
}

// decision sets out one principal decision: who decided and when, what
// was weighed and why.
func (w *writer) decision(d bot.Decision) {
	c := d.Current
	w.p("### Decision #%d: %s (%s)%s", d.Number, md(c.Title), c.Date.Format(longDate), amendedMark(d))
	w.p("")
	var who []string
	if !c.Meeting.IsZero() {
		who = append(who, "at the board meeting of "+c.Meeting.Format(longDate))
	}
	if c.Directors != "" {
		who = append(who, "by "+md(c.Directors))
	}
	if len(who) > 0 {
		w.p("- Decided %s.", strings.Join(who, " "))
	} else {
		w.p("- Who decided, and at which meeting, is not recorded.")
	}
	if c.Options != "" {
		w.p("- Options considered: %s", sentence(c.Options))
	}
	if len(c.Groups) > 0 {
		w.p("- Stakeholder groups: %s.", md(strings.Join(c.Groups, ", ")))
	}
	if c.Stakeholders != "" {
		w.p("- What the board heard: %s", sentence(c.Stakeholders))
	}
	for _, l := range bot.Factors {
		if note := c.Factors[l]; note != "" {
			w.p("- (%s) %s: %s", l, capitalise(bot.FactorNames[l]), sentence(note))
		}
	}
	if c.Tradeoffs != "" {
		w.p("- Trade-offs accepted: %s", sentence(c.Tradeoffs))
	}
	if c.Outcome != "" {
		w.p("- Decided, and why: %s", sentence(c.Outcome))
	}
	if refs := pledgeCites(d, w.in.Pledges); refs != "" {
		w.p("- Linked pledges: %s.", refs)
	}
	if c.Followups != "" || !c.Review.IsZero() {
		line := "- Follow-up:"
		if c.Followups != "" {
			line += " " + sentence(c.Followups)
		}
		if !c.Review.IsZero() {
			line += " Review due " + c.Review.Format(longDate) + "."
		}
		w.p("%s", line)
	}
	w.p("")
}

// amendedMark flags a record changed after its decision date, with the
// dates of those amendments.
func amendedMark(d bot.Decision) string {
	var dates []string
	seen := map[string]bool{}
	for _, a := range d.Amendments {
		day := a.At.UTC().Truncate(24 * time.Hour)
		if !day.After(d.Current.Date) {
			continue
		}
		if s := day.Format(longDate); !seen[s] {
			seen[s] = true
			dates = append(dates, s)
		}
	}
	if len(dates) == 0 {
		return ""
	}
	return " _(record amended after the decision, on " + strings.Join(dates, ", ") + ")_"
}

func (w *writer) missing(ds []bot.Decision) []string {
	var missing []string
	for _, l := range bot.Factors {
		found := false
		for _, d := range ds {
			found = found || d.Current.HasFactor(l)
		}
		if !found {
			missing = append(missing, "("+l+")")
		}
	}
	w.p("## Matters with no recorded consideration")
	w.p("")
	if len(missing) == 0 {
		w.p("None: each of the matters (a) to (f) is noted in at least one decision record of the year.")
	} else {
		var named []string
		for _, m := range missing {
			named = append(named, m+" "+bot.FactorNames[m[1:2]])
		}
		w.p("No decision record of the year notes %s. Records show what was written down at the time; "+
			"the %s may still have had regard to these matters and should say so here if they did.", strings.Join(named, "; "), w.who())
	}
	w.p("")
	return missing
}

func (w *writer) footer(ds []bot.Decision) {
	w.p("---")
	w.p("")
	if w.in.Truncated {
		w.p("_Only the latest %d decision records of the year are included; the rest were left out._", len(ds))
		w.p("")
	}
	label := ""
	if !w.company() {
		label = " Kept as " + voluntaryLabel + "."
	}
	w.p("_Draft generated by Pledgebot on %s from %s. It includes board (confidential) records because it is for the %s: "+
		"check what may be shared before publishing anything.%s_", w.in.Drafted.Format(longDate), plural(len(ds), "decision record", "decision records"), w.who(), label)
	w.p("")
	w.p("_%s_", strings.Replace(frcLine, "directors", w.who(), 1))
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
