package bot

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// idPattern is the rule ValidUser implements by hand, with its two
// further conditions: at most 64 bytes, and NFC.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9._\pL\pN-][A-Za-z0-9._\pL\pM\pN-]*$`)

func idRule(s string) bool {
	if len(s) > 64 || !norm.NFC.IsNormalString(s) || !idPattern.MatchString(s) {
		return false
	}
	for _, r := range s { // \pN is wider than the digits (Nd) allowed
		if r >= utf8.RuneSelf && unicode.IsNumber(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func TestValidUser(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"U0123ABC", true},
		{"alice", true},
		{"a.b_c-d", true},
		{"123456789012345678", true},
		{strings.Repeat("x", 64), true},
		{strings.Repeat("x", 65), false},
		{"", false},
		{"a b", false},
		{"a:b", false}, // would split a storage key
		{"{c}", false}, // would change a cluster hash tag
		{"<@U1>", false},
		{"é", true},
		{"zoë", true},
		{"zoe\u0308", false}, // not NFC: NormalUser first
		{"Siân", true},
		{"Владимир", true},
		{"محمد", true},
		{"हिन्दी", true},     // Devanagari vowel signs and virama are marks
		{"\u0308zoe", false}, // a leading mark
		{"zoë:1", false},
		{"zo ë", false},
		{"½", false},
		{"٣", true},         // an Arabic-Indic digit
		{"a\u200bb", false}, // a format character
		{strings.Repeat("ë", 32), true},
		{strings.Repeat("ë", 33), false}, // 66 bytes
		{"a\x00", false},
	} {
		if got := ValidUser(tc.in); got != tc.want {
			t.Errorf("ValidUser(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func FuzzValidUser(f *testing.F) {
	for _, s := range []string{"U1", "", "a:b", strings.Repeat("z", 65), "é", "zoë", "zoe\u0308", "\u0308a", "हिन्दी"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidUser(s), idRule(s); got != want {
			t.Fatalf("ValidUser(%q) = %v, the rule says %v", s, got, want)
		}
	})
}

// FuzzNames checks how names are normalised: a person named by @name or a
// business's name comes out in NFC, reads the same typed again, and reads
// the same whichever Unicode form (composed or decomposed) it was typed in.
func FuzzNames(f *testing.F) {
	for _, s := range []string{"zoë", "zoe\u0308", "@Siân", "Café  Nero", "Cafe\u0301 Nero", "한국", "\u1100\u1161", "Å", "\u212b", "a\u0323\u0307"} {
		f.Add(s)
	}
	business := Option{Name: "name", IsName: true}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		if id, err := parseUser("user", s); err == nil {
			if !norm.NFC.IsNormalString(id) || !ValidUser(id) {
				t.Fatalf("@%q read as %q: not a valid NFC id", s, id)
			}
			for _, form := range []norm.Form{norm.NFC, norm.NFD} {
				if again, err := parseUser("user", form.String(s)); err != nil || again != id {
					t.Fatalf("%q in %v reads as %q, %v; want %q", s, form, again, err, id)
				}
			}
		}
		if name, err := parseText(business, s); err == nil {
			if !norm.NFC.IsNormalString(name) {
				t.Fatalf("name %q kept as %q: not NFC", s, name)
			}
			if again, err := parseText(business, name); err != nil || again != name {
				t.Fatalf("name %q read again as %q, %v", name, again, err)
			}
			if nfd, err := parseText(business, norm.NFD.String(s)); err == nil && nfd != name {
				t.Fatalf("name %q decomposed reads as %q, not %q", s, nfd, name)
			}
		}
	})
}
