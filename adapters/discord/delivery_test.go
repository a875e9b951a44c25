package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
)

// A slow command is answered "thinking…" (type 5) at once and the answer
// edited in through the interaction webhook when it is ready.
func TestSlowCommandIsDeferred(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.DeferAfter = time.Nanosecond })
	release := make(chan struct{})
	e.h.Bot.Register(&bot.Command{Name: "slow", Help: "waits", Subs: []*bot.Subcommand{{
		Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
			<-release
			return bot.Reply{Title: "Finally", Text: "done for " + bot.Mention(c.Req.From)}, nil
		}}}})
	r := e.slash(alice, "slow", "")
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("first answer: type %d flags %d", r.Type, r.Data.Flags)
	}
	close(release)
	e.a.Wait()
	calls := e.api.Calls()
	if len(calls) != 1 || calls[0].Method != "PATCH" || calls[0].Path != "/api/v10/webhooks/999/tok800001/messages/@original" {
		t.Fatalf("calls: %+v", calls)
	}
	var edit discordgo.WebhookEdit
	var raw struct {
		AllowedMentions struct{ Parse []string } `json:"allowed_mentions"`
	}
	json.Unmarshal(calls[0].Body, &raw)
	json.Unmarshal(calls[0].Body, &edit)
	if raw.AllowedMentions.Parse == nil || len(raw.AllowedMentions.Parse) != 0 {
		t.Errorf("edit without allowed_mentions parse []: %s", calls[0].Body)
	}
	if txt := embedsText(*edit.Embeds); !strings.Contains(txt, "Finally") || !strings.Contains(txt, "done for <@"+alice+">") {
		t.Errorf("edited answer: %s", txt)
	}
}

// A reply too long for one message is deferred, edited into the first
// message and continued in follow-ups, all within Discord's limits and with
// nothing dropped.
func TestLongReplySplits(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "Acme")
	for i := 1; i <= 50; i++ {
		e.slash(alice, "pledge", "add", "text", fmt.Sprintf("Pledge %02d %s", i, strings.Repeat("long words ", 40)), "theme", "waste", "target", 3.0)
	}
	r := e.slash(alice, "pledge", "list")
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("long list answered with type %d", r.Type)
	}
	e.a.Wait()
	var all strings.Builder
	calls := e.api.Calls()
	if len(calls) < 2 || calls[0].Method != "PATCH" {
		t.Fatalf("calls: %d", len(calls))
	}
	for _, c := range calls {
		if c.Method == "POST" && !strings.HasPrefix(c.Path, "/api/v10/webhooks/999/") {
			t.Fatalf("unexpected call %s %s", c.Method, c.Path)
		}
		var m struct {
			Embeds []*discordgo.MessageEmbed `json:"embeds"`
			Flags  int                       `json:"flags"`
		}
		json.Unmarshal(c.Body, &m)
		checkLimits(t, m.Embeds)
		if c.Method == "POST" && m.Flags&64 == 0 {
			t.Error("follow-up of an ephemeral answer is public")
		}
		all.WriteString(embedsText(m.Embeds))
	}
	for i := 1; i <= 50; i++ {
		if !strings.Contains(all.String(), fmt.Sprintf("Pledge %02d", i)) {
			t.Errorf("pledge %d missing from the split answer", i)
		}
	}
}

func checkLimits(t *testing.T, es []*discordgo.MessageEmbed) {
	t.Helper()
	total := 0
	if len(es) == 0 || len(es) > maxEmbeds {
		t.Fatalf("%d embeds in one message", len(es))
	}
	for _, e := range es {
		if n := len([]rune(e.Description)); n > maxEmbedDesc {
			t.Errorf("description of %d characters", n)
		}
		if len(e.Fields) > maxFields {
			t.Errorf("%d fields", len(e.Fields))
		}
		total += embedSize(e)
	}
	if total > maxMessageText {
		t.Errorf("message of %d characters", total)
	}
}

