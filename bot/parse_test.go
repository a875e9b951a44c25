package bot

import (
	"regexp"
	"strings"
	"testing"
)

var testCmd = &Command{Name: "pledge", Subs: []*Subcommand{
	{Name: "add", Options: []Option{
		{Name: "text", Positional: true, Rest: true, Required: true},
		{Name: "theme", Type: Choice, Dynamic: "themes", Required: true},
		{Name: "target", Type: Number},
		{Name: "unit", Max: 10, OneWord: true},
		{Name: "due", Type: Date},
		{Name: "visibility", Type: Choice, Choices: []string{"public", "private"}},
	}},
	{Name: "progress", Options: []Option{
		{Name: "pledge", Type: Ref, Positional: true, Required: true},
		{Name: "amount", Type: Number, Positional: true, Required: true},
		{Name: "note", Positional: true, Rest: true},
	}},
	{Name: "add-member", Options: []Option{
		{Name: "user", Type: User, Positional: true, Required: true},
	}},
	{Name: "register", Options: []Option{
		{Name: "name", Positional: true, Rest: true, Required: true, IsName: true},
		{Name: "postcode", Max: 8, Then: func(value, word string, moreText bool) bool {
			return !strings.Contains(value, "2") && regexp.MustCompile(`^[0-9][A-Za-z]{2}$`).MatchString(word) && !(moreText && word == "1st")
		}},
	}},
	{Name: "log", Options: []Option{
		{Name: "title", Positional: true, Rest: true, Required: true},
		{Name: "a", Greedy: true, Max: 40},
		{Name: "b", Greedy: true},
		{Name: "date", Type: Date},
		{Name: "review", Type: Date, Clearable: true},
	}},
	{Name: "edit", Options: []Option{
		{Name: "pledge", Type: Ref, Positional: true, Required: true},
		{Name: "text", Positional: true, Rest: true},
		{Name: "target", Type: Number, Signed: true},
		{Name: "unit", Max: 40, OneWord: true},
	}},
	// A progress whose handler refuses a negative amount itself.
	{Name: "report", Options: []Option{
		{Name: "pledge", Type: Ref, Positional: true, Required: true},
		{Name: "amount", Type: Number, Positional: true, Required: true, Negative: true},
	}},
}}

func themes(string) []string { return []string{"volunteering", "carbon"} }

