package bot

import (
	"strings"
	"unicode/utf8"
)

// synonyms are words people type for a name in the spec or a theme key:
// the left side is read as the right wherever the right is a choice.
var synonyms = map[string]string{
	"volunteers": "volunteering", "volunteer": "volunteering", "volunteered": "volunteering",
	"apprentices": "apprenticeships", "apprentice": "apprenticeships",
	"hiring": "local-hiring", "jobs": "local-hiring", "local-jobs": "local-hiring",
	"suppliers": "buy-local", "local-spend": "buy-local", "procurement": "buy-local",
	"donations": "sponsorship", "donation": "sponsorship", "sponsor": "sponsorship",
	"co2": "carbon", "emissions": "carbon", "recycling": "waste", "landfill": "waste",
	"living-wage": "fair-pay", "wages": "fair-pay", "invoices": "prompt-payment",
	"mentoring": "expert-help", "pro-bono": "expert-help", "placements": "schools", "work-experience": "schools",
	"new": "add", "create": "add", "make": "add", "log": "progress", "update": "progress",
	"delete": "withdraw", "remove": "withdraw", "cancel": "withdraw", "complete": "done", "finish": "done",
	"view": "show", "ls": "list", "info": "show",
}

// Suggest is the name among names that word was most likely meant to be,
// or "": the same name spelt with other separators or case (buylocal,
// buy_local), a known synonym (volunteers), the one name word begins
// (prog), or the nearest by edit distance within a margin that grows with
// the word (plege, volunteerng).
func Suggest(word string, names []string) string {
	w := strings.ToLower(strings.TrimSpace(word))
	if w == "" || utf8.RuneCountInString(w) > 40 {
		return ""
	}
	for _, n := range names {
		if squash(n) == squash(w) {
			return n
		}
	}
	if s, ok := synonyms[w]; ok && contains(names, s) {
		return s
	}
	if p := onlyPrefix(w, names); p != "" {
		return p
	}
	best, bestDist := "", maxDistance(w)+1
	for _, n := range names {
		if d := editDistance(w, strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// DidYouMean is Suggest as the end of a message: ` Did you mean "x"?`, or
// "" when nothing is close.
func DidYouMean(word string, names []string, format string) string {
	if s := Suggest(word, names); s != "" {
		return " Did you mean " + strings.ReplaceAll(format, "%s", s) + "?"
	}
	return ""
}

func squash(s string) string {
	return strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(s))
}

func contains(names []string, s string) bool {
	for _, n := range names {
		if n == s {
			return true
		}
	}
	return false
}

// onlyPrefix is the one name that word (two letters or more) begins, or
// that begins with all but its last letter ("volunteers" for volunteering).
func onlyPrefix(w string, names []string) string {
	if len(w) < 2 {
		return ""
	}
	begins := func(p string) string {
		var found []string
		for _, n := range names {
			if strings.HasPrefix(strings.ToLower(n), p) {
				found = append(found, n)
			}
		}
		if len(found) == 1 {
			return found[0]
		}
		return ""
	}
	if n := begins(w); n != "" || utf8.RuneCountInString(w) < 5 {
		return n
	}
	_, last := utf8.DecodeLastRuneInString(w)
	return begins(w[:len(w)-last])
}

// maxDistance is how many edits a word may be from the name it meant: one
// in a short word, two in a middling one, three in a long one.
func maxDistance(w string) int {
	switch n := utf8.RuneCountInString(w); {
	case n <= 2:
		return 0
	case n <= 5:
		return 1
	case n <= 9:
		return 2
	}
	return 3
}

// editDistance counts insertions, deletions, substitutions and swaps of
// two neighbours (optimal string alignment), by rune.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev2, prev, cur := make([]int, len(y)+1), make([]int, len(y)+1), make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}
