package bot

import (
	"regexp"
	"strings"
	"testing"
)

// idPattern is the rule ValidUser implements by hand.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

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
		{"é", false},
		{"a\x00", false},
	} {
		if got := ValidUser(tc.in); got != tc.want {
			t.Errorf("ValidUser(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func FuzzValidUser(f *testing.F) {
	for _, s := range []string{"U1", "", "a:b", strings.Repeat("z", 65), "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidUser(s), idPattern.MatchString(s); got != want {
			t.Fatalf("ValidUser(%q) = %v, the rule says %v", s, got, want)
		}
	})
}
