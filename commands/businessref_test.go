package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// TestBusinessByName: every business: option takes a number or a name
// (exact, else the one it begins), through the real command path.
func TestBusinessByName(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("ann", "/business register Bakery Ltd")
	h.MustDo("ann", "/business register Bakers Co")
	h.MustDo("ann", "/business register Zoë's Café")
	contains(t, h.MustDo("ann", `/pledge add "Bread for the food bank" theme:volunteering target:10 business:"bakery ltd"`), "Pledge #1 added for Bakery Ltd")
	contains(t, h.MustDo("ann", `/pledge add "Coffee mornings" theme:volunteering target:5 business:zoë`), "Pledge #2 added for Zoë's Café")
	contains(t, h.MustDo("ann", `/pledge add "Flour local" theme:buy-local target:500 business:#2`), "Pledge #3 added for Bakers Co")
	contains(t, h.MustDo("ann", "/pledge list business:Zo"), "Coffee mornings")
	contains(t, h.MustDo("bob", "/business show Bakers"), "#2 Bakers Co", "Flour local")
	contains(t, h.MustDo("bob", "/business show 3"), "#3 Zoë's Café")
	contains(t, h.MustDo("ann", "/business add-member @bob business:BAKERY"), "@bob", "business #1")
	contains(t, h.MustDo("ann", "/business edit form:company business:\"zoë's café\""), "Business #3 Zoë's Café updated")
	contains(t, h.MustDo("ann", "/s172 stakeholders add staff business:Bakers"), "staff")
	contains(t, h.MustDo("admin", "/audit business:Zoë"), "business.register")
	contains(t, h.MustDo("ann", `/business export "Zoë's Café"`), "Everything stored about business #3 Zoë's Café")
	contains(t, h.MustDo("ann", `/business delete "Bakers Co"`), "Delete business #2 Bakers Co", "/business delete 2 confirm")

	contains(t, h.MustFail("ann", "/pledge list business:Bak", bot.Invalid),
		`business:"Bak" matches 2 businesses: #1 Bakery Ltd, #2 Bakers Co. Give its number, e.g. business:1.`)
	contains(t, h.MustFail("ann", "/pledge list business:zoe", bot.NotFound), `There is no business "zoe".`, "Did you mean #3 Zoë's Café?")
	contains(t, h.MustFail("ann", "/business show Quux", bot.NotFound), `There is no business "Quux".`)
	contains(t, h.MustFail("ann", "/business show 9", bot.NotFound), "There is no business #9")
	// A refusal that lists businesses waits for the role check.
	msg := h.MustFail("ann", "/audit business:Bak", bot.Forbidden)
	if strings.Contains(msg, "Bakery") {
		t.Fatalf("a non-admin saw businesses listed: %s", msg)
	}

	// A deleted business frees its name: the start now fits one business.
	h.MustDo("ann", "/business delete 2 confirm")
	contains(t, h.MustFail("ann", "/business show Bakers Co", bot.NotFound), `There is no business "Bakers Co".`)
	contains(t, h.MustDo("ann", "/pledge list business:Bak"), "Bread for the food bank")
}

// TestBusinessNamesStayInTheirCommunity: a name registered in another
// community (another workspace) is unknown here, and never listed or
// suggested.
func TestBusinessNamesStayInTheirCommunity(t *testing.T) {
	h := pledgetest.New(t)
	other := bot.Identity{Platform: bot.Console, Workspace: "elsewhere", User: "eve"}
	r := h.Bot.Handle(context.Background(), bot.Request{From: other, Name: "eve", Channel: "console", Command: "business", Text: "register Hidden Hat Co"})
	if r.Err != nil {
		t.Fatal(r.Err.Message)
	}
	h.MustDo("ann", "/business register Hilltop Farm")
	for _, line := range []string{"/business show Hidden", `/pledge list business:"Hidden Hat Co"`, "/business show Hidden Hat"} {
		r := h.Reply("ann", line)
		if r.Err == nil {
			t.Fatalf("%s: resolved a business of another community: %s", line, bot.PlainText(r))
		}
		if strings.Contains(r.Err.Message, "Hidden Hat Co") && !strings.Contains(r.Err.Message, `"Hidden`) {
			t.Fatalf("%s: named another community's business: %s", line, r.Err.Message)
		}
		if strings.Contains(r.Err.Message, "#1 Hidden") || strings.Contains(r.Err.Message, "Did you mean #1") {
			t.Fatalf("%s: %s", line, r.Err.Message)
		}
	}
	// Hidden Hat Co is #1 there; here #1 is Hilltop Farm.
	contains(t, h.MustDo("ann", "/business show Hil"), "#1 Hilltop Farm")
}
