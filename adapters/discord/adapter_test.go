package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
)

// register makes alice the owner of a business, through Discord.
func (e *env) register(user, name string) {
	e.t.Helper()
	r := e.slash(user, "business", "register", "name", name)
	if !strings.Contains(answerText(r), "Registered business") {
		e.t.Fatalf("register: %s", answerText(r))
	}
}

func TestSlashCommandFlow(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "Acme Bakery")
	r := e.slash(alice, "pledge", "add", "text", "Hire two local apprentices", "theme", "apprenticeships", "target", 2.0, "due", "2027-06-30")
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource {
		t.Fatalf("type %d", r.Type)
	}
	if r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Error("answer is not ephemeral by default")
	}
	txt := answerText(r)
	for _, want := range []string{"Pledge #1 added for Acme Bakery", "Hire two local apprentices", "░", "0% (0 of 2 weeks of apprenticeship)"} {
		if !strings.Contains(txt, want) {
			t.Errorf("answer lacks %q:\n%s", want, txt)
		}
	}
	ids := customIDs(r.Data.Components)
	if strings.Join(ids, ",") != "r:pledge progress 1,r:pledge done 1,r:pledge snooze 1 7d" {
		t.Errorf("buttons: %v", ids)
	}
	// share:true answers in public.
	r = e.slash(alice, "pledge", "list", "share", true)
	if r.Data.Flags&discordgo.MessageFlagsEphemeral != 0 || !strings.Contains(answerText(r), "#1 Hire two") {
		t.Errorf("shared list: flags %d\n%s", r.Data.Flags, answerText(r))
	}
	// Validation is the core's: a bad date says what is wrong and how.
	r = e.slash(alice, "pledge", "add", "text", "x", "theme", "carbon", "due", "06/30/2027")
	if txt := answerText(r); !strings.Contains(txt, "write the day first, like 30/6/2027") || !strings.Contains(txt, "Usage: /pledge add") {
		t.Errorf("bad date answer: %s", txt)
	}
	if r.Data.Embeds[0].Color != colorError {
		t.Error("refusal not shown as an error")
	}
	// Withdraw: the boolean confirm maps to the spec's "confirm" word.
	r = e.slash(alice, "pledge", "withdraw", "pledge", 1)
	if !strings.Contains(answerText(r), "Withdraw pledge #1") || customIDs(r.Data.Components)[0] != "r:pledge withdraw 1 confirm" {
		t.Errorf("withdraw prompt: %s %v", answerText(r), customIDs(r.Data.Components))
	}
	r = e.slash(alice, "pledge", "withdraw", "pledge", 1, "confirm", true)
	if !strings.Contains(answerText(r), "Pledge #1 withdrawn") {
		t.Errorf("withdraw: %s", answerText(r))
	}
	// Commands and subcommands the spec doesn't have get the core's answer.
	r = e.slash(alice, "nope", "")
	if !strings.Contains(answerText(r), "There is no /nope command") {
		t.Errorf("unknown: %s", answerText(r))
	}
	r = e.slash(alice, "pledge", "explode")
	if !strings.Contains(answerText(r), "has no \"explode\"") {
		t.Errorf("unknown sub: %s", answerText(r))
	}
	r = e.slash(alice, "help", "", "command", "pledge")
	if !strings.Contains(answerText(r), "/pledge add") {
		t.Errorf("help: %s", answerText(r))
	}
	r = e.slash(alice, "pledge", "list", "bogus", "1")
	if !strings.Contains(answerText(r), "no option \"bogus\"") {
		t.Errorf("unknown option: %s", answerText(r))
	}
}

func TestRepeatedDeliveryHasOneEffect(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "Acme")
	body := e.interactionID("900001", discordgo.InteractionApplicationCommand, alice,
		slashData("pledge", "add", "text", "Buy local bread", "theme", "buy-local", "target", 20000.0))
	first := answerText(e.do(body))
	second := answerText(e.do(body))
	if !strings.Contains(first, "Pledge #1") || !strings.Contains(second, "Pledge #1") {
		t.Fatalf("answers:\n%s\n%s", first, second)
	}
	list := e.h.MustDo(e.h.Admin, "/pledge list status:all")
	if strings.Count(list, "Buy local bread") != 1 {
		t.Fatalf("one delivery id, several pledges:\n%s", list)
	}
}

