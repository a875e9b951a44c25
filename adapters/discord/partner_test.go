package discord

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
)

// A business on Slack makes a private pledge to a community partner whose
// people are on Discord: the partner's people see it there, with its
// partner named, and others do not; the partner is suggested as the
// business types; once the pledge no longer names it, its people lose
// sight of it. Progress logged on Slack asks them on Discord to confirm
// or query it; they query by the button's form, the business replies on
// Slack, and they confirm by the button.
func TestPartnerOnDiscordBusinessOnSlack(t *testing.T) {
	e := newEnv(t)
	slackOwner := bot.Identity{Platform: bot.Slack, Workspace: slackTeam, User: "U0SHOP"}
	onSlack := func(line string) bot.Reply {
		t.Helper()
		name, rest, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
		return e.h.Bot.Handle(context.Background(), bot.Request{ID: "slack-" + line, From: slackOwner, Name: "shop",
			Channel: "C1", Command: name, Text: rest})
	}
	mustSlack := func(line string) string {
		t.Helper()
		r := onSlack(line)
		if r.Err != nil {
			t.Fatalf("slack %s: %s", line, r.Err.Message)
		}
		return bot.PlainText(r)
	}
	r := e.slash(alice, "partner", "register", "name", "Food Bank", "area", "CB1", "about", "feeds the town")
	if !strings.Contains(answerText(r), "Registered partner #1: Food Bank") {
		t.Fatalf("register on Discord: %s", answerText(r))
	}
	e.slash(alice, "partner", "add-member", "user", bob)
	mustSlack("/business register Acme Bakery")
	mustSlack(`/s172 log "Board-only decision" b:"staff consulted" outcome:"agreed"`)
	out := mustSlack(`/pledge add "Forty hours at the food bank" theme:volunteering target:40 visibility:private partner:food`)
	if !strings.Contains(out, "Pledge #1 added for Acme Bakery") {
		t.Fatalf("pledge on Slack: %s", out)
	}
	for _, who := range []string{alice, bob} {
		txt := answerText(e.slash(who, "pledge", "show", "pledge", 1))
		if !strings.Contains(txt, "Forty hours at the food bank") || !strings.Contains(txt, "#1 Food Bank") {
			t.Errorf("partner person %s on Discord, /pledge show 1:\n%s", who, txt)
		}
	}
	if txt := answerText(e.slash(alice, "partner", "show", "partner", 1)); !strings.Contains(txt, "#1 Forty hours") {
		t.Errorf("/partner show 1 on Discord:\n%s", txt)
	}
	// Someone else on the server sees neither the pledge nor the decision;
	// the partner's people never see the board-only decision.
	if txt := answerText(e.slash("444", "pledge", "show", "pledge", 1)); !strings.Contains(txt, "no pledge #1") {
		t.Errorf("outsider on Discord, /pledge show 1:\n%s", txt)
	}
	if txt := answerText(e.slash(alice, "s172", "show", "decision", 1)); strings.Contains(txt, "Board-only") || !strings.Contains(txt, "no decision #1") {
		t.Errorf("partner person sees a board-only decision:\n%s", txt)
	}
	// Discord suggests partners as the partner: option is typed.
	d := map[string]any{"id": "1", "name": "pledge", "type": 1, "options": []map[string]any{{"name": "add", "type": 1,
		"options": []map[string]any{{"name": "partner", "type": 3, "value": "bank", "focused": true}}}}}
	ac := e.do(e.interaction(discordgo.InteractionApplicationCommandAutocomplete, alice, d))
	if len(ac.Data.Choices) != 1 || ac.Data.Choices[0].Name != "#1 Food Bank" {
		t.Fatalf("partner choices: %+v", ac.Data.Choices)
	}
	if v, _ := json.Marshal(ac.Data.Choices[0].Value); string(v) != `"1"` {
		t.Errorf("partner choice value %s, want the number as text", v)
	}
	// Progress logged on Slack asks the partner's people on Discord, by
	// direct message through the outbox, to confirm or query it; a retry of
	// the Slack request asks nobody again.
	for range 2 {
		if r := e.h.Bot.Handle(context.Background(), bot.Request{ID: "slack-trigger-p1", From: slackOwner, Name: "shop",
			Channel: "C1", Command: "pledge", Text: "progress 1 8"}); r.Err != nil {
			t.Fatalf("progress on Slack: %s", r.Err.Message)
		}
	}
	es, err := e.h.Store.OutboxNew(context.Background(), e.h.Community(), "test", 10)
	if err != nil || len(es) != 2 {
		t.Fatalf("outbox after progress: %d entries, %v", len(es), err)
	}
	for _, en := range es {
		if en.Notice.To.Platform != bot.Discord || (en.Notice.To.User != alice && en.Notice.To.User != bob) {
			t.Fatalf("notice to %+v", en.Notice.To)
		}
		before := len(e.api.Calls())
		if err := e.a.Send(context.Background(), en.Notice); err != nil {
			t.Fatal(err)
		}
		msg := e.api.Calls()[len(e.api.Calls())-1]
		body := string(msg.Body)
		if len(e.api.Calls()) == before || msg.Path != "/api/v10/channels/555/messages" ||
			!strings.Contains(body, "Pledge #1 (Acme Bakery)") || !strings.Contains(body, "logged 8 hours") ||
			!strings.Contains(body, `"custom_id":"r:pledge confirm 1 entry:1"`) || !strings.Contains(body, `"custom_id":"r:pledge query 1 entry:1"`) {
			t.Fatalf("direct message: %s %s", msg.Path, body)
		}
	}
	// Query asks for the note in a form; Confirm confirms.
	q := e.do(e.interaction(discordgo.InteractionMessageComponent, bob, buttonData("r:pledge query 1 entry:1")))
	if q.Type != discordgo.InteractionResponseModal || !strings.Contains(strings.Join(customIDs(q.Data.Components), ","), "note") {
		t.Fatalf("Query button: type %d fields %v", q.Type, customIDs(q.Data.Components))
	}
	r = e.do(e.interaction(discordgo.InteractionModalSubmit, bob, modalData(q.Data.CustomID, "note", "we counted 6")))
	if !strings.Contains(answerText(r), "Queried progress entry 1 of pledge #1") {
		t.Fatalf("query by form: %s", answerText(r))
	}
	mustSlack("/pledge reply 1 entry:1 two more hours on Saturday")
	r = e.do(e.interaction(discordgo.InteractionMessageComponent, alice, buttonData("r:pledge confirm 1 entry:1")))
	if !strings.Contains(answerText(r), "Confirmed progress entry 1 of pledge #1") {
		t.Fatalf("Confirm button: %s", answerText(r))
	}
	if out := mustSlack("/pledge show 1"); !strings.Contains(out, "replied about entry 1: two more hours on Saturday") ||
		!strings.Contains(out, "(entry 1, confirmed)") {
		t.Errorf("history on Slack:\n%s", out)
	}

	// The business takes the partner off its pledge: its people lose sight.
	if out := mustSlack("/pledge edit 1 partner:none"); !strings.Contains(out, "Pledge #1 updated") {
		t.Fatalf("edit on Slack: %s", out)
	}
	if txt := answerText(e.slash(bob, "pledge", "show", "pledge", 1)); !strings.Contains(txt, "no pledge #1") {
		t.Errorf("partner person after partner:none:\n%s", txt)
	}
	if out := mustSlack("/pledge show 1"); !strings.Contains(out, "changed partner to none") {
		t.Errorf("history on Slack:\n%s", out)
	}
}
