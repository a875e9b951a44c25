package bot

import "strings"

// The statutory wording of the Companies Act 2006 section 172, held here
// and nowhere else: help text, /s172 factors and statements quote it from
// these values, and a test checks every quotation they make against them.
//
// Source: Companies Act 2006 c. 46, s. 172, as published at
// https://www.legislation.gov.uk/ukpga/2006/46/section/172 (Crown
// copyright, Open Government Licence v3.0). Checked on 5 December 2026
// against that text as quoted in published commentary (the Act's text of
// s172(1) in Felgate's textbook extract and the coggle summary of s.172(1),
// and s172(2)-(3) as quoted in full in a public repository), since the
// project's reference search does not store legislation.gov.uk itself.
// The factor clauses are kept without their list punctuation (the ", and"
// after (e)); S172Subsection1 puts it back.

// S172Lead is s172(1) up to the list of factors.
const S172Lead = "A director of a company must act in the way he considers, in good faith, would be most likely to promote " +
	"the success of the company for the benefit of its members as a whole, and in doing so have regard (amongst other matters) to"

// FactorNames is each s172(1) paragraph, (a) to (f), word for word.
var FactorNames = map[string]string{
	"a": "the likely consequences of any decision in the long term",
	"b": "the interests of the company's employees",
	"c": "the need to foster the company's business relationships with suppliers, customers and others",
	"d": "the impact of the company's operations on the community and the environment",
	"e": "the desirability of the company maintaining a reputation for high standards of business conduct",
	"f": "the need to act fairly as between members of the company",
}

// S172Subsection2 is s172(2): the success of a company with purposes
// beyond its members' benefit (community interest and charitable
// companies).
const S172Subsection2 = "Where or to the extent that the purposes of the company consist of or include purposes other than " +
	"the benefit of its members, subsection (1) has effect as if the reference to promoting the success of the company " +
	"for the benefit of its members were to achieving those purposes."

// S172Subsection3 is s172(3): the duty yields to rules requiring regard to
// creditors.
const S172Subsection3 = "The duty imposed by this section has effect subject to any enactment or rule of law requiring " +
	"directors, in certain circumstances, to consider or act in the interests of creditors of the company."

// S172Subsection1 is s172(1) whole, on one line, with the Act's list
// punctuation: "... to— (a) ..., (b) ..., ... (e) ..., and (f) ....".
func S172Subsection1() string {
	var b strings.Builder
	b.WriteString(S172Lead + "—")
	for i, l := range Factors {
		b.WriteString(" (" + l + ") " + FactorNames[l])
		switch {
		case i == len(Factors)-1:
			b.WriteString(".")
		case i == len(Factors)-2:
			b.WriteString(", and")
		default:
			b.WriteString(",")
		}
	}
	return b.String()
}

// S172Wording is every statutory text held, for the test that checks
// quotations against it.
func S172Wording() []string {
	return []string{S172Subsection1(), S172Subsection2, S172Subsection3}
}

// IsStatutoryQuote reports whether q, a quotation the bot makes, appears
// word for word in the held wording. Runs of spaces count as one, and a
// quotation may be any part of a subsection.
func IsStatutoryQuote(q string) bool {
	q = strings.Join(strings.Fields(q), " ")
	if q == "" {
		return false
	}
	for _, w := range S172Wording() {
		if strings.Contains(w, q) {
			return true
		}
	}
	return false
}

// Quote marks a statutory quotation so readers (and the quotation test)
// can tell the Act's words from the bot's: “...”.
func Quote(s string) string { return "“" + s + "”" }
