package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

func TestPartnerCommands(t *testing.T) {
	h := pledgetest.New(t)
	out := h.MustDo("fiona", "/partner register Food Bank area:cb1 about:feeds the town")
	if !strings.Contains(out, "Registered partner #1: Food Bank") || !strings.Contains(out, "partner-owner") {
		t.Errorf("register:\n%s", out)
	}
	h.MustFail("gus", "/partner register food  bank", bot.Conflict)
	h.MustFail("gus", "/partner register Youth Club owner:hal", bot.Forbidden)
	h.MustDo(h.Admin, "/roles grant carl coordinator")
	out = h.MustDo("carl", "/partner register Youth Club owner:hal")
	if !strings.Contains(out, "@hal is its partner-owner") {
		t.Errorf("register on behalf:\n%s", out)
	}
	h.MustDo("fiona", "/partner add-member gus")
	h.MustDo("fiona", "/partner add-member ida role:partner-owner")
	out = h.MustDo("anyone", "/partner show 1")
	for _, want := range []string{"#1 Food Bank", "@fiona (partner-owner)", "@ida (partner-owner)", "@gus (partner-member)", "Area: CB1", "About: feeds the town", "No pledges made to it yet."} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if out := h.MustDo("gus", "/partner show"); !strings.Contains(out, "#1 Food Bank") {
		t.Errorf("show without a number, as gus:\n%s", out)
	}
	out = h.MustDo("anyone", "/partner list")
	for _, want := range []string{"Community partners (2)", "#1 Food Bank", "CB1 · feeds the town · 3 people", "#2 Youth Club", "1 person"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	h.MustFail("gus", "/partner add-member jo", bot.Forbidden)
	h.MustDo("gus", "/partner leave")
	h.MustFail("gus", "/partner leave", bot.NotFound)
	h.MustDo("ida", "/partner remove-member fiona")
	h.MustFail("ida", "/partner leave", bot.Conflict) // the last partner-owner
	// hal acts for #2 and ida for #1; made partner-owner of #2 too, ida must say which.
	h.MustDo("hal", "/partner add-member ida role:partner-owner")
	if msg := h.MustFail("ida", "/partner add-member jo", bot.Invalid); !strings.Contains(msg, "#1 Food Bank, #2 Youth Club") {
		t.Errorf("several partners: %s", msg)
	}
	h.MustDo("ida", "/partner add-member jo partner:2")
	h.MustFail("anyone", "/partner show 9", bot.NotFound)
}

func TestPledgesNameTheirPartner(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("fiona", "/partner register Food Bank")
	h.MustDo("fiona", "/partner add-member gus")
	h.MustDo("hal", "/partner register Food Bank North")
	h.MustDo("owner", "/business register Acme")
	if msg := h.MustFail("owner", `/pledge add "Hours" theme:volunteering partner:food`, bot.Invalid); !strings.Contains(msg, "#1 Food Bank, #2 Food Bank North") {
		t.Errorf("ambiguous partner: %s", msg)
	}
	if msg := h.MustFail("owner", `/pledge add "Hours" theme:volunteering partner:library`, bot.NotFound); !strings.Contains(msg, "Partners: #1 Food Bank, #2 Food Bank North") {
		t.Errorf("unknown partner: %s", msg)
	}
	h.MustFail("owner", `/pledge add "Hours" theme:volunteering partner:9`, bot.NotFound)
	h.MustDo("owner", `/pledge add "Hours for the food bank" theme:volunteering target:10 visibility:private partner:"Food Bank"`)
	h.MustDo("owner", `/pledge add "Public hours" theme:volunteering target:10 partner:north`)
	h.MustDo("owner", `/pledge add "Secret plan" theme:carbon visibility:private`)
	if out := h.MustDo("owner", "/pledge show 1"); !strings.Contains(out, "Made to: #1 Food Bank") {
		t.Errorf("show names the partner:\n%s", out)
	}
	// gus (of #1) lists the private pledge made to #1, never the other.
	out := h.MustDo("gus", "/pledge list")
	if !strings.Contains(out, "Hours for the food bank") || !strings.Contains(out, "Public hours") || strings.Contains(out, "Secret plan") {
		t.Errorf("gus's list:\n%s", out)
	}
	if out := h.MustDo("hal", "/partner show 2"); !strings.Contains(out, "Public hours") || strings.Contains(out, "Hours for the food bank") {
		t.Errorf("partner #2's pledges:\n%s", out)
	}
	h.MustFail("hal", "/pledge show 1", bot.NotFound)
	// Moved to #2: #1's people lose it, #2's see it; its history says so.
	h.MustDo("owner", "/pledge edit 1 partner:2")
	h.MustFail("gus", "/pledge show 1", bot.NotFound)
	if out := h.MustDo("hal", "/pledge show 1"); !strings.Contains(out, "Made to: #2 Food Bank North") || !strings.Contains(out, "changed partner to #2") {
		t.Errorf("after the move, as hal:\n%s", out)
	}
	if out := h.MustDo("fiona", "/partner show 1"); !strings.Contains(out, "No pledges made to it yet.") {
		t.Errorf("partner #1 after the move:\n%s", out)
	}
	h.MustFail("owner", "/pledge edit 1 partner:7", bot.NotFound)
	if out := h.MustDo("owner", "/pledge show 1"); !strings.Contains(out, "Made to: #2") {
		t.Errorf("a refused edit changed the partner:\n%s", out)
	}
	h.MustDo("owner", "/pledge edit 1 partner:none")
	if out := h.MustDo("owner", "/pledge show 1"); strings.Contains(out, "Made to") || !strings.Contains(out, "changed partner to none") {
		t.Errorf("after partner:none:\n%s", out)
	}
}

// A platform delivering one request twice (same id) registers once and
// adds once; the second answer is the first's.
func TestPartnerCommandsUnderReplay(t *testing.T) {
	h := pledgetest.New(t)
	do := func(id, line string) bot.Reply {
		name, rest, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
		return h.Bot.Handle(context.Background(), bot.Request{ID: id, From: console.Identity("fiona"), Name: "fiona",
			Channel: "console", Command: name, Text: rest})
	}
	for range 2 {
		if r := do("evt-1", "/partner register Food Bank"); r.Err != nil || !strings.Contains(bot.PlainText(r), "Registered partner #1") {
			t.Fatalf("register: %+v", r)
		}
		if r := do("evt-2", "/partner add-member gus"); r.Err != nil {
			t.Fatalf("add-member: %s", r.Err.Message)
		}
	}
	if out := h.MustDo("anyone", "/partner list"); !strings.Contains(out, "Community partners (1)") || !strings.Contains(out, "2 people") {
		t.Errorf("after replays:\n%s", out)
	}
}
