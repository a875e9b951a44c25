package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
)

func TestS172StakeholderRegister(t *testing.T) {
	h := s172Fixture(t)
	if out := h.MustDo("alice", "/s172 stakeholders list"); !strings.Contains(out, "no stakeholder groups yet") {
		t.Errorf("empty list:\n%s", out)
	}
	if out := h.MustDo("alice", `/s172 stakeholders add Local suppliers how:"annual survey"`); !strings.Contains(out, "Local suppliers added to the stakeholder register of business #1") {
		t.Errorf("add:\n%s", out)
	}
	// The same group under another case is updated, not added twice.
	if out := h.MustDo("bob", `/s172 stakeholders add LOCAL SUPPLIERS how:"quarterly visits"`); !strings.Contains(out, "updated in") {
		t.Errorf("update:\n%s", out)
	}
	h.MustDo("alice", "/s172 stakeholders add Staff")
	out := h.MustDo("bob", "/s172 stakeholders list")
	if !strings.Contains(out, "(2)") || !strings.Contains(out, "quarterly visits") || !strings.Contains(out, "not recorded") {
		t.Errorf("list:\n%s", out)
	}
	h.MustDo("alice", `/s172 log "Hire an apprentice" b:"training plan" stakeholders:staff`)
	h.MustDo("alice", "/s172 stakeholders remove staff")
	if show := h.MustDo("alice", "/s172 show 1"); !strings.Contains(show, "Stakeholder groups: Staff") {
		t.Errorf("a removed group left the record:\n%s", show)
	}
	h.MustFail("alice", "/s172 stakeholders remove staff", bot.NotFound)
	h.MustFail("alice", "/s172 stakeholders add", bot.Invalid)
	h.MustFail("alice", "/s172 stakeholders add a, b", bot.Invalid)
	h.MustFail("alice", "/s172 stakeholders list how:x", bot.Invalid)
	h.MustFail("carol", "/s172 stakeholders list business:1", bot.Forbidden)
	// Deleting the business takes its register with it.
	h.MustDo("alice", "/business delete 1 confirm")
	key := h.Prefix + ":{" + h.Community() + "}:business:1:stk"
	if n, err := h.Redis.Exists(context.Background(), key).Result(); err != nil || n != 0 {
		t.Errorf("register kept after deletion: %d %v", n, err)
	}
}

// TestS172NonCompanyLabelled: a sole trader's records are labelled as
// voluntary good practice in log, list and show.
func TestS172NonCompanyLabelled(t *testing.T) {
	h := s172Fixture(t)
	h.MustDo("carol", "/business edit form:sole-trader")
	for _, line := range []string{`/s172 log "Open a second shop" a:"five-year lease"`, "/s172 list", "/s172 show 1"} {
		if out := h.MustDo("carol", line); !strings.Contains(out, "s172 binds company directors") && !strings.Contains(out, "voluntary good practice") {
			t.Errorf("%s not labelled:\n%s", line, out)
		}
	}
	if out := h.MustDo("carol", "/s172 factors"); !strings.Contains(out, "Bakery: s172 binds company directors, and a sole trader is not a company") {
		t.Errorf("factors for a sole trader:\n%s", out)
	}
	h.MustDo("alice", "/business edit form:cic")
	if out := h.MustDo("bob", "/s172 factors"); !strings.Contains(out, "Acme: as a community interest company, its success under s172(2)") {
		t.Errorf("factors for a CIC:\n%s", out)
	}
	if out := h.MustDo("carol", "/s172 list"); !strings.Contains(out, "voluntary good practice (not a company") {
		t.Errorf("list label:\n%s", out)
	}
	r := h.Reply("carol", "/s172 statement")
	if r.Err != nil || !strings.Contains(r.Title, "voluntary") || !strings.Contains(string(r.File.Content), "not a section 172(1) statement") {
		t.Errorf("statement: %v %s", r.Err, r.Title)
	}
}

// TestCompanyWritesReplay: a retried request (same id) answers as the
// first did and writes once.
func TestCompanyWritesReplay(t *testing.T) {
	h := s172Fixture(t)
	add := bot.Request{ID: "trigger-stk", From: console.Identity("alice"), Command: "s172", Text: `stakeholders add Staff how:"forum"`}
	first, again := h.Bot.Handle(context.Background(), add), h.Bot.Handle(context.Background(), add)
	if first.Err != nil || again.Err != nil || first.Title != again.Title || !strings.Contains(again.Title, "added to") {
		t.Fatalf("replayed add: %q then %q", first.Title, again.Title)
	}
	edit := bot.Request{ID: "trigger-edit", From: console.Identity("alice"), Command: "business", Text: "edit form:company size:medium"}
	if r := h.Bot.Handle(context.Background(), edit); r.Err != nil {
		t.Fatal(r.Err.Message)
	}
	h.MustDo("alice", "/business edit size:large")
	// The retry of the first edit does not undo the second.
	if r := h.Bot.Handle(context.Background(), edit); r.Err != nil {
		t.Fatal(r.Err.Message)
	}
	if show := h.MustDo("alice", "/business show 1"); !strings.Contains(show, "Company size: large (as declared)") {
		t.Errorf("a retried edit wrote again:\n%s", show)
	}
}
