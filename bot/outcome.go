package bot

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CleanOutcome is an outcome's text as kept: trimmed, in NFC (so the same
// words typed two ways read and search alike), at most MaxOutcome
// characters after normalising, else an Invalid error.
func CleanOutcome(s string) (string, error) {
	s = norm.NFC.String(strings.TrimSpace(StripFormat(s)))
	if s == "" {
		return "", Errorf(Invalid, "Say what difference the pledge made: /pledge outcome N TEXT.")
	}
	if n := utf8.RuneCountInString(s); n > MaxOutcome {
		return "", Errorf(Invalid, "The outcome is too long (%d characters; at most %d): keep it to a short case study.", n, MaxOutcome)
	}
	return s, nil
}
