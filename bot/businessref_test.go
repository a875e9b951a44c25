package bot

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// names is a community's businesses as the store gives them; the fake
// index keys them by NameKey, as register_business.lua does.
type names []Business

func (ns names) BusinessNamed(_ context.Context, _, key string) (int, error) {
	for _, b := range ns {
		if NameKey(b.Name) == key {
			return b.Number, nil
		}
	}
	return 0, nil
}

func (ns names) BusinessNames(context.Context, string) ([]Business, error) { return ns, nil }

var town = names{
	{Number: 2, Name: "Bakery Ltd"},
	{Number: 5, Name: "Bakers Co"},
	{Number: 7, Name: "Baker"},
	{Number: 9, Name: "Bakehouse"},
	{Number: 11, Name: "Zoë's Café"},
	{Number: 12, Name: "Straße Shoes"},
	{Number: 14, Name: "Acme"},
	{Number: 15, Name: "Acme Builders"},
}

func TestResolveBusiness(t *testing.T) {
	for _, c := range []struct {
		typed string
		want  int
		code  Code     // when refused
		says  []string // the refusal holds these
		not   []string // and never these
	}{
		{typed: "7", want: 7},
		{typed: "#7", want: 7},
		{typed: " 12 ", want: 12},
		{typed: "99", want: 99}, // a number is checked by the command, like business:N always was
		{typed: "Bakery Ltd", want: 2},
		{typed: "bakery LTD", want: 2},
		{typed: "  bakery   ltd ", want: 2},
		{typed: "Baker", want: 7},   // exact wins over Bakery Ltd and Bakers Co it begins
		{typed: "acme", want: 14},   // exact wins over Acme Builders
		{typed: "acme b", want: 15}, // the one it begins
		{typed: "Bakeh", want: 9},
		{typed: "zoë", want: 11},
		{typed: "zoe\u0308's", want: 11}, // typed decomposed: NFC makes it ë
		{typed: "ZOË'S CAFÉ", want: 11},
		{typed: "strasse", want: 12}, // case folding: ß is ss
		{typed: "Ａcme", want: 14},    // full width, as registration compares names
		{typed: "Bak", code: Invalid, says: []string{`"Bak" matches 4 businesses`, "#2 Bakery Ltd", "#5 Bakers Co", "#7 Baker", "#9 Bakehouse", "business:2"}},
		{typed: "Bake", code: Invalid, says: []string{"matches 4 businesses"}},
		{typed: "Bakers", want: 5},
		{typed: "zoe", code: NotFound, says: []string{`There is no business "zoe"`, "Did you mean #11 Zoë's Café?"}},
		{typed: "Bakry Ltd", code: NotFound, says: []string{"Did you mean #2 Bakery Ltd?"}},
		{typed: "Quux Garage", code: NotFound, says: []string{`There is no business "Quux Garage".`, "/business list"}, not: []string{"Did you mean"}},
		{typed: "", code: Invalid, says: []string{"needs a business's number or name"}},
		{typed: "#", code: Invalid, says: []string{"needs a business's number or name"}},
		{typed: "0", code: NotFound},
		{typed: "-3", code: NotFound},
		{typed: "@everyone", code: NotFound, not: []string{"Did you mean"}},
	} {
		n, err := ResolveBusiness(context.Background(), town, "c1", "business", c.typed)
		if c.code == "" {
			if err != nil || n != c.want {
				t.Errorf("%q: got %d, %v; want #%d", c.typed, n, err, c.want)
			}
			continue
		}
		if ErrorCode(err) != c.code {
			t.Errorf("%q: got %d, %v; want a %s refusal", c.typed, n, err, c.code)
			continue
		}
		for _, s := range c.says {
			if !strings.Contains(ErrorMessage(err), s) {
				t.Errorf("%q: %q lacks %q", c.typed, ErrorMessage(err), s)
			}
		}
		for _, s := range c.not {
			if strings.Contains(ErrorMessage(err), s) {
				t.Errorf("%q: %q has %q", c.typed, ErrorMessage(err), s)
			}
		}
	}
}

// TestMatchBusinessLists: a refusal lists at most ten businesses, and says
// so when the community has none. (Businesses of other communities:
// TestBusinessNamesStayInTheirCommunity in commands.)
func TestMatchBusinessLists(t *testing.T) {
	var many names
	for i := 1; i <= 14; i++ {
		many = append(many, Business{Number: i, Name: "Shop " + strings.Repeat("x", i)})
	}
	_, err := MatchBusiness("business", "shop", many)
	if msg := ErrorMessage(err); !strings.Contains(msg, "matches 14 businesses") || !strings.Contains(msg, "and 4 more (/business list)") || strings.Contains(msg, "#11 ") {
		t.Fatalf("got %q", msg)
	}
	if _, err := MatchBusiness("business", "shop", nil); !strings.Contains(ErrorMessage(err), "none is registered yet") {
		t.Fatalf("empty community: %v", err)
	}
}

// FuzzResolveBusiness: any text resolves to a number or is refused with a
// code, never panics, and a refusal quotes the text clipped.
func FuzzResolveBusiness(f *testing.F) {
	for _, s := range []string{"7", "#7", "Bak", "zoë", "zoe\u0308", "Ａcme", "", "#", "\u202eevil", "<@U1>", strings.Repeat("a", 300), "\xff\xfe", "#+3", "1e3", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		n, err := ResolveBusiness(context.Background(), town, "c1", "business", typed)
		if err == nil {
			if n <= 0 || n > MaxRef {
				t.Fatalf("%q: resolved to %d", typed, n)
			}
			return
		}
		if ErrorCode(err) == Internal {
			t.Fatalf("%q: uncoded error %v", typed, err)
		}
		if msg := ErrorMessage(err); utf8.RuneCountInString(msg) > 1000 {
			t.Fatalf("%q: refusal of %d runes", typed, utf8.RuneCountInString(msg))
		}
	})
}
