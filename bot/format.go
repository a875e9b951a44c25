package bot

import (
	"strings"
	"unicode"
)

// Format characters (Unicode general category Cf) change how text around
// them is shown without being seen themselves: bidi embeddings, overrides
// and isolates (U+202A–202E, U+2066–2069) reverse what follows, zero-width
// characters (U+200B–200D, U+2060, U+FEFF) hide inside a word, so
// "Ac\u200bme" looks like "Acme" and "\u202Eemca" shows as "acme". Free
// text has them stripped when it is parsed; names refuse them (IsName).
//
// Stripping costs two legitimate uses, judged worth it for a bot whose
// text is read by people deciding whom to trust: a zero-width joiner
// inside an emoji sequence (a family emoji shows as its members) and a
// zero-width non-joiner in Persian or Indic spelling; tag characters of
// subdivision flags (Scotland, Wales) leave a black flag.

// FormatChar returns the first format character in s.
func FormatChar(s string) (rune, bool) {
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) {
			return r, true
		}
	}
	return 0, false
}

// StripFormat removes every format character from s.
func StripFormat(s string) string {
	if _, ok := FormatChar(s); !ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}
