package commands

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
)

// TestParsePartnerRegister is the table for /partner register's grammar.
func TestParsePartnerRegister(t *testing.T) {
	cmd := Partner()
	sub := cmd.Sub("register")
	cases := []struct {
		line              string
		name, area, about string
		owner             string
		code              bot.Code // "" when accepted
	}{
		{line: "Food Bank", name: "Food Bank"},
		{line: "Food Bank area:cb1 2ab about:we feed the town", name: "Food Bank", area: "CB1 2AB", about: "we feed the town"},
		{line: `"St Mary's School" area:CB4 about:"primary, 300 pupils"`, name: "St Mary's School", area: "CB4", about: "primary, 300 pupils"},
		{line: "Youth Club about:Friday nights area:CB2", name: "Youth Club", about: "Friday nights", area: "CB2"},
		{line: "Scouts area:CB1 1st Troop", name: "Scouts 1st Troop", area: "CB1"}, // "1st" before more words starts the name again
		{line: "Food Bank owner:<@U1>", name: "Food Bank", owner: "U1"},
		{line: "", code: bot.Invalid},
		{line: "Food Bank area:London", code: bot.Invalid},
		{line: "Food Bank area:CB1 2AB Hall", name: "Food Bank Hall", area: "CB1 2AB"},
		{line: "Food Bank area:2AB", code: bot.Invalid},
		{line: "Food\u202eBank", code: bot.Invalid},
		{line: strings.Repeat("x", 101), code: bot.Invalid},
		{line: "Food Bank about:" + strings.Repeat("y", 301), code: bot.Invalid},
		{line: "Food Bank colour:red", code: bot.Invalid},
	}
	for _, c := range cases {
		args, err := cmd.Parse(sub, c.line, nil)
		var p bot.Partner
		if err == nil {
			p, err = newPartner(args, time.Unix(0, 0))
		}
		switch {
		case c.code != "" && bot.ErrorCode(err) != c.code:
			t.Errorf("%q: %v, want %s", c.line, err, c.code)
		case c.code == "" && err != nil:
			t.Errorf("%q: refused: %v", c.line, err)
		case c.code == "" && (p.Name != c.name || p.Area != c.area || p.About != c.about || args.String("owner") != c.owner):
			t.Errorf("%q: %+v owner %q", c.line, p, args.String("owner"))
		}
	}
}

// FuzzPartnerRegister parses arbitrary /partner register lines: never a
// panic, only Invalid refusals, and what is accepted has a name within
// its limit and free of format characters, an area that is a postcode or
// its first part, and about text within its limit.
func FuzzPartnerRegister(f *testing.F) {
	for _, seed := range []string{
		"Food Bank area:CB1 2AB about:we feed the town", `"Quoted \"name\"" about:"x" area:cb1`,
		"Scouts area:CB1 1st Troop", "x owner:<@U1> owner:<@U2>", "about:", "area:CB1", `"unclosed`,
		"Food\u200bBank", "a about:b area:c about:d", "“curly” about:“quoted”",
	} {
		f.Add(seed)
	}
	cmd := Partner()
	sub := cmd.Sub("register")
	f.Fuzz(func(t *testing.T, line string) {
		args, err := cmd.Parse(sub, line, nil)
		if err != nil {
			if bot.ErrorCode(err) != bot.Invalid {
				t.Fatalf("%q: parse error is not Invalid: %v", line, err)
			}
			return
		}
		p, err := newPartner(args, time.Unix(0, 0))
		if err != nil {
			if bot.ErrorCode(err) != bot.Invalid {
				t.Fatalf("%q: refusal is not Invalid: %v", line, err)
			}
			return
		}
		if p.Name == "" || utf8.RuneCountInString(p.Name) > 100 || !utf8.ValidString(p.Name) {
			t.Fatalf("%q: name %q", line, p.Name)
		}
		for _, r := range p.Name {
			if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
				t.Fatalf("%q: name %q holds %U", line, p.Name, r)
			}
		}
		if p.Area != "" && !postcodeRe.MatchString(p.Area) {
			t.Fatalf("%q: area %q", line, p.Area)
		}
		if utf8.RuneCountInString(p.About) > 300 || !utf8.ValidString(p.About) {
			t.Fatalf("%q: about %q", line, p.About)
		}
	})
}

