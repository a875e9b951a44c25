package store

import "testing"

func TestNextID(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"1796521233500-0", "1796521233500-1"},
		{"5-41", "5-42"},
		{"5-18446744073709551615", "6-0"}, // the sequence's last value: the next millisecond
		{"18446744073709551615-18446744073709551615", "(18446744073709551615-18446744073709551615"},
		{"12", "(12"},
		{"x-1", "(x-1"},
	} {
		if got := nextID(tc.id); got != tc.want {
			t.Errorf("nextID(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}
