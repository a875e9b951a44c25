package commands

import (
	"slices"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

// FuzzNeedList: whatever follows /need list is refused as Invalid or
// gives a known status (or none), and an area that is a postcode area or
// district, upper-cased, or none.
func FuzzNeedList(f *testing.F) {
	for _, seed := range []string{
		``, `theme:volunteering`, `area:cb1`, `area:CB`, `area:" cb1 "`, `area:London`, `area:CB1 2AB`,
		`status:met`, `status:all area:E14`, `status:gone`, `area:<@U1>`, "area:\x00", `area:É1`, `stray words`,
	} {
		f.Add(seed)
	}
	cmd := Need()
	themes := func(string) []string { return []string{"volunteering", "carbon"} }
	f.Fuzz(func(t *testing.T, line string) {
		args, err := cmd.Parse(cmd.Sub("list"), line, themes)
		if err == nil {
			var area string
			if area, err = needListArea(args); err == nil {
				if area != "" && (!areaFilterRe.MatchString(area) || area != strings.ToUpper(area)) {
					t.Fatalf("%q: area %q", line, area)
				}
				if st := args.String("status"); st != "" && !slices.Contains(needStatuses, st) {
					t.Fatalf("%q: status %q", line, st)
				}
				return
			}
		}
		if bot.ErrorCode(err) != bot.Invalid {
			t.Fatalf("%q: %v", line, err)
		}
	})
}

// FuzzNeedRef: /need show and /need close take a need number above 0 or
// refuse the line as Invalid.
func FuzzNeedRef(f *testing.F) {
	for _, seed := range []string{`4`, `#4`, `0`, `-1`, `x`, `4 5`, `99999999999999999999`, `need:4`, "#\x00", ``} {
		f.Add(seed)
	}
	cmd := Need()
	f.Fuzz(func(t *testing.T, line string) {
		for _, sub := range []string{"show", "close"} {
			args, err := cmd.Parse(cmd.Sub(sub), line, nil)
			if err != nil {
				if bot.ErrorCode(err) != bot.Invalid {
					t.Fatalf("%s %q: %v", sub, line, err)
				}
				continue
			}
			if args.Int("need") <= 0 {
				t.Fatalf("%s %q: need %d", sub, line, args.Int("need"))
			}
		}
	})
}

// FuzzConfirmLink: whatever follows /pledge confirm-link is refused as
// Invalid or gives a pledge number, revoke or nothing, and a whole
// number of days from 1 to MaxLinkDays.
func FuzzConfirmLink(f *testing.F) {
	for _, seed := range []string{
		`4`, `#4 days:14`, `4 revoke`, `4 revoke days:3`, `4 days:0`, `4 days:31`, `4 days:1.5`, `4 days:NaN`,
		`4 days:1e400`, `4 days:-2`, `4 days:£3`, `revoke 4`, `4 withdraw`, `4 days:7 days:8`, "4 days:\x00",
	} {
		f.Add(seed)
	}
	cmd := Pledge()
	f.Fuzz(func(t *testing.T, line string) {
		args, err := cmd.Parse(cmd.Sub("confirm-link"), line, nil)
		if err == nil {
			var days float64
			if days, err = linkDays(args); err == nil {
				if args.Int("pledge") <= 0 || (args.String("revoke") != "" && args.String("revoke") != "revoke") {
					t.Fatalf("%q: pledge %d revoke %q", line, args.Int("pledge"), args.String("revoke"))
				}
				if days < 1 || days > MaxLinkDays || days != float64(int(days)) {
					t.Fatalf("%q: days %v", line, days)
				}
				return
			}
		}
		if bot.ErrorCode(err) != bot.Invalid {
			t.Fatalf("%q: %v", line, err)
		}
	})
}

// FuzzNudgesNeeds: /nudges needs takes on or off and nothing else.
func FuzzNudgesNeeds(f *testing.F) {
	for _, seed := range []string{`on`, `off`, `ON`, ` off `, `yes`, ``, `on off`, `switch:on`, "o\x00n", `<!here>`} {
		f.Add(seed)
	}
	cmd := Nudges(nil)
	f.Fuzz(func(t *testing.T, line string) {
		args, err := cmd.Parse(cmd.Sub("needs"), line, nil)
		if err != nil {
			if bot.ErrorCode(err) != bot.Invalid {
				t.Fatalf("%q: %v", line, err)
			}
			return
		}
		if sw := args.String("switch"); sw != "on" && sw != "off" {
			t.Fatalf("%q: switch %q", line, sw)
		}
	})
}
