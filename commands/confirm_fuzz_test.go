package commands

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
)

// FuzzCheckOptions: whatever follows /pledge confirm, /pledge query or
// /pledge reply, the parser refuses it as Invalid or gives a pledge
// number, an entry number (0: the default) and, for a query or a reply, a
// note within its bound whose notice (to the owners, to the partner's
// people) is valid JSON with the entry's placeholder only where the bot
// put it.
func FuzzCheckOptions(f *testing.F) {
	for _, seed := range []string{
		`4`, `4 entry:2`, `#4 entry:#2`, `4 entry:0`, `4 entry:-1`, `4 entry:x`, `entry:2 4`,
		`4 entry:2 we counted 6 hours, not 8`, `4 we saw "three" entry:3`, `4 entry:2 entry:3 twice`,
		`4 note:"quoted note"`, `4 entry:99999999999999999999 hm`, `4 ` + strings.Repeat("long ", 80),
		`4 entry:2 <@U123> @here <!channel> http://x.test`, "4 entry:2 \x00entry", `4 “curly” entry:1`,
	} {
		f.Add(seed)
	}
	cmd := Pledge()
	f.Fuzz(func(t *testing.T, line string) {
		for _, sub := range []string{"confirm", "query", "reply"} {
			args, err := cmd.Parse(cmd.Sub(sub), line, nil)
			if err != nil {
				if bot.ErrorCode(err) != bot.Invalid {
					t.Fatalf("%s %q: %v", sub, line, err)
				}
				continue
			}
			if args.Int("pledge") <= 0 || args.Int("entry") < 0 {
				t.Fatalf("%s %q: pledge %d entry %d", sub, line, args.Int("pledge"), args.Int("entry"))
			}
			if sub == "confirm" {
				continue
			}
			note := args.String("note")
			if strings.TrimSpace(note) == "" || utf8.RuneCountInString(note) > 300 || !utf8.ValidString(note) {
				t.Fatalf("%s %q: note %q", sub, line, note)
			}
			// the bot's placeholders: query's title, correct and reply lines;
			// reply's title, confirm line and button
			notice, ours := bot.QueryNotice(args.Int("pledge"), "They say", note), 3
			if sub == "reply" {
				notice = replyNotice(args.Int("pledge"), note)
			}
			b, err := json.Marshal(notice)
			if err != nil || !json.Valid(b) {
				t.Fatalf("%s %q: notice %s: %v", sub, line, b, err)
			}
			if got := strings.Count(string(b), `\u0000entry`); got != ours+strings.Count(note, bot.EntryPlaceholder) {
				t.Fatalf("%s %q: %d placeholders in %s", sub, line, got, b)
			}
		}
	})
}
