package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	slackapi "github.com/slack-go/slack"
)

// openedView returns the view and metadata of the n-th views.open call.
func openedView(t *testing.T, e *env, n int) (map[string]any, string) {
	t.Helper()
	calls := e.slack.wait("views.open", n)
	var req struct {
		TriggerID string         `json:"trigger_id"`
		View      map[string]any `json:"view"`
	}
	if err := json.Unmarshal(calls[n-1].Body, &req); err != nil {
		t.Fatal(err)
	}
	meta, _ := req.View["private_metadata"].(string)
	return req.View, meta
}

// inputs lists the block_ids of a view's input blocks with element types.
func inputs(view map[string]any) map[string]string {
	out := map[string]string{}
	blocks, _ := view["blocks"].([]any)
	for _, b := range blocks {
		m := b.(map[string]any)
		if m["type"] == "input" {
			out[m["block_id"].(string)] = m["element"].(map[string]any)["type"].(string)
		}
	}
	return out
}

func submitPayload(user, trigger, meta string, values map[string]map[string]any) map[string]any {
	state := map[string]any{}
	for block, v := range values {
		state[block] = map[string]any{block: v}
	}
	return map[string]any{"type": "view_submission", "team": map[string]any{"id": team}, "user": map[string]any{"id": user, "name": "x"},
		"trigger_id": trigger, "view": map[string]any{"type": "modal", "callback_id": modalCallback, "private_metadata": meta,
			"state": map[string]any{"values": state}}}
}

func text(v string) map[string]any   { return map[string]any{"type": "plain_text_input", "value": v} }
func number(v string) map[string]any { return map[string]any{"type": "number_input", "value": v} }
func date(v string) map[string]any   { return map[string]any{"type": "datepicker", "selected_date": v} }
func choice(v string) map[string]any {
	return map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v}}
}

type submitAnswer struct {
	Action string            `json:"response_action"`
	Errors map[string]string `json:"errors"`
	View   json.RawMessage   `json:"view"`
}

func (e *env) submit(payload map[string]any) submitAnswer {
	e.t.Helper()
	w := e.interact(payload)
	var a submitAnswer
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &a) != nil {
		e.t.Fatalf("submission: status %d: %s", w.Code, w.Body)
	}
	return a
}

func TestPledgeAddModal(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", "/business register Acme")
	code, m := e.command("U1", "/pledge add")
	if code != 200 || len(m.Blocks) != 0 {
		t.Fatalf("/pledge add with no text must open a modal and answer empty, got %d %s", code, m)
	}
	view, meta := openedView(t, e, 1)
	got := inputs(view)
	for block, typ := range map[string]string{"text": "plain_text_input", "theme": "static_select", "target": "number_input",
		"unit": "plain_text_input", "due": "datepicker", "visibility": "static_select"} {
		if got[block] != typ {
			t.Errorf("modal input %s: %q, want %s (all: %v)", block, got[block], typ, got)
		}
	}
	if js, _ := json.Marshal(view); !strings.Contains(string(js), `"value":"apprenticeships"`) {
		t.Fatalf("theme select lacks the community's themes: %s", js)
	}

	// Invalid fields come back inline, each on its own block.
	a := e.submit(submitPayload("U1", "s1", meta, map[string]map[string]any{
		"theme": choice("carbon"), "target": number("-5"), "due": date("2027-01-01")}))
	if a.Action != "errors" || a.Errors["text"] == "" || !strings.Contains(a.Errors["target"], "negative") {
		t.Fatalf("want errors on text and target, got %+v", a)
	}
	// A refusal by the command itself lands on the field it names.
	a = e.submit(submitPayload("U1", "s2", meta, map[string]map[string]any{
		"text": text("Plant trees"), "theme": choice("carbon"), "due": date("2020-01-01")}))
	if a.Action != "errors" || !strings.Contains(a.Errors["due"], "in the past") {
		t.Fatalf("want an error on due, got %+v", a)
	}
	if ps := e.pledges("U1"); len(ps) != 0 {
		t.Fatalf("refused submissions created %d pledges", len(ps))
	}
	a = e.submit(submitPayload("U1", "s3", meta, map[string]map[string]any{
		"text": text("Plant <!channel> trees"), "theme": choice("carbon"), "target": number("40"), "due": date("2027-03-31"),
		"visibility": choice("private")}))
	if a.Action != "update" || !strings.Contains(unescapeJSON(string(a.View)), "Pledge #1 added for Acme") ||
		!strings.Contains(unescapeJSON(string(a.View)), "&lt;!channel&gt;") {
		t.Fatalf("valid submission: %+v %s", a, a.View)
	}
	ps := e.pledges("U1")
	if len(ps) != 1 || ps[0].Target != 40 || ps[0].Visibility != bot.Private || ps[0].Due.Format("2006-01-02") != "2027-03-31" {
		t.Fatalf("stored: %+v", ps)
	}
}