func TestModalForMissingText(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "Acme")
	r := e.slash(alice, "pledge", "add", "theme", "volunteering", "target", 40.0, "share", true)
	if r.Type != discordgo.InteractionResponseModal {
		t.Fatalf("type %d, want a modal: %s", r.Type, answerText(r))
	}
	if got := customIDs(r.Data.Components); strings.Join(got, ",") != "text" {
		t.Fatalf("modal fields %v", got)
	}
	if !strings.HasPrefix(r.Data.CustomID, "m:pledge add?") || len(r.Data.CustomID) > 100 {
		t.Fatalf("modal id %q", r.Data.CustomID)
	}
	sub := e.do(e.interaction(discordgo.InteractionModalSubmit, alice, modalData(r.Data.CustomID, "text", "Forty hours at the food bank")))
	txt := answerText(sub)
	if !strings.Contains(txt, "Pledge #1 added") || !strings.Contains(txt, "staff volunteering") || !strings.Contains(txt, "0 of 40 hours") {
		t.Fatalf("modal submit: %s", txt)
	}
	if sub.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
		t.Error("share:true lost through the modal")
	}
	// A forged modal id is refused, not run.
	bad := e.do(e.interaction(discordgo.InteractionModalSubmit, alice, modalData("m:nope x?a=b", "text", "x")))
	if !strings.Contains(answerText(bad), "older version") {
		t.Errorf("forged modal: %s", answerText(bad))
	}
}

func modalData(id string, kv ...string) map[string]any {
	var rows []map[string]any
	for i := 0; i+1 < len(kv); i += 2 {
		rows = append(rows, map[string]any{"type": 1, "components": []map[string]any{{"type": 4, "custom_id": kv[i], "value": kv[i+1]}}})
	}
	return map[string]any{"custom_id": id, "components": rows}
}

func buttonData(id string) map[string]any {
	return map[string]any{"custom_id": id, "component_type": 2}
}

func TestButtons(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "Acme")
	e.slash(alice, "pledge", "add", "text", "Volunteer", "theme", "volunteering", "target", 40.0)
	// Log progress needs an amount: a modal asks for it and the note.
	r := e.do(e.interaction(discordgo.InteractionMessageComponent, alice, buttonData("r:pledge progress 1")))
	if r.Type != discordgo.InteractionResponseModal || strings.Join(customIDs(r.Data.Components), ",") != "amount,note" {
		t.Fatalf("log progress: type %d fields %v", r.Type, customIDs(r.Data.Components))
	}
	r = e.do(e.interaction(discordgo.InteractionModalSubmit, alice, modalData(r.Data.CustomID, "amount", "12.5", "note", "first session")))
	if txt := answerText(r); !strings.Contains(txt, "Logged 12.5 hours against pledge #1") || !strings.Contains(txt, "31%") {
		t.Fatalf("progress: %s", txt)
	}
	// A bad amount is the core's refusal, not a crash.
	m := e.do(e.interaction(discordgo.InteractionMessageComponent, alice, buttonData("r:pledge progress 1")))
	r = e.do(e.interaction(discordgo.InteractionModalSubmit, alice, modalData(m.Data.CustomID, "amount", "lots")))
	if !strings.Contains(answerText(r), "must be a number") {
		t.Fatalf("bad amount: %s", answerText(r))
	}
	// Mark done runs at once, as the presser.
	r = e.do(e.interaction(discordgo.InteractionMessageComponent, alice, buttonData("r:pledge done 1")))
	if !strings.Contains(answerText(r), "Pledge #1 is done") {
		t.Fatalf("done: %s", answerText(r))
	}
	// Someone outside the business can't press it for them.
	e.slash(alice, "pledge", "add", "text", "Second", "theme", "carbon")
	r = e.do(e.interaction(discordgo.InteractionMessageComponent, bob, buttonData("r:pledge done 2")))
	if r.Data.Embeds[0].Color != colorError {
		t.Fatalf("bob completed alice's pledge: %s", answerText(r))
	}
	r = e.do(e.interaction(discordgo.InteractionMessageComponent, alice, buttonData("x:whatever")))
	if !strings.Contains(answerText(r), "older version") {
		t.Fatalf("foreign button: %s", answerText(r))
	}
}

