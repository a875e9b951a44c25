package commands

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseClock(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"08:30", "08:30"}, {"8:30", "08:30"}, {" 23:59 ", "23:59"}, {"00:00", "00:00"},
		{"24:00", ""}, {"12:60", ""}, {"8.30", ""}, {"0830", ""}, {"08:3", ""}, {"08:300", ""},
		{"-1:30", ""}, {"+8:30", ""}, {"08:30pm", ""}, {"", ""}, {":", ""}, {"١٢:٣٠", ""},
	} {
		got, ok := ParseClock(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("ParseClock(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestParseZone(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"Europe/Dublin", true}, {"Europe/London", true}, {"America/New_York", true}, {"UTC", true},
		{"Europe/Dubln", false}, {"Local", false}, {"", false}, {"/etc/localtime", false},
		{"../../etc/passwd", false}, {"Europe/../Europe/Dublin", false}, {"Europe/Dublin\x00", false},
		{"GMT+1!", false}, {strings.Repeat("A", 65), false},
	} {
		if _, ok := ParseZone(tc.in); ok != tc.ok {
			t.Errorf("ParseZone(%q) ok = %v, want %v", tc.in, ok, tc.ok)
		}
	}
}

// Whatever people type, the parsers answer without panicking, and what
// they accept is what is stored: a clock in HH:MM, a zone by its name.
func FuzzParseClockAndZone(f *testing.F) {
	for _, s := range []string{"08:30", "8:30", "24:00", "Europe/Dublin", "Local", "../x", "UTC", "٠٨:٣٠"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if c, ok := ParseClock(s); ok {
			if len(c) != 5 || c[2] != ':' || c > "23:59" {
				t.Fatalf("ParseClock(%q) = %q", s, c)
			}
		}
		if loc, ok := ParseZone(s); ok {
			if !utf8.ValidString(loc.String()) || loc.String() == "Local" || strings.Contains(loc.String(), "..") {
				t.Fatalf("ParseZone(%q) = %q", s, loc)
			}
		}
	})
}
