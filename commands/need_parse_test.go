package commands

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
)

var (
	needToday  = time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	needThemes = map[string]bot.Theme{
		"volunteering": {Key: "volunteering", Unit: "hours"},
		"carbon":       {Key: "carbon", Unit: "tonnes CO2e"},
		"fair-pay":     {Key: "fair-pay", Unit: "%", Measure: bot.MeasureRate},
	}
)

// parseNeedPost parses a /need post line as the router would, the theme
// read from needThemes.
func parseNeedPost(line string) (bot.Need, *bot.Args, error) {
	cmd := Need()
	args, err := cmd.Parse(cmd.Sub("post"), line, func(string) []string { return []string{"volunteering", "carbon", "fair-pay"} })
	if err == nil {
		err = cmd.PlaceDates(cmd.Sub("post"), args, needToday)
	}
	if err != nil {
		return bot.Need{}, nil, err
	}
	theme, ok := needThemes[args.String("theme")]
	if !ok {
		return bot.Need{}, nil, bot.Errorf(bot.Invalid, "unknown theme")
	}
	n, err := newNeed(args, theme, needToday)
	return n, args, err
}

// TestParseNeedPost is the table for /need post's grammar.
func TestParseNeedPost(t *testing.T) {
	cases := []struct {
		line    string
		text    string
		target  float64 // in the theme's unit
		unit    string
		area    string
		due     string
		partner string
		code    bot.Code // "" when accepted
	}{
		{line: "Saturday volunteers theme:volunteering target:40", text: "Saturday volunteers", target: 40, unit: "hours"},
		{line: `"Volunteers, Saturdays" theme:volunteering target:1,500 area:cb1 2ab due:2027-03-01 partner:"Food Bank"`,
			text: "Volunteers, Saturdays", target: 1500, unit: "hours", area: "CB1 2AB", due: "2027-03-01", partner: "Food Bank"},
		{line: "Less carbon theme:carbon target:500 unit:kg", text: "Less carbon", target: 0.5, unit: "kg CO2e"},
		{line: "Shifts theme:volunteering target:4 area:CB1 Hall", text: "Shifts Hall", target: 4, unit: "hours", area: "CB1"},
		{line: "theme:volunteering target:4", code: bot.Invalid},         // no text
		{line: "Shifts target:4", code: bot.Invalid},                     // no theme
		{line: "Shifts theme:volunteering", code: bot.Invalid},           // no target
		{line: "Shifts theme:volunteering target:0", code: bot.Invalid},  // nothing needed
		{line: "Shifts theme:volunteering target:-3", code: bot.Invalid}, // no sign
		{line: "Shifts theme:fair-pay target:100", code: bot.Invalid},    // a rate
		{line: "Shifts theme:volunteering target:4 unit:kg", code: bot.Invalid},
		{line: "Shifts theme:volunteering target:4 area:London", code: bot.Invalid},
		{line: "Shifts theme:volunteering target:4 due:2020-01-01", code: bot.Invalid},
		{line: "Shifts theme:volunteering target:4 due:someday", code: bot.Invalid},
		{line: strings.Repeat("x", 301) + " theme:volunteering target:4", code: bot.Invalid},
		{line: "Shifts theme:volunteering target:4 colour:red", code: bot.Invalid},
	}
	for _, c := range cases {
		n, args, err := parseNeedPost(c.line)
		switch {
		case c.code != "" && bot.ErrorCode(err) != c.code:
			t.Errorf("%q: %v, want %s", c.line, err, c.code)
		case c.code == "" && err != nil:
			t.Errorf("%q: refused: %v", c.line, err)
		case c.code == "" && (n.Text != c.text || n.Target != c.target || n.Unit != c.unit || n.Area != c.area ||
			(c.due != "" && n.Due.Format(time.DateOnly) != c.due) || (c.due == "" && !n.Due.IsZero()) || args.String("partner") != c.partner):
			t.Errorf("%q: %+v partner %q", c.line, n, args.String("partner"))
		}
	}
}

// FuzzNeedPost parses arbitrary /need post lines: never a panic, only
// Invalid refusals, and what is accepted has text within its limit, a
// target above 0, a postcode area or none, and no due date in the past.
func FuzzNeedPost(f *testing.F) {
	for _, seed := range []string{
		"Saturday volunteers theme:volunteering target:40",
		`"Volunteers" theme:volunteering target:£1.5k area:cb1 2ab due:1/3/2027 partner:"Food Bank"`,
		"x theme:carbon target:500 unit:kg", "x theme:carbon target:1e308 unit:g", "x theme:fair-pay target:3",
		"x theme:volunteering target:4 area:CB1 1st Troop", "<@U1> @here theme:volunteering target:1",
		"x theme:volunteering target:NaN", "x theme:volunteering target:4 due:29/02/2027", "\x00 theme: target:",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		n, _, err := parseNeedPost(line)
		if err != nil {
			if bot.ErrorCode(err) != bot.Invalid {
				t.Fatalf("%q: %v", line, err)
			}
			return
		}
		if n.Text == "" || utf8.RuneCountInString(n.Text) > 300 || !utf8.ValidString(n.Text) {
			t.Fatalf("%q: text %q", line, n.Text)
		}
		if !(n.Target > 0) {
			t.Fatalf("%q: target %v", line, n.Target)
		}
		if n.Area != "" && !postcodeRe.MatchString(n.Area) {
			t.Fatalf("%q: area %q", line, n.Area)
		}
		if !n.Due.IsZero() && n.Due.Before(needToday) {
			t.Fatalf("%q: due %v", line, n.Due)
		}
	})
}