func (e *env) pledges(user string) []bot.Pledge {
	e.t.Helper()
	ps, err := e.h.Store.Pledges(context.Background(), e.community(), bot.Actor{ID: e.identity(user)}, bot.PledgeFilter{Status: "all"})
	if err != nil {
		e.t.Fatal(err)
	}
	return ps
}

func pressPayload(user, trigger, value string, responseURL string) map[string]any {
	p := map[string]any{"type": "block_actions", "team": map[string]any{"id": team}, "user": map[string]any{"id": user},
		"trigger_id": trigger, "channel": map[string]any{"id": "C0CHAN"}, "container": map[string]any{"type": "message"},
		"actions": []any{map[string]any{"action_id": actionPrefix + "0", "block_id": "b", "type": "button", "value": value}}}
	if responseURL != "" {
		p["response_url"] = responseURL
	}
	return p
}

func TestButtons(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", "/business register Acme")
	js := e.mustCommand("U1", `/pledge add "Volunteer at the food bank" theme:volunteering target:40`)
	if !strings.Contains(js, `"value":"pledge progress 1"`) || !strings.Contains(js, `"value":"pledge done 1"`) {
		t.Fatalf("pledge reply lacks its buttons: %s", js)
	}
	if !strings.Contains(js, `"value":"pledge snooze 1 7d"`) {
		t.Fatalf("Snooze a week not offered though /pledge snooze exists: %s", js)
	}

	// Log progress needs an amount: it opens a modal for the rest of the
	// subcommand, with the pledge number carried along.
	if w := e.interact(pressPayload("U1", "b1", "pledge progress 1", e.slack.responseURL())); w.Code != 200 {
		t.Fatalf("press: %d", w.Code)
	}
	view, meta := openedView(t, e, 1)
	if got := inputs(view); got["amount"] != "number_input" || got["note"] != "plain_text_input" || got["pledge"] != "" {
		t.Fatalf("progress modal inputs: %v", got)
	}
	a := e.submit(submitPayload("U1", "b2", meta, map[string]map[string]any{"amount": number("abc")}))
	if a.Action != "errors" || !strings.Contains(a.Errors["amount"], "must be a number") {
		t.Fatalf("bad amount: %+v", a)
	}
	a = e.submit(submitPayload("U1", "b3", meta, map[string]map[string]any{"amount": number("12.5"), "note": text("first shift")}))
	if a.Action != "update" || !strings.Contains(string(a.View), "Logged 12.5 hours against pledge #1") {
		t.Fatalf("progress: %+v %s", a, a.View)
	}

	// Someone outside the business presses Mark done: refused, as them.
	e.interact(pressPayload("U9", "b4", "pledge done 1", e.slack.responseURL()))
	posts := e.slack.wait("response", 1)
	if !strings.Contains(string(posts[0].Body), ":warning:") || !strings.Contains(string(posts[0].Body), `"replace_original":false`) {
		t.Fatalf("outsider's press: %s", posts[0].Body)
	}
	// The owner presses it: done.
	e.interact(pressPayload("U1", "b5", "pledge done 1", e.slack.responseURL()))
	posts = e.slack.wait("response", 2)
	if !strings.Contains(string(posts[1].Body), "Pledge #1 is done") {
		t.Fatalf("owner's press: %s", posts[1].Body)
	}
	if ps := e.pledges("U1"); ps[0].Status != bot.StatusDone || ps[0].Progress != 12.5 {
		t.Fatalf("stored: %+v", ps[0])
	}
	// A replayed press (same trigger_id) does nothing more.
	e.interact(pressPayload("U1", "b5", "pledge done 1", e.slack.responseURL()))
	posts = e.slack.wait("response", 3)
	if !strings.Contains(string(posts[2].Body), "Pledge #1 is done") {
		t.Fatalf("replayed press: %s", posts[2].Body)
	}
}