// TestMatchPartner is the table for partner:NAME-or-N.
func TestMatchPartner(t *testing.T) {
	ps := []bot.Partner{{Number: 1, Name: "Food Bank"}, {Number: 2, Name: "Food Bank North"}, {Number: 3, Name: "Youth Club"}, {Number: 4, Name: "St Mary's School"}}
	cases := []struct {
		in   string
		want int
		code bot.Code
		says string
	}{
		{in: "3", want: 3}, {in: "#4", want: 4}, {in: "none", want: 0}, {in: "NONE", want: 0}, {in: "-", want: 0},
		{in: "Food Bank", want: 1},  // the exact name wins over the longer one
		{in: "food  bank", want: 1}, // compared as registration compares
		{in: "youth", want: 3},      // the only name holding it
		{in: "st mary's", want: 4},  // punctuation is part of the name
		{in: "#99", want: 99},       // a number is checked by the store
		{in: "food", code: bot.Invalid, says: "#1 Food Bank, #2 Food Bank North"},
		{in: "library", code: bot.NotFound, says: "Partners: #1 Food Bank, #2 Food Bank North, #3 Youth Club, #4 St Mary's School"},
		{in: "", code: bot.Invalid, says: "partner:3"},
		{in: "+3", code: bot.NotFound}, {in: "0", code: bot.NotFound}, {in: "#-2", code: bot.NotFound},
	}
	for _, c := range cases {
		n, ok := partnerNumber(c.in)
		var err error
		if !ok {
			n, err = matchPartner(c.in, ps)
		}
		switch {
		case c.code != "" && (bot.ErrorCode(err) != c.code || !strings.Contains(errMessage(err), c.says)):
			t.Errorf("%q: %d %v, want %s saying %q", c.in, n, err, c.code, c.says)
		case c.code == "" && (err != nil || n != c.want):
			t.Errorf("%q: %d %v, want %d", c.in, n, err, c.want)
		}
	}
	if _, err := matchPartner("x", nil); bot.ErrorCode(err) != bot.NotFound || !strings.Contains(errMessage(err), "/partner register") {
		t.Errorf("no partners at all: %v", err)
	}
}

func errMessage(err error) string {
	if e, ok := err.(*bot.Error); ok {
		return e.Message
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

// FuzzPartnerRef reads arbitrary partner: values: never a panic; an answer
// is none, a number in range, or a partner of the list; a refusal is
// Invalid or NotFound and never quotes more than 40 characters of the value.
func FuzzPartnerRef(f *testing.F) {
	for _, seed := range []string{"3", "#3", "none", "food", "Food Bank", "", "+1", "#", "０３", "Ｆood", "\u202efood", strings.Repeat("a", 200)} {
		f.Add(seed)
	}
	ps := []bot.Partner{{Number: 1, Name: "Food Bank"}, {Number: 2, Name: "Food Bank North"}, {Number: 3, Name: "Youth Club"}}
	f.Fuzz(func(t *testing.T, v string) {
		if n, ok := partnerNumber(v); ok {
			if n < 0 || n > bot.MaxRef {
				t.Fatalf("%q: number %d", v, n)
			}
			return
		}
		n, err := matchPartner(v, ps)
		if err != nil {
			if c := bot.ErrorCode(err); c != bot.Invalid && c != bot.NotFound {
				t.Fatalf("%q: refusal %v", v, err)
			}
			if len([]rune(v)) > 41 && strings.Contains(errMessage(err), v) {
				t.Fatalf("%q: refusal quotes it whole", v)
			}
			return
		}
		if n < 1 || n > 3 {
			t.Fatalf("%q: partner %d", v, n)
		}
	})
}
