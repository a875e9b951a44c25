package commands

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
	"golang.org/x/text/unicode/norm"
)

// FuzzOutcome: whatever follows /pledge outcome, the parser and
// CleanOutcome refuse it as Invalid or give a pledge number and a
// non-empty NFC text of at most bot.MaxOutcome characters.
func FuzzOutcome(f *testing.F) {
	for _, seed := range []string{
		`4 It helped`, `#4 "quoted words"`, `4`, `x it helped`, `4 text:"named"`, "4 Cafe\u0301",
		`4 <@U123> @here <!channel> <https://x.test|click>`, `4 ` + strings.Repeat("é", bot.MaxOutcome),
		"4 \u200b\u200b", "4 a\x00b", "4 line one\nline two", `-1 hm`, `4 ` + strings.Repeat("\u0958", bot.MaxOutcome),
	} {
		f.Add(seed)
	}
	cmd := Pledge()
	f.Fuzz(func(t *testing.T, line string) {
		args, err := cmd.Parse(cmd.Sub("outcome"), line, nil)
		if err != nil {
			if bot.ErrorCode(err) != bot.Invalid {
				t.Fatalf("%q: %v", line, err)
			}
			return
		}
		if args.Int("pledge") <= 0 {
			t.Fatalf("%q: pledge %d", line, args.Int("pledge"))
		}
		text, err := bot.CleanOutcome(args.String("text"))
		if err != nil {
			if bot.ErrorCode(err) != bot.Invalid {
				t.Fatalf("%q: %v", line, err)
			}
			return
		}
		if text == "" || utf8.RuneCountInString(text) > bot.MaxOutcome || !norm.NFC.IsNormalString(text) || !utf8.ValidString(text) {
			t.Fatalf("%q: text %q", line, text)
		}
	})
}