func TestButtonFromHomeRepliesByDM(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", "/business register Acme")
	e.mustCommand("U1", `/pledge add "Buy local" theme:buy-local target:20k`)
	p := pressPayload("U1", "h1", "pledge done 1", "")
	p["view"] = map[string]any{"type": "home", "id": "V1"}
	p["container"] = map[string]any{"type": "view"}
	delete(p, "channel")
	e.interact(p)
	posts := e.slack.wait("chat.postMessage", 1)
	if posts[0].Form.Get("channel") != "D0DM" || !strings.Contains(posts[0].Form.Get("blocks"), "Pledge #1 is done") {
		t.Fatalf("DM: %v", posts[0].Form)
	}
	e.slack.wait("views.publish", 1) // the Home tab is refreshed
}

// TestButtonsAreOnlyThoseDeclared: the adapter renders the buttons a
// reply declares and invents none: a "Mark done" without a declared
// snooze gets no "Snooze a week", even with /pledge snooze in the bot.
// The core declares it (bot.PledgeItem).
func TestButtonsAreOnlyThoseDeclared(t *testing.T) {
	b := bot.New(bot.Options{})
	b.Register(&bot.Command{Name: "pledge", Subs: []*bot.Subcommand{{Name: "done"}, {Name: "snooze"}}})
	a := New(Options{Bot: b})
	defer a.Close()
	item := bot.Item{Title: "#7 x", Ref: "#7", Actions: []bot.Action{{Label: "Mark done", Command: "pledge done 7"}}}
	js, _ := json.Marshal(a.renderer(team).Blocks(bot.Reply{Items: []bot.Item{item}}))
	if strings.Contains(string(js), "snooze") || strings.Contains(string(js), "Snooze") || !strings.Contains(string(js), `"value":"pledge done 7"`) {
		t.Fatalf("buttons: %s", js)
	}
	item.Actions = append(item.Actions, bot.Action{Label: "Snooze a week", Command: "pledge snooze 7 7d"})
	js, _ = json.Marshal(a.renderer(team).Blocks(bot.Reply{Items: []bot.Item{item}}))
	if !strings.Contains(string(js), `"value":"pledge snooze 7 7d"`) || !strings.Contains(string(js), "Snooze a week") {
		t.Fatalf("declared snooze not rendered: %s", js)
	}
}

// TestPrefill: a button's command is split by the bot's splitter
// (Command.Split) to see what its form must still ask for.
func TestPrefill(t *testing.T) {
	sub := &bot.Subcommand{Name: "progress", Options: []bot.Option{
		{Name: "pledge", Type: bot.Ref, Positional: true, Required: true},
		{Name: "amount", Type: bot.Number, Positional: true, Required: true},
		{Name: "note", Positional: true, Rest: true},
		{Name: "business", Type: bot.Ref},
	}}
	cmd := &bot.Command{Name: "pledge", Subs: []*bot.Subcommand{sub}}
	for _, tc := range []struct {
		rest  string
		want  string
		needs bool
	}{
		{"", "map[]", true},
		{"7", "map[pledge:7]", true},
		{"7 3", "map[amount:3 pledge:7]", false},
		{"7 3 a b", "map[amount:3 note:a b pledge:7]", false},
		{"7 business:2", "map[business:2 pledge:7]", true},
	} {
		got, err := cmd.Split(sub, tc.rest)
		if err != nil {
			t.Fatalf("Split(%q): %v", tc.rest, err)
		}
		if s := fmtMap(got); s != tc.want || needsInput(sub, got) != tc.needs {
			t.Errorf("Split(%q) = %s (needs %v), want %s (needs %v)", tc.rest, s, needsInput(sub, got), tc.want, tc.needs)
		}
	}
}