func TestRenderLimits(t *testing.T) {
	e := newEnv(t)
	r := bot.Reply{Title: strings.Repeat("T", 300), Text: strings.Repeat("line of text\n", 800)}
	for i := range 60 {
		r.Fields = append(r.Fields, bot.Field{Label: fmt.Sprintf("F%d", i), Value: strings.Repeat("v", 1500)})
		r.Items = append(r.Items, bot.Item{Title: fmt.Sprintf("#%d item", i), Text: strings.Repeat("x", 400),
			Progress: &bot.Progress{Done: 1, Target: 3}, Actions: []bot.Action{{Label: "Mark done", Command: fmt.Sprintf("pledge done %d", i)}}})
	}
	msgs := render(e.h.Bot, r)
	var all strings.Builder
	for _, m := range msgs {
		checkLimits(t, m.Embeds)
		validate(t, pathSchema(t, opMessage, "post"), mustJSON(t, discordgo.MessageSend{Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions()}), "message")
		all.WriteString(embedsText(m.Embeds))
	}
	text := all.String()
	if strings.Count(text, "line of text") != 800 {
		t.Errorf("text lines: %d of 800", strings.Count(text, "line of text"))
	}
	if strings.Count(text, strings.Repeat("v", 500)) < 60 || !strings.Contains(text, "F59 (cont.)") {
		t.Error("field values dropped")
	}
	for i := range 60 {
		if !strings.Contains(text, fmt.Sprintf("#%d item", i)) {
			t.Errorf("item %d dropped", i)
		}
	}
	if n := len(customIDs(msgs[len(msgs)-1].Components)); n != 25 {
		t.Errorf("%d buttons, want Discord's 25", n)
	}
}

func TestMentionSafety(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "@everyone <@"+bob+"> <@&777> @here [Claim your grant](https://evil.example)")
	r := e.slash(alice, "business", "add-member", "user", bob)
	txt := answerText(r)
	if !strings.Contains(txt, "<@"+bob+"> is now a member") {
		t.Errorf("bot mention not rendered: %s", txt)
	}
	r = e.slash(alice, "business", "show")
	txt = answerText(r)
	for _, bad := range []string{"@everyone", "@here", "<@" + bob + "> <@&", "<@&777>"} {
		if strings.Contains(txt, bad) {
			t.Errorf("user text kept %q live:\n%s", bad, txt)
		}
	}
	for _, bad := range liveMarkup(txt, "<@"+alice+">", "<@"+bob+">") {
		t.Errorf("user text kept markup live: %s", bad)
	}
	if !strings.Contains(txt, "<@"+alice+"> (owner)") {
		t.Errorf("people not mentioned: %s", txt)
	}
	// Identities from other platforms are names, never Discord mentions.
	if got := text(bot.Mention(bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "U123"})); got != "@U123" {
		t.Errorf("slack mention rendered as %q", got)
	}
}