func TestParse(t *testing.T) {
	add, progress, member, register, log, edit, report := testCmd.Subs[0], testCmd.Subs[1], testCmd.Subs[2], testCmd.Subs[3], testCmd.Subs[4], testCmd.Subs[5], testCmd.Subs[6]
	tests := []struct {
		name string
		sub  *Subcommand
		line string
		want map[string]any
		err  string // substring of the error; "" means success
	}{
		{"quoted text and options", add, `"Hire two local apprentices" theme:volunteering target:2 due:2027-06-30`,
			map[string]any{"text": "Hire two local apprentices", "theme": "volunteering", "target": 2.0, "due": "2027-06-30"}, ""},
		{"rest of line", add, `Give 40 hours to the food bank theme:volunteering`,
			map[string]any{"text": "Give 40 hours to the food bank"}, ""},
		{"options before text", add, `theme:carbon cut our vans' emissions`,
			map[string]any{"text": "cut our vans' emissions", "theme": "carbon"}, ""},
		{"quoted option value", add, `x theme:carbon unit:"tonnes co2"`, map[string]any{"unit": "tonnes co2"}, ""},
		{"curly quotes", add, `“Plant trees” theme:carbon`, map[string]any{"text": "Plant trees"}, ""},
		{"escaped quote", add, `"say \"hi\"" theme:carbon`, map[string]any{"text": `say "hi"`}, ""},
		{"case-insensitive choice", add, `x theme:Carbon visibility:PRIVATE`, map[string]any{"theme": "carbon", "visibility": "private"}, ""},
		{"word with colon is text", add, `Note: plant trees theme:carbon`, map[string]any{"text": "Note: plant trees"}, ""},
		{"url is text", add, `see https://example.org theme:carbon`, map[string]any{"text": "see https://example.org"}, ""},
		{"time is text", add, `meet at 10:30 theme:carbon`, map[string]any{"text": "meet at 10:30"}, ""},
		{"quoted option-like text", add, `"ratio:good" theme:carbon`, map[string]any{"text": "ratio:good"}, ""},
		{"money", add, `x theme:carbon target:£20k`, map[string]any{"target": 20000.0}, ""},
		{"thousands separator", add, `x theme:carbon target:1,500`, map[string]any{"target": 1500.0}, ""},
		{"decimal", add, `x theme:carbon target:2.5`, map[string]any{"target": 2.5}, ""},
		{"unmatched quote", add, `"Hire two theme:carbon`, nil, "quote is not closed"},
		{"unknown option", add, `x theme:carbon colour:red`, nil, `no option "colour:"`},
		{"missing required", add, `Hire two`, nil, "missing theme:"},
		{"missing text", add, `theme:carbon`, nil, "missing TEXT"},
		{"unknown theme", add, `x theme:fishing`, nil, "volunteering, carbon"},
		{"negative target", add, `x theme:carbon target:-2`, nil, "can't be negative"},
		{"non-numeric target", add, `x theme:carbon target:two`, nil, "must be a number"},
		{"nan target", add, `x theme:carbon target:NaN`, nil, "must be a number"},
		{"hex target", add, `x theme:carbon target:0x10`, nil, "must be a number"},
		{"huge target", add, `x theme:carbon target:1e20`, nil, "too large"},
		{"impossible date", add, `x theme:carbon due:2027-02-30`, nil, "real date"},
		{"day-first date", add, `x theme:carbon due:30/06/2027`, map[string]any{"due": "2027-06-30"}, ""},
		{"written date then text", add, `theme:carbon due:31 March 2027 Plant trees`, map[string]any{"due": "2027-03-31", "text": "Plant trees"}, ""},
		{"written date before an option", add, `Plant trees due:March 31 theme:carbon`, map[string]any{"due": "2027-03-31", "text": "Plant trees"}, ""},
		{"quoted written date", add, `x theme:carbon due:"Fri 5 Mar 2027"`, map[string]any{"due": "2027-03-05"}, ""},
		{"relative date", add, `x due:next friday theme:carbon`, map[string]any{"due": "2027-03-05", "text": "x"}, ""},
		{"relative date then text", add, `theme:carbon due:in 2 weeks 2 litter picks`, map[string]any{"due": "2027-03-17", "text": "2 litter picks"}, ""},
		{"end of quarter", add, `x theme:carbon due:end of the quarter`, map[string]any{"due": "2027-03-31"}, ""},
		{"one-word date then text", add, `theme:carbon due:tomorrow Plant trees`, map[string]any{"due": "2027-03-04", "text": "Plant trees"}, ""},
		{"US date", add, `x theme:carbon due:03/31/2027`, nil, "due: \"03/31/2027\" looks like month first (US style); write the day first"},
		{"not a date", add, `x theme:carbon due:soonish`, nil, "due: I can't read \"soonish\" as a date: write it like 31/03/2027"},
		{"duplicate option", add, `x theme:carbon theme:carbon`, nil, "given twice"},
		{"empty value", add, `x theme:`, nil, "needs a value"},
		{"overlong text", add, `"` + strings.Repeat("a", 501) + `" theme:carbon`, nil, "too long (501"},
		{"overlong option", add, `x theme:carbon unit:` + strings.Repeat("u", 11), nil, "unit is too long"},
		{"control character", add, "x\x07y theme:carbon", nil, "control character"},
		{"ref with hash", progress, `#7 5 first five hours`, map[string]any{"pledge": 7, "amount": 5.0, "note": "first five hours"}, ""},
		{"ref plain", progress, `7 2.5`, map[string]any{"pledge": 7, "amount": 2.5}, ""},
		{"bad ref", progress, `seven 5`, nil, "number like 7"},
		{"zero ref", progress, `0 5`, nil, "number like 7"},
		{"missing amount", progress, `7`, nil, "missing AMOUNT"},
		{"slack mention", member, `<@U123ABC|alice>`, map[string]any{"user": "U123ABC"}, ""},
		{"discord mention", member, `<@!80351110224678912>`, map[string]any{"user": "80351110224678912"}, ""},
		{"console name", member, `@alice`, map[string]any{"user": "alice"}, ""},
		{"value's second half", register, `Acme Bakery postcode:CB1 2AB`, map[string]any{"name": "Acme Bakery", "postcode": "CB1 2AB"}, ""},
		{"second half before text", register, `postcode:cb1 2ab Acme`, map[string]any{"name": "Acme", "postcode": "cb1 2ab"}, ""},
		{"no second half", register, `Acme postcode:CB1 Bakery`, map[string]any{"name": "Acme Bakery", "postcode": "CB1"}, ""},
		{"quoted value is whole", register, `Acme postcode:"CB1 2AB" 3XY`, map[string]any{"name": "Acme 3XY", "postcode": "CB1 2AB"}, ""},
		{"quoted word stays text", register, `Acme postcode:CB1 "2AB"`, map[string]any{"name": "Acme 2AB", "postcode": "CB1"}, ""},
		{"second half at the end only", register, `postcode:CB1 2AB`, nil, "missing NAME"},
		{"quoted first half is whole", register, `Acme postcode:"CB1" 2AB`, map[string]any{"name": "Acme 2AB", "postcode": "CB1"}, ""},
		{"Then sees the value", register, `postcode:CB2 3XY Acme`, map[string]any{"name": "3XY Acme", "postcode": "CB2"}, ""},
		{"Then sees more text", register, `postcode:CB1 1st Choice`, map[string]any{"name": "1st Choice", "postcode": "CB1"}, ""},
		{"Then at the end", register, `Acme postcode:CB1 1st`, map[string]any{"name": "Acme", "postcode": "CB1 1st"}, ""},
		{"greedy to the next option", log, `New oven a:long term cost b:staff trained date:2026-11-30`,
			map[string]any{"title": "New oven", "a": "long term cost", "b": "staff trained", "date": "2026-11-30"}, ""},
		{"greedy to the end", log, `New oven b:staff were asked: all agreed`, map[string]any{"title": "New oven", "b": "staff were asked: all agreed"}, ""},
		{"greedy takes text-like words", log, `x a:Note: see 10:30 minutes`, map[string]any{"a": "Note: see 10:30 minutes"}, ""},
		{"greedy joins quoted words", log, `x a:cost "of the" lease`, map[string]any{"a": "cost of the lease"}, ""},
		{"quoted value ends at its quote", log, `New oven a:"long term cost" supplier chosen`, map[string]any{"title": "New oven supplier chosen", "a": "long term cost"}, ""},
		{"quoted value before the title", log, `a:"cost" New oven`, map[string]any{"title": "New oven", "a": "cost"}, ""},
		{"a positional's name is text", log, `Promote Sam b:new job title: senior baker`, map[string]any{"title": "Promote Sam", "b": "new job title: senior baker"}, ""},
		{"greedy stops at an unknown option", log, `x a:cost colour:red`, nil, `no option "colour:"`},
		{"greedy stops at an empty known option", log, `x a:cost b:`, nil, "b: needs a value"},
		{"greedy swallows what was the title", log, `a:cost New oven`, nil, "missing TITLE"},
		{"greedy within its limit", log, `x a:` + strings.Repeat("w ", 25), nil, "a is too long"},
		{"clearable date", log, `x review:-`, map[string]any{"review": "0001-01-01"}, ""},
		{"clearable date given", log, `x review:2027-01-31`, map[string]any{"review": "2027-01-31"}, ""},
		{"only a clearable date clears", log, `x date:-`, nil, "can't read \"-\" as a date"},
		// Text may follow the options; only a word that plausibly belongs
		// to a unit or number value right before it is ambiguous.
		{"text after a number", add, `theme:volunteering target:40 Give 40 hours`, map[string]any{"text": "Give 40 hours", "target": 40.0}, ""},
		{"text after a number, lower case", add, `theme:volunteering target:40 give 40 hours`, map[string]any{"text": "give 40 hours"}, ""},
		{"number then digits", add, `x theme:carbon target:1 000`, nil, `target:1 000 is ambiguous: write the number without spaces`},
		{"number then multiplier", add, `x theme:carbon target:2 thousand`, nil, `target:2 thousand is ambiguous`},
		{"number then a unit", add, `x theme:carbon target:800 kg`, nil, `give the unit as its own option, target:800 unit:kg`},
		{"number then a unit at the start of text", add, `theme:volunteering target:40 hours at the food bank`, nil, `if "hours" begins your text, put the text in "quotes"`},
		{"number then quoted text", add, `theme:carbon target:800 "kg of waste"`, map[string]any{"text": "kg of waste", "target": 800.0}, ""},
		{"number then an option", add, `x theme:carbon target:800 unit:kg`, map[string]any{"unit": "kg", "target": 800.0}, ""},
		{"quoted number is whole", add, `theme:carbon target:"1,000" 500 trees`, map[string]any{"text": "500 trees", "target": 1000.0}, ""},
		{"positional number then digits", progress, `7 1 000`, nil, `1 000 is ambiguous: write the number without spaces`},
		{"positional number then a note", progress, `7 5 2 new starters`, nil, `if "2" begins the note, put it in "quotes"`},
		{"positional number then a quoted note", progress, `7 5 "2 new starters"`, map[string]any{"amount": 5.0, "note": "2 new starters"}, ""},
		{"positional number then words", progress, `7 5 hours with the team`, map[string]any{"amount": 5.0, "note": "hours with the team"}, ""},
		{"unit then a word", add, `x theme:carbon unit:raffle prizes`, nil, `unit:raffle prizes is ambiguous: a unit of more than one word goes in quotes, unit:"raffle prizes"`},
		{"unit then text", add, `theme:carbon unit:kg Cut waste`, nil, `if "Cut" begins your text, put the text in "quotes"`},
		{"unit then quoted text", add, `theme:carbon unit:kg "Cut waste"`, map[string]any{"text": "Cut waste", "unit": "kg"}, ""},
		{"unit then an option", add, `Cut waste unit:kg theme:carbon`, map[string]any{"text": "Cut waste", "unit": "kg"}, ""},
		{"unit at the end", add, `Cut waste theme:carbon unit:kg`, map[string]any{"text": "Cut waste", "unit": "kg"}, ""},
		{"quoted unit", add, `theme:carbon unit:"kg co2e" Cut waste`, map[string]any{"text": "Cut waste", "unit": "kg co2e"}, ""},
		{"unit then an unknown option", add, `x theme:carbon unit:kg colour:red`, nil, `no option "colour:"`},
		// A Signed number is a change when typed with a sign.
		{"signed plus", edit, `3 target:+5000`, map[string]any{"target": Delta(5000)}, ""},
		{"signed minus", edit, `3 target:-3,000`, map[string]any{"target": Delta(-3000)}, ""},
		{"signed money", edit, `3 target:+£2k`, map[string]any{"target": Delta(2000)}, ""},
		{"signed without sign", edit, `3 target:5`, map[string]any{"target": 5.0}, ""},
		{"signed twice", edit, `3 target:++5`, nil, "must be a number like +5 or -5"},
		{"signed minus plus", edit, `3 target:-+5`, nil, "must be a number like +5 or -5"},
		{"signed non-number", edit, `3 target:+lots`, nil, "must be a number"},
		{"unsigned refuses plus", add, `x theme:carbon target:+5`, nil, "target is a value here, not a change: write target:5, not target:+5"},
		{"unsigned refuses minus", add, `x theme:carbon target:-5`, nil, "can't be negative"},
		{"unsigned amount refuses plus", progress, `7 +5`, nil, "amount is a value here, not a change"},
		{"amount refuses minus", progress, `7 -100`, nil, "amount can't be negative"},
		// A Negative number reaches the handler below 0, still a value.
		{"negative passes minus", report, `7 -100`, map[string]any{"amount": -100.0}, ""},
		{"negative passes zero", report, `7 0`, map[string]any{"amount": 0.0}, ""},
		{"negative money", report, `7 £-2k`, map[string]any{"amount": -2000.0}, ""},
		{"negative refuses plus", report, `7 +5`, nil, "amount is a value here, not a change"},
		{"negative too large", report, `7 -2e12`, nil, "too large (at most 1e+12)"},
		{"bad user", member, `<!channel>`, nil, "must be a person"},
		{"extra words", member, `alice bob`, nil, `unexpected "bob"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args, err := testCmd.Parse(tt.sub, tt.line, themes)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("parsed %q, want error containing %q", tt.line, tt.err)
				}
				if !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %q, want it to contain %q", err, tt.err)
				}
				if ErrorCode(err) != Invalid || !strings.Contains(err.Error(), "Usage: /pledge "+tt.sub.Name) {
					t.Fatalf("error %q should be Invalid and show the usage line", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse %q: %v", tt.line, err)
			}
			if err := testCmd.PlaceDates(tt.sub, args, civil(2027, 3, 3)); err != nil {
				t.Fatalf("place dates of %q: %v", tt.line, err)
			}
			for k, want := range tt.want {
				var got any
				switch want.(type) {
				case float64:
					got, _ = args.Number(k)
				case Delta:
					d, _ := args.Delta(k)
					got = Delta(d)
				case int:
					got = args.Int(k)
				default:
					got = args.String(k)
				}
				if got != want {
					t.Errorf("%s = %#v, want %#v", k, got, want)
				}
			}
		})
	}
}

func TestUsage(t *testing.T) {
	got := testCmd.Usage(testCmd.Subs[0])
	want := "/pledge add TEXT theme:THEME [target:NUMBER] [unit:UNIT] [due:DATE] [visibility:public|private]"
	if got != want {
		t.Fatalf("usage\n got %s\nwant %s", got, want)
	}
}

func TestTypedRejectsUnknownNames(t *testing.T) {
	_, err := testCmd.Typed(testCmd.Subs[1], map[string]string{"pledge": "3", "amount": "1", "bogus": "x"}, nil)
	if err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Fatalf("want unknown option error, got %v", err)
	}
	args, err := testCmd.Typed(testCmd.Subs[1], map[string]string{"pledge": "#3", "amount": "1"}, nil)
	if err != nil || args.Int("pledge") != 3 {
		t.Fatalf("typed: %v %v", args, err)
	}
}

// FuzzParse checks the parser never panics and that what it accepts obeys
// the spec's limits.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`"Hire two local apprentices" theme:volunteering target:2 due:2027-06-30`,
		`x theme:carbon unit:"a b"`, `“x” theme:carbon`, `"a\"b" theme:carbon`, `"unclosed`,
		`7 5 note: here`, `<@U1|a>`, `theme:`, `a:b:c "d:e" f:"g`, "\x00\xff theme:carbon",
		`3 target:+5k unit:kg text`, `x theme:carbon target:1 000 unit:raffle prizes`, `3 target:-£2,500`,
		"Ac\u200bme  Bakery", "\u202eyrekab\u202c theme:carbon unit:k\ufeffg", "\u2067x\u2069 \u200d theme:carbon",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, sub := range testCmd.Subs {
			args, err := testCmd.Parse(sub, line, themes)
			if err != nil {
				if ErrorCode(err) != Invalid {
					t.Fatalf("error with code %s: %v", ErrorCode(err), err)
				}
				continue
			}
			if n := len([]rune(args.String("text"))); n > MaxText {
				t.Fatalf("accepted %d characters of text", n)
			}
			if v, ok := args.Number("target"); ok && (v < 0 || v > MaxNumber) {
				t.Fatalf("accepted target %v", v)
			}
			if v, ok := args.Number("amount"); ok && (v < 0 && !sub.option("amount").Negative || v < -MaxNumber || v > MaxNumber) {
				t.Fatalf("accepted amount %v in %s", v, sub.Name)
			}
			if v, ok := args.Delta("target"); ok && (v < -MaxNumber || v > MaxNumber || !sub.option("target").Signed) {
				t.Fatalf("accepted target change %v", v)
			}
			for _, name := range args.Names() {
				if strings.ContainsRune(args.String(name), '\x1f') {
					t.Fatalf("accepted a mention marker in %s", name)
				}
				if r, ok := FormatChar(args.String(name)); ok {
					t.Fatalf("accepted format character U+%04X in %s", r, name)
				}
				if o := sub.option(name); o != nil && o.IsName && strings.Join(strings.Fields(args.String(name)), " ") != args.String(name) {
					t.Fatalf("accepted a name with runs of spaces: %q", args.String(name))
				}
			}
		}
	})
}
