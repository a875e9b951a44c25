package slack

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/pledgetest/hostiledigest"
)

// mrkdwnTexts collects every mrkdwn text in rendered blocks.
func mrkdwnTexts(t *testing.T, v any) []string {
	t.Helper()
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	json.Unmarshal(js, &tree)
	var out []string
	var walk func(any)
	walk = func(n any) {
		switch n := n.(type) {
		case map[string]any:
			if n["type"] == "mrkdwn" {
				s, _ := n["text"].(string)
				out = append(out, s)
			}
			for _, c := range n {
				walk(c)
			}
		case []any:
			for _, c := range n {
				walk(c)
			}
		}
	}
	walk(tree)
	return out
}

var (
	slackSeq    = regexp.MustCompile(`<[^>]*>`)
	slackEntity = regexp.MustCompile(`&(amp|lt|gt);`)
)

// liveMrkdwn lists what in Slack mrkdwn would act rather than show as
// typed: any <…> control sequence (links, <!channel>, <@U…>) but the bot's
// own mentions in allowed, a bare & that is not an entity Slack decodes,
// and @here, @channel or @everyone.
func liveMrkdwn(s string, allowed ...string) []string {
	var bad []string
	for _, m := range slackSeq.FindAllString(s, -1) {
		ok := false
		for _, a := range allowed {
			ok = ok || m == a
		}
		if !ok {
			bad = append(bad, "control sequence "+m)
		}
	}
	if strings.ContainsAny(s, "<>") && len(slackSeq.FindAllString(s, -1)) == 0 {
		bad = append(bad, "bare < or >")
	}
	if strings.Contains(slackEntity.ReplaceAllString(s, ""), "&") {
		bad = append(bad, "bare &")
	}
	for _, w := range []string{"@here", "@channel", "@everyone"} {
		if strings.Contains(s, w) {
			bad = append(bad, w)
		}
	}
	return bad
}

// TestHostileTextIsInert renders every field of every kind of item with
// hostile text, as the Discord adapter's test of the same name does: no
// link, mention or broadcast may result, and the text shows as typed.
func TestHostileTextIsInert(t *testing.T) {
	r := renderer{team: team}
	h := pledgetest.Hostile
	replies := []bot.Reply{{Title: h, Text: pledgetest.HostileLine,
		Items: []bot.Item{{Title: "#1 " + h, Text: pledgetest.HostileLine, Progress: &bot.Progress{Done: 1, Target: 4, Unit: h},
			Actions: []bot.Action{{Label: h, Command: "pledge done 1"}}}},
		Fields:  []bot.Field{{Label: h, Value: pledgetest.HostileLine}},
		Actions: []bot.Action{{Label: h, Command: "pledge list"}},
		File:    &bot.File{Name: h, Content: []byte(h)}},
		{Err: &bot.Error{Code: bot.Invalid, Message: h}}}
	replies = append(replies, pledgetest.HostileReplies(t, hostiledigest.Reply)...)
	for _, reply := range replies {
		var shown strings.Builder
		texts := append(mrkdwnTexts(t, r.Blocks(reply)), r.fallback(reply))
		for _, s := range texts {
			for _, bad := range liveMrkdwn(s) {
				t.Errorf("%s\nin %q", bad, s)
			}
			shown.WriteString(strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "\u200b", "").Replace(s))
		}
		if plain := bot.PlainText(reply); strings.Contains(plain, "[a](https://evil.example) <@999>") &&
			!strings.Contains(shown.String(), "[a](https://evil.example) <@999>") {
			t.Errorf("hostile text not shown as typed:\n%s", shown.String())
		}
	}
}
