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
// sight of it.
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
