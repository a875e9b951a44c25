package slack

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pledgebot/pledgebot/bot"
)

func TestMrkdwnMentions(t *testing.T) {
	r := renderer{team: team}
	for _, tc := range []struct{ in, want string }{
		{"hi " + bot.Mention(bot.Identity{Platform: bot.Slack, Workspace: team, User: "U1"}), "hi <@U1>"},
		// Someone of another Slack team, or another platform, is only named.
		{bot.Mention(bot.Identity{Platform: bot.Slack, Workspace: "T0OTHER", User: "U2"}), "@U2"},
		{bot.Mention(bot.Identity{Platform: bot.Discord, Workspace: "g1", User: "123"}), "@123"},
		{bot.Mention(bot.Identity{Platform: bot.Slack, Workspace: team, User: "not-an-id"}), "@not-an-id"},
		// Typed by a user, every control sequence is inert.
		{"<!channel> <!here|here> <@U1> <!subteam^S1> a & b", "&lt;!channel&gt; &lt;!here|here&gt; &lt;@U1&gt; &lt;!subteam^S1&gt; a &amp; b"},
		{"@here and @channel and @everyone", "@\u200bhere and @\u200bchannel and @\u200beveryone"},
		{"<https://evil.example|click>", "&lt;https://evil.example|click&gt;"},
	} {
		if got := r.mrkdwn(tc.in); got != tc.want {
			t.Errorf("mrkdwn(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitText(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		max  int
	}{
		{"short", "hello", 10},
		{"lines", strings.Repeat("line of text\n", 50), 40},
		{"words", strings.Repeat("word ", 100), 33},
		{"no spaces", strings.Repeat("x", 95), 10},
		{"entities", strings.Repeat("a&amp;b ", 30), 11},
		{"mentions", strings.Repeat("<@U12345> ", 30), 12},
		{"runes", strings.Repeat("£é", 40), 7},
	} {
		parts := splitText(tc.in, tc.max)
		for _, p := range parts {
			if n := utf8.RuneCountInString(p); n > tc.max {
				t.Errorf("%s: part of %d > %d", tc.name, n, tc.max)
			}
			if strings.Count(p, "&") != strings.Count(p, ";") || strings.Count(p, "<") != strings.Count(p, ">") {
				t.Errorf("%s: part cuts an entity or mention: %q", tc.name, p)
			}
		}
		joined := strings.Join(parts, "")
		if strip(joined) != strip(tc.in) {
			t.Errorf("%s: content changed:\n%q\n%q", tc.name, joined, tc.in)
		}
	}
}

func strip(s string) string { return strings.ReplaceAll(s, "\n", "") }

func TestMessagesSplitAt50Blocks(t *testing.T) {
	r := renderer{team: team}
	var reply bot.Reply
	for i := 0; i < 80; i++ {
		reply.Items = append(reply.Items, bot.Item{Title: "x", Actions: []bot.Action{{Label: "Go", Command: "pledge done 1"}}})
	}
	msgs := Messages(r.Blocks(reply))
	total := 0
	for _, m := range msgs {
		if len(m) > MaxBlocks {
			t.Fatalf("%d blocks", len(m))
		}
		total += len(m)
	}
	if len(msgs) != 4 || total != 160 {
		t.Fatalf("%d messages, %d blocks; want 4 and 160", len(msgs), total)
	}
}

func TestRenderShapes(t *testing.T) {
	r := renderer{team: team}
	reply := bot.Reply{Title: "T", Fields: []bot.Field{{Label: "Sector", Value: "retail"}},
		Actions: []bot.Action{{Label: "Withdraw", Command: "pledge withdraw 1 confirm", Style: "danger"}},
		File:    &bot.File{Name: "summary.csv", Content: []byte("theme,committed\ncarbon,5\n")}}
	js, _ := json.Marshal(r.Blocks(reply))
	s := unescapeJSON(string(js))
	for _, want := range []string{"*Sector:* retail", `"style":"danger"`, `"value":"pledge withdraw 1 confirm"`, "```theme,committed\ncarbon,5\n```"} {
		if !strings.Contains(strings.ReplaceAll(s, `\n`, "\n"), want) {
			t.Errorf("want %q in %s", want, s)
		}
	}
	if js, _ := json.Marshal(r.Blocks(bot.ErrorReply(bot.Errorf(bot.Invalid, "no <!channel>")))); !strings.Contains(unescapeJSON(string(js)), ":warning: no &lt;!channel&gt;") {
		t.Errorf("error: %s", js)
	}
}
