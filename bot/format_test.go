package bot

import (
	"strings"
	"testing"
)

// TestFormatCharacters: free text has Unicode format characters (class
// Cf) stripped; a name refuses them, and reads runs of spaces as one.
func TestFormatCharacters(t *testing.T) {
	themes := func(string) []string { return []string{"carbon"} }
	add, register := testCmd.Sub("add"), testCmd.Sub("register")
	for _, tc := range []struct{ line, want string }{
		{"\"Plant \u200btrees\" theme:carbon", "Plant trees"},
		{"\"\u202eseert tnalP\u202c\" theme:carbon", "seert tnalP"},
		{"\"\u2066Plant\u2069 trees\ufeff\" theme:carbon", "Plant trees"},
		{"\"\u00adsoft\u2060hyphen\u200c\u200d\" theme:carbon", "softhyphen"},
		{"\"\U000e0067tag\" theme:carbon", "tag"},
		{"\"Plant  trees\" theme:carbon", "Plant  trees"}, // free text keeps its spacing
	} {
		args, err := testCmd.Parse(add, tc.line, themes)
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		if got := args.String("text"); got != tc.want {
			t.Errorf("%q: text %q, want %q", tc.line, got, tc.want)
		}
	}
	if _, err := testCmd.Parse(add, "\"\u200b\u200b\" theme:carbon", themes); err == nil || !strings.Contains(err.Error(), "text is empty") {
		t.Errorf("text of format characters only: %v", err)
	}
	if args, err := testCmd.Parse(add, "x theme:carbon unit:k\u200dg", themes); err != nil || args.String("unit") != "kg" {
		t.Errorf("unit: %v %v", args, err)
	}
	for _, name := range []string{"Ac\u200bme", "\u202eemcA", "Acme\ufeff", "\u2066Acme\u2069", "Ac\u00adme", "Acme\u200d"} {
		_, err := testCmd.Parse(register, name, nil)
		if err == nil || ErrorCode(err) != Invalid || !strings.Contains(err.Error(), "invisible formatting character") {
			t.Errorf("name %q: %v", name, err)
		}
	}
	for line, want := range map[string]string{"Acme   Bakery": "Acme Bakery", "\"  Acme \t Bakery  \"": "Acme Bakery", "Café Ω": "Café Ω"} {
		args, err := testCmd.Parse(register, line, nil)
		if err != nil || args.String("name") != want {
			t.Errorf("name %q: %q %v, want %q", line, args.String("name"), err, want)
		}
	}
}