func TestSender(t *testing.T) {
	e := newEnv(t)
	e.api.limitOne["/api/v10/channels/555/messages"] = true // the first send is rate limited
	err := e.a.Send(context.Background(), bot.Notice{ID: "n1", Community: "town",
		To:    bot.Recipient{Platform: bot.Discord, Workspace: guild, User: alice},
		Reply: bot.Reply{Title: "Pledge #3 is due soon", Text: "@everyone look", Items: []bot.Item{{Title: "#3 Plant trees", Progress: &bot.Progress{Done: 1, Target: 4, Unit: "tonnes"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range e.api.Calls() {
		got = append(got, c.Method+" "+c.Path)
	}
	want := "POST /api/v10/users/@me/channels|POST /api/v10/channels/555/messages (429)|POST /api/v10/channels/555/messages"
	if strings.Join(got, "|") != want {
		t.Fatalf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
	last := e.api.Calls()[2]
	if !strings.Contains(string(last.Body), `"allowed_mentions":{"parse":[]`) || strings.Contains(string(last.Body), "@everyone") {
		t.Errorf("notice body: %s", last.Body)
	}
	if err := e.a.Send(context.Background(), bot.Notice{ID: "n2", To: bot.Recipient{Platform: bot.Discord, Channel: "444"},
		Reply: bot.Reply{Title: "Digest"}}); err != nil {
		t.Fatal(err)
	}
	if c := e.api.Calls(); c[len(c)-1].Path != "/api/v10/channels/444/messages" {
		t.Errorf("channel notice went to %s", c[len(c)-1].Path)
	}
	for _, bad := range []bot.Recipient{{Platform: bot.Slack, Channel: "1"}, {Platform: bot.Discord, User: "not-an-id"}, {Platform: bot.Discord}} {
		if err := e.a.Send(context.Background(), bot.Notice{ID: "x", To: bad}); err == nil {
			t.Errorf("sent to %+v", bad)
		}
	}
}

// Gateway interactions take the same path and answer through the callback
// endpoint.
func TestGatewayInteraction(t *testing.T) {
	e := newEnv(t)
	handler := e.a.onInteraction(context.Background())
	i, err := decode(e.interaction(discordgo.InteractionApplicationCommand, alice, slashData("business", "register", "name", "Gateway Ltd")))
	if err != nil {
		t.Fatal(err)
	}
	handler(e.a.session, &discordgo.InteractionCreate{Interaction: i})
	calls := e.api.Calls()
	if len(calls) != 1 || calls[0].Path != "/api/v10/interactions/800001/tok800001/callback" {
		t.Fatalf("calls: %+v", calls)
	}
	if r := decodeAnswer(t, calls[0].Body); !strings.Contains(answerText(r), "Registered business #1: Gateway Ltd") {
		t.Fatalf("answer: %s", answerText(r))
	}
}

// One community spans a Slack team and a Discord guild: what is pledged on
// one shows on the other, with people identified per platform.
func TestCrossPlatformCommunity(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "Acme")
	e.slash(alice, "pledge", "add", "text", "Made on Discord", "theme", "schools")
	slackReq := func(user, text string) bot.Reply {
		return e.h.Bot.Handle(context.Background(), bot.Request{ID: "slack-" + text, From: bot.Identity{Platform: bot.Slack, Workspace: slackTeam, User: user},
			Command: "pledge", Text: text})
	}
	if got := bot.PlainText(slackReq("U1", "list")); !strings.Contains(got, "Made on Discord") {
		t.Fatalf("Slack list misses the Discord pledge:\n%s", got)
	}
	if got := e.h.MustDo("someone", "/pledge list"); !strings.Contains(got, "Made on Discord") {
		t.Fatalf("console list misses the Discord pledge:\n%s", got)
	}
	// A Slack person is not the Discord owner: they can't complete it.
	if r := slackReq("U1", "done 1"); r.Err == nil {
		t.Fatal("a Slack user completed a Discord business's pledge")
	}
	// And the other way round: a Slack business's pledge shows on Discord.
	e.h.Bot.Handle(context.Background(), bot.Request{ID: "s1", From: bot.Identity{Platform: bot.Slack, Workspace: slackTeam, User: "U2"}, Command: "business", Text: "register Slack Shop"})
	if r := slackReq("U2", `add "Made on Slack" theme:carbon`); r.Err != nil {
		t.Fatal(r.Err.Message)
	}
	txt := answerText(e.slash(bob, "pledge", "list"))
	if !strings.Contains(txt, "Made on Slack") || !strings.Contains(txt, "Made on Discord") {
		t.Fatalf("Discord list:\n%s", txt)
	}
	txt = answerText(e.slash(bob, "business", "show", "business", 2))
	if !strings.Contains(txt, "@U2 (owner)") || strings.Contains(txt, "<@U2>") {
		t.Fatalf("Slack owner shown on Discord as: %s", txt)
	}
}

// Exports arrive as attachments: the answer is deferred and the file sent
// with the edit (multipart), and notices carry it too.
func TestFileAttachment(t *testing.T) {
	e := newEnv(t)
	csv := []byte("theme,committed\ncarbon,4\n")
	e.h.Bot.Register(&bot.Command{Name: "export", Help: "csv", Subs: []*bot.Subcommand{{
		Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
			return bot.Reply{Title: "Export", File: &bot.File{Name: "pledges.csv", Type: "text/csv", Content: csv}}, nil
		}}}})
	r := e.slash(alice, "export", "")
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("type %d", r.Type)
	}
	e.a.Wait()
	calls := e.api.Calls()
	if len(calls) != 1 || calls[0].Method != "PATCH" || string(calls[0].Files["pledges.csv"]) != string(csv) {
		t.Fatalf("calls: %+v", calls)
	}
	if err := e.a.Send(context.Background(), bot.Notice{ID: "f", To: bot.Recipient{Platform: bot.Discord, Channel: channel},
		Reply: bot.Reply{Title: "Monthly export", File: &bot.File{Name: "m.csv", Content: csv}}}); err != nil {
		t.Fatal(err)
	}
	calls = e.api.Calls()
	if last := calls[len(calls)-1]; string(last.Files["m.csv"]) != string(csv) {
		t.Fatalf("notice attachment: %+v", last)
	}
	big := render(e.h.Bot, bot.Reply{Title: "Huge", File: &bot.File{Name: "big.csv", Content: make([]byte, MaxFile+1)}})
	if big[0].File != nil || !strings.Contains(big[0].Embeds[0].Footer.Text, "too large") {
		t.Fatal("oversized file neither refused nor explained")
	}
}

func TestErrorTitles(t *testing.T) {
	e := newEnv(t)
	r := e.slash(bob, "pledge", "show", "pledge", 99)
	if r.Data.Embeds[0].Title != "Not found" || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("not found: %q flags %d", r.Data.Embeds[0].Title, r.Data.Flags)
	}
}
