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

// invisible reports whether r shows as nothing: a format character, any
// other default-ignorable code point (a combining grapheme joiner, the
// Hangul and half-width fillers, the Khmer inherent vowels) or the blank
// Braille pattern, which fonts draw as a space-wide nothing. Variation
// selectors stay: they change how the visible character before them looks.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || r == '\u2800'
}

// FormatChar returns the first invisible character in s (see invisible).
func FormatChar(s string) (rune, bool) {
	for _, r := range s {
		if invisible(r) {
			return r, true
		}
	}
	return 0, false
}

// StripFormat removes every invisible character from s.
func StripFormat(s string) string {
	if _, ok := FormatChar(s); !ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}