// TestButtonsAreOnlyThoseDeclared: the adapter renders the buttons a
// reply declares, labelled with the item's Ref, and invents none: a
// "Mark done" without a declared snooze gets no "Snooze a week", however
// its command or title reads. The core declares snooze in PledgeItem.
func TestButtonsAreOnlyThoseDeclared(t *testing.T) {
	e := newEnv(t)
	item := bot.Item{Title: "#4 Plant trees", Ref: "#4", Actions: []bot.Action{{Label: "Mark done", Command: "pledge done 4"}}}
	msg := render(e.h.Bot, bot.Reply{Items: []bot.Item{item}})[0]
	if ids := customIDs(msg.Components); strings.Join(ids, ",") != "r:pledge done 4" {
		t.Fatalf("undeclared snooze rendered: %v", ids)
	}
	if l := buttonLabels(msg.Components); strings.Join(l, ",") != "Mark done #4" {
		t.Fatalf("labels: %v", l)
	}
	// No Ref, no number, whatever the title says.
	item.Ref = ""
	if l := buttonLabels(render(e.h.Bot, bot.Reply{Items: []bot.Item{item}})[0].Components); strings.Join(l, ",") != "Mark done" {
		t.Fatalf("labels without a Ref: %v", l)
	}
	p := e.h.Bot.PledgeItem(e.h.Community(), bot.Pledge{Number: 4, Text: "Plant trees", Theme: "carbon", Status: bot.StatusActive})
	if ids := customIDs(render(e.h.Bot, bot.Reply{Items: []bot.Item{p}})[0].Components); strings.Join(ids, ",") != "r:pledge progress 4,r:pledge done 4,r:pledge snooze 4 7d" {
		t.Fatalf("declared snooze: %v", ids)
	}
}

func TestAutocomplete(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "Acme")
	for i := 1; i <= 30; i++ {
		e.slash(alice, "pledge", "add", "text", fmt.Sprintf("Pledge number %d", i), "theme", "carbon")
	}
	ac := func(sub string, opts ...map[string]any) discordgo.InteractionResponse {
		d := map[string]any{"id": "1", "name": "pledge", "type": 1,
			"options": []map[string]any{{"name": sub, "type": 1, "options": opts}}}
		return e.do(e.interaction(discordgo.InteractionApplicationCommandAutocomplete, alice, d))
	}
	r := ac("show", map[string]any{"name": "pledge", "type": 4, "value": "", "focused": true})
	if r.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(r.Data.Choices) != 25 {
		t.Fatalf("type %d, %d choices", r.Type, len(r.Data.Choices))
	}
	r = ac("show", map[string]any{"name": "pledge", "type": 4, "value": "2", "focused": true})
	for _, c := range r.Data.Choices {
		if !strings.HasPrefix(c.Name, "#2") && !strings.Contains(c.Name, "2") {
			t.Errorf("choice %q doesn't match 2", c.Name)
		}
	}
	if len(r.Data.Choices) == 0 {
		t.Fatal("no choices for 2")
	}
	r = ac("list", map[string]any{"name": "business", "type": 3, "value": "ac", "focused": true})
	if len(r.Data.Choices) != 1 || r.Data.Choices[0].Name != "#1 Acme" {
		t.Fatalf("business choices: %+v", r.Data.Choices)
	}
	if v, _ := json.Marshal(r.Data.Choices[0].Value); string(v) != `"1"` { // the number, as the option's text
		t.Fatalf("business value %s", v)
	}
	r = ac("list", map[string]any{"name": "nothing", "type": 3, "value": "", "focused": true})
	if len(r.Data.Choices) != 0 {
		t.Fatalf("choices for an unknown option: %+v", r.Data.Choices)
	}
}

func TestDirectMessagesAreRefused(t *testing.T) {
	e := newEnv(t)
	body := mustJSON(t, map[string]any{"id": "5", "application_id": appID, "type": 2, "token": "t", "version": 1,
		"user": map[string]any{"id": alice}, "data": slashData("pledge", "list")})
	r := e.do(body)
	if !strings.Contains(answerText(r), "works inside a server") {
		t.Fatalf("DM: %s", answerText(r))
	}
}

var _ = context.Background

func buttonLabels(cs []discordgo.MessageComponent) []string {
	var out []string
	for _, c := range cs {
		switch c := c.(type) {
		case *discordgo.ActionsRow:
			out = append(out, buttonLabels(c.Components)...)
		case discordgo.ActionsRow:
			out = append(out, buttonLabels(c.Components)...)
		case *discordgo.Button:
			out = append(out, c.Label)
		case discordgo.Button:
			out = append(out, c.Label)
		}
	}
	return out
}
