package report

import (
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestVisitorName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  Seán   O'Neill ", "Seán O'Neill"},
		{"J. Smith", "J. Smith"},
		{"Smith Jr.", "Smith Jr."},
		{"Anne-Marie", "Anne-Marie"},
		{"Sea\u0301n", "Seán"}, // NFC
		{"example.com", ""},
		{"a|b", ""},
		{"<@U123>", ""},
		{"@everyone", ""},
		{"Jo\u200bhn", ""},
		{"", ""},
		{strings.Repeat("a", MaxName+1), ""},
	} {
		got, err := visitorName(tc.in)
		if (err == nil) != (tc.want != "") || got != tc.want {
			t.Errorf("visitorName(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// FuzzCheckForm: any posted form is refused with a message or gives an
// entry, a name that is NFC, bounded and cannot break the ledger's format
// or read as a link or mention, and a note only for a query.
func FuzzCheckForm(f *testing.F) {
	f.Add("1", "confirm", "Jo", "", strings.Repeat("A", 22), "x")
	f.Add("2", "query", "Seán O'Neill", "we saw 5", strings.Repeat("b", 22), "y")
	f.Add("-1", "query", "a.b", "\x00", "", "")
	f.Fuzz(func(t *testing.T, entry, do, name, note, req, csrf string) {
		v := url.Values{"entry": {entry}, "do": {do}, "name": {name}, "note": {note}, "req": {req}, "csrf": {csrf}}
		c, err := parseCheckForm(v)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty message")
			}
			return
		}
		if c.Entry < 1 || c.Name == "" || utf8.RuneCountInString(c.Name) > MaxName || !norm.NFC.IsNormalString(c.Name) {
			t.Fatalf("accepted %+v", c)
		}
		if strings.ContainsAny(c.Name, "|<>@:/\n") || strings.IndexFunc(c.Name, unicode.IsControl) >= 0 {
			t.Fatalf("name %q", c.Name)
		}
		if c.Query == (c.Note == "") || utf8.RuneCountInString(c.Note) > MaxNote || strings.IndexFunc(c.Note, unicode.IsControl) >= 0 {
			t.Fatalf("note %+v", c)
		}
	})
}
