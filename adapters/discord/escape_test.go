package discord

import (
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/pledgetest/hostiledigest"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Hire two apprentices (2027)", "Hire two apprentices (2027)"},
		{"kg` [click](https://evil.example)", "kg\\` \\[click\\](https://evil.example)"},
		{"<@123> <@&7> <#5> <t:0>", "\\<@123\\> \\<@&7\\> \\<#5\\> \\<t:0\\>"},
		{"@everyone @Here", "@\u200beveryone @\u200bHere"},
		{"**b** __u__ ~~s~~ ||x|| a\\b", "\\*\\*b\\*\\* \\_\\_u\\_\\_ \\~\\~s\\~\\~ \\|\\|x\\|\\| a\\\\b"},
		{"# h\n> q\n - li\n12. n\n+ p", "\\# h\n\\> q\n \\- li\n12\\. n\n\\+ p"},
		{"#3 costs £2.50 - ok", "\\#3 costs £2.50 - ok"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// botMention is the only markup user text may sit next to that acts: the
// bot's own mentions of Discord people.
var botMention = regexp.MustCompile(`<@\d+>`)

// liveMarkup lists what in rendered Discord markdown would act rather than
// show as typed: a backtick opening or closing a code span, a masked link,
// an angle-bracket mention, channel, role, timestamp or link, a spoiler,
// @everyone or @here, a line starting a heading, quote or list. The bot's
// own formatting is bold item titles (**) and mentions of people in
// allowed, which are removed first.
func liveMarkup(s string, allowed ...string) []string {
	for _, a := range allowed {
		s = strings.ReplaceAll(s, a, "")
	}
	var bad []string
	rs := []rune(s)
	lineStart := true
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c == '\\' {
			i++
			lineStart = false
			continue
		}
		ctx := string(rs[max(0, i-15):min(len(rs), i+15)])
		switch {
		case c == '`' || c == '[' || c == ']' || c == '<' || c == '>' && !lineStart || c == '_' || c == '~':
			bad = append(bad, "unescaped "+string(c)+" in "+ctx)
		case c == '|' && i+1 < len(rs) && rs[i+1] == '|':
			bad = append(bad, "spoiler in "+ctx)
		case c == '*' && !(i+1 < len(rs) && rs[i+1] == '*'):
			bad = append(bad, "unescaped * in "+ctx)
		case c == '*':
			i++ // the bot's bold
		case lineStart && strings.ContainsRune("#>-+", c):
			bad = append(bad, "line starts with "+string(c)+" in "+ctx)
		case lineStart && c >= '0' && c <= '9':
			j := i
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			if j < len(rs) && rs[j] == '.' {
				bad = append(bad, "numbered list in "+ctx)
			}
		}
		lineStart = c == '\n' || lineStart && (c == ' ' || c == '\t')
	}
	for _, w := range []string{"@everyone", "@here", "@Everyone"} {
		if strings.Contains(s, w) {
			bad = append(bad, w)
		}
	}
	return bad
}

// unescape is what Discord shows for escaped markdown.
func unescape(s string) string {
	s = strings.ReplaceAll(s, "\u200b", "")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// checkInert fails t when any markdown text of msgs would act, and unless
// the hostile text shows as typed somewhere.
func checkInert(t *testing.T, what string, msgs []message, shows ...string) {
	t.Helper()
	var all strings.Builder
	for _, m := range msgs {
		for _, e := range m.Embeds {
			texts := []string{e.Title, e.Description}
			for _, f := range e.Fields {
				texts = append(texts, f.Name, f.Value)
			}
			for _, s := range texts {
				for _, bad := range liveMarkup(s, botMention.FindAllString(s, -1)...) {
					t.Errorf("%s: %s\nin %q", what, bad, s)
				}
				all.WriteString(unescape(s) + "\n")
			}
		}
	}
	for _, s := range shows {
		if !strings.Contains(all.String(), s) {
			t.Errorf("%s: %q not shown as typed in:\n%s", what, s, all.String())
		}
	}
}

// TestHostileTextIsInert renders every field of every kind of item with
// hostile text: a reply built by hand with every field filled, and the
// replies of every command that echoes user text (pledge items with
// progress, fields, titles, actions, s172 records, the digest, the
// summary, a refusal). Nothing may act, and the text must show as typed.
func TestHostileTextIsInert(t *testing.T) {
	e := newEnv(t)
	h := pledgetest.Hostile
	r := bot.Reply{Title: h, Text: pledgetest.HostileLine,
		Items: []bot.Item{{Title: "#1 " + h, Text: pledgetest.HostileLine, Progress: &bot.Progress{Done: 1, Target: 4, Unit: h},
			Actions: []bot.Action{{Label: h, Command: "pledge done 1"}}}},
		Fields:  []bot.Field{{Label: h, Value: pledgetest.HostileLine}},
		Actions: []bot.Action{{Label: h, Command: "pledge list"}}}
	checkInert(t, "reply", render(e.h.Bot, r), "[click](https://evil.example)", "of 4 "+h)
	checkInert(t, "error", render(e.h.Bot, bot.Reply{Err: &bot.Error{Code: bot.Invalid, Message: pledgetest.HostileLine}}), h)
	// Clipping never leaves an escaping backslash to break the bold.
	long := bot.Reply{Items: []bot.Item{{Title: strings.Repeat("[", 400), Text: strings.Repeat("`", 2000)}}}
	checkInert(t, "clipped", render(e.h.Bot, long))
	for _, r := range pledgetest.HostileReplies(t, hostiledigest.Reply) {
		msgs := render(e.h.Bot, r)
		plain := bot.PlainText(r)
		var shows []string
		if strings.Contains(plain, "[a](https://evil.example)") {
			shows = append(shows, "[a](https://evil.example)")
		}
		checkInert(t, plain[:min(40, len(plain))], msgs, shows...)
		for _, m := range msgs {
			validate(t, pathSchema(t, opMessage, "post"), mustJSON(t, discordgo.MessageSend{Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions()}), "message")
		}
	}
}
