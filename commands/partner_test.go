package commands_test

import (
	"strings"
	"testing"

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
