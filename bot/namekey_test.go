package bot

import "testing"

func TestNameKey(t *testing.T) {
	same := [][]string{
		{"Acme", "acme", "ACME", "Аcme" /* Cyrillic А */, "Αcme" /* Greek Α */, "Acm\u0435" /* Cyrillic е */},
		{"Acme Bakery", "Acme  Bakery", " Acme\tBakery ", "Acme\u00a0Bakery", "Acme\u3000Bakery"},
		{"Acme", "Ac\u200bme", "\u202aAcme\u202c", "Acme\ufeff", "A\u00adcme"},
		{"Solo", "Ѕolo" /* Cyrillic Ѕ */, "SOLO", "S0L0", "Ѕοlο" /* Greek ο */},
		{"OK Foods", "ΟΚ Foods" /* Greek Ο, Κ */, "ＯＫ Ｆｏｏｄｓ" /* full width */},
		{"Mill Lane", "MiII Lane", "Mi11 Lane", "rnill lane"},
		{"Café", "Cafe\u0301", "CAFÉ"},
		{"Straße", "STRASSE", "strasse"},
	}
	for _, group := range same {
		want := NameKey(group[0])
		for _, n := range group[1:] {
			if got := NameKey(n); got != want {
				t.Errorf("NameKey(%q) = %q, want %q as for %q", n, got, want, group[0])
			}
		}
	}
	different := [][2]string{
		{"Acme", "Acme Bakery"}, {"Acme", "Acne"}, {"Cafe", "Café"}, {"Bakery 1", "Bakery 2"}, {"Ab", "A b"},
	}
	for _, d := range different {
		if NameKey(d[0]) == NameKey(d[1]) {
			t.Errorf("%q and %q share key %q", d[0], d[1], NameKey(d[0]))
		}
	}
	for _, n := range []string{"Acme", "Ѕolo Αcme", "Mi11  Lane"} {
		if k := NameKey(n); NameKey(k) != k {
			t.Errorf("NameKey is not stable on %q: %q then %q", n, k, NameKey(k))
		}
	}
}
