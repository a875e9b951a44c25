package bot

import (
	"regexp"
	"strings"
)

// Mentions of people the bot itself names (not user text) are wrapped in
// unit-separator characters. Parsed user text can never contain control
// characters, so a pledge cannot forge one; adapters turn them into real
// platform mentions and escape everything else.
const mentionMark = "\x1f"

// Mention refers to a person inside reply text.
func Mention(id Identity) string { return mentionMark + id.Key() + mentionMark }

var mentionRe = regexp.MustCompile(mentionMark + `([^` + mentionMark + `]+)` + mentionMark)

// RenderMentions replaces every Mention in s with render(identity), and the
// text between them with text(segment).
func RenderMentions(s string, text func(string) string, render func(Identity) string) string {
	var b strings.Builder
	last := 0
	for _, m := range mentionRe.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(text(s[last:m[0]]))
		if id, err := ParseIdentity(s[m[2]:m[3]]); err == nil {
			b.WriteString(render(id))
		}
		last = m[1]
	}
	b.WriteString(text(s[last:]))
	return b.String()
}

// PlainMention renders a mention as "@user" for plain text.
func PlainMention(id Identity) string { return "@" + id.User }