func fmtMap(m map[string]string) string {
	b, _ := json.Marshal(m) // sorted keys
	s := strings.NewReplacer(`{`, "map[", `}`, "]", `"`, "", `,`, " ").Replace(string(b))
	return s
}

// TestEveryModalFitsSlack builds the form of every subcommand the bot has
// and checks it against Slack's limits, so a command added later cannot
// produce a modal Slack rejects.
func TestEveryModalFitsSlack(t *testing.T) {
	e := newEnv(t)
	for _, cmd := range e.h.Bot.Commands() {
		for _, sub := range cmd.Subs {
			view := e.a.modalView(e.community(), cmd, sub, nil)
			if n := len(view.Blocks.BlockSet); n > 100 {
				t.Errorf("/%s %s: %d blocks", cmd.Name, sub.Name, n)
			}
			if n := len([]rune(view.Title.Text)); n > 24 {
				t.Errorf("/%s %s: title %q too long", cmd.Name, sub.Name, view.Title.Text)
			}
			js, err := json.Marshal(view)
			if err != nil {
				t.Fatal(err)
			}
			var back slackapi.ModalViewRequest
			if err := json.Unmarshal(js, &back); err != nil {
				t.Errorf("/%s %s: slack-go cannot read the modal back: %v", cmd.Name, sub.Name, err)
			}
			ids := map[string]bool{}
			for _, b := range view.Blocks.BlockSet {
				if in, ok := b.(*slackapi.InputBlock); ok {
					if ids[in.BlockID] {
						t.Errorf("/%s %s: duplicate block_id %s", cmd.Name, sub.Name, in.BlockID)
					}
					ids[in.BlockID] = true
					if n := len([]rune(in.Label.Text)); n > 2000 || n == 0 {
						t.Errorf("/%s %s: label %q", cmd.Name, sub.Name, in.Label.Text)
					}
				}
			}
		}
	}
}

// The /pledge add modal asks for the partner too; a name that matches
// several comes back inline on that field, listing them; a number or an
// unambiguous name stores the partner.
func TestPledgeAddModalNamesPartner(t *testing.T) {
	e := newEnv(t)
	e.mustCommand("U1", "/business register Acme")
	e.mustCommand("U2", "/partner register Food Bank")
	e.mustCommand("U2", "/partner register Food Bank North")
	e.command("U1", "/pledge add")
	view, meta := openedView(t, e, 1)
	if got := inputs(view); got["partner"] != "plain_text_input" {
		t.Fatalf("modal inputs: %v", got)
	}
	a := e.submit(submitPayload("U1", "p1", meta, map[string]map[string]any{
		"text": text("Hours"), "theme": choice("volunteering"), "partner": text("food")}))
	if a.Action != "errors" || !strings.Contains(a.Errors["partner"], "#1 Food Bank, #2 Food Bank North") {
		t.Fatalf("want the candidates on partner, got %+v", a)
	}
	a = e.submit(submitPayload("U1", "p2", meta, map[string]map[string]any{
		"text": text("Hours"), "theme": choice("volunteering"), "partner": text("north")}))
	if a.Action != "update" {
		t.Fatalf("valid submission: %+v", a)
	}
	if ps := e.pledges("U1"); len(ps) != 1 || ps[0].Partner != 2 {
		t.Fatalf("stored: %+v", ps)
	}
}
