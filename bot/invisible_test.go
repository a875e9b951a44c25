package bot

import "testing"

// Invisible characters outside class Cf (other default-ignorable code
// points, the blank Braille pattern) are refused in names like format
// characters, so a name that looks exactly like "Acme" cannot register as
// another business; a variation selector is not invisible.
func TestInvisibleCharactersBeyondCf(t *testing.T) {
	for _, s := range []string{"Ac\u034fme", "Acme\u3164", "Acme\u2800", "Ac\u17b4me", "Acme\u115f", "Ac\uffa0me"} {
		if _, found := FormatChar(s); !found {
			t.Errorf("%+q: accepted as a name", s)
		}
		if got := StripFormat(s); got != "Acme" {
			t.Errorf("StripFormat(%+q) = %+q, want Acme", s, got)
		}
	}
	if _, found := FormatChar("Caf\u00e9 \u2615\ufe0f"); found {
		t.Error("a variation selector after an emoji was taken for an invisible character")
	}
}
