package commands_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// confirmFixture: partner #1 Food Bank (partner-owner fiona, partner-member
// gus); business #1 Acme (owner ann, member zed) with pledge #1 made to
// the Food Bank, 40 hours, entries 8 and 6 logged by zed; pledge #2 names
// no partner and has one entry.
func confirmFixture(t *testing.T) *pledgetest.Harness {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("fiona", "/partner register Food Bank")
	h.MustDo("fiona", "/partner add-member gus")
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", "/business add-member zed")
	h.MustDo("ann", `/pledge add "Volunteer at the food bank" theme:volunteering target:40 partner:1`)
	h.MustDo("zed", "/pledge progress 1 8 first week")
	h.MustDo("zed", "/pledge progress 1 6 second week")
	h.MustDo("ann", `/pledge add "Plant trees" theme:volunteering target:10`)
	h.MustDo("ann", "/pledge progress 2 3")
	sendAll(t, h) // fiona's and gus's requests to confirm entries 1 and 2
	return h
}

// sendAll takes the notices waiting in the outbox out as a sender would,
// and returns them.
func sendAll(t *testing.T, h *pledgetest.Harness) []bot.Notice {
	t.Helper()
	es, err := h.Store.OutboxNew(context.Background(), h.Community(), "test", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []bot.Notice
	for _, e := range es {
		if err := h.Store.OutboxDone(context.Background(), h.Community(), e.ID); err != nil {
			t.Fatal(err)
		}
		out = append(out, e.Notice)
	}
	return out
}

// handleAs runs a line with a platform request id, as a retry would repeat it.
func handleAs(h *pledgetest.Harness, id, user, line string) bot.Reply {
	name, rest, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	return h.Bot.Handle(context.Background(), bot.Request{ID: id, From: console.Identity(user), Name: user,
		Channel: "console", Command: name, Text: rest})
}

// outbox reads the notices waiting in the community's outbox.
func outbox(t *testing.T, h *pledgetest.Harness) []bot.Notice {
	t.Helper()
	es, err := h.Store.OutboxNew(context.Background(), h.Community(), "test", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []bot.Notice
	for _, e := range es {
		if e.Bad != nil {
			t.Fatalf("outbox entry %s: %v", e.ID, e.Bad)
		}
		out = append(out, e.Notice)
	}
	return out
}

func mustContain(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

// The partner confirms entry 1 and queries entry 2; the business's owner is
// told once, corrects entry 2, which awaits confirmation again, and the
// partner confirms it. Figures follow the correction alone.
func TestPartnerConfirmsAndQueries(t *testing.T) {
	h := confirmFixture(t)
	out := h.MustDo("gus", "/pledge confirm 1 entry:1")
	mustContain(t, "confirm reply", out, "Confirmed progress entry 1 of pledge #1")

	for range 2 { // a platform's retry: one query, one notice
		r := handleAs(h, "evt-q", "fiona", "/pledge query 1 entry:2 we counted 5 hours, not 6")
		if r.Err != nil {
			t.Fatalf("query: %s", r.Err.Message)
		}
		mustContain(t, "query reply", bot.PlainText(r), "Queried progress entry 2 of pledge #1", "/pledge confirm 1 entry:2")
	}
	notices := outbox(t, h)
	if len(notices) != 1 {
		t.Fatalf("%d notices after the query and its replay, want 1 (to ann, the one owner): %+v", len(notices), notices)
	}
	n := notices[0]
	if n.To != (bot.Recipient{Platform: bot.Console, Workspace: console.Workspace, User: "ann"}) || n.Community != h.Community() {
		t.Errorf("notice to %+v in %q", n.To, n.Community)
	}
	mustContain(t, "owner's notice", bot.PlainText(n.Reply), "Pledge #1", "progress entry 2", "we counted 5 hours, not 6",
		"/pledge correct 1 AMOUNT entry:2", "/pledge show 1")
	if strings.Contains(bot.PlainText(n.Reply), "\x00") {
		t.Errorf("placeholder left in the notice: %q", bot.PlainText(n.Reply))
	}

	show := h.MustDo("ann", "/pledge show 1")
	mustContain(t, "/pledge show after the query", show,
		"@zed logged 8 hours: first week (entry 1, confirmed)",
		"@zed logged 6 hours: second week (entry 2, queried)",
		"@gus confirmed entry 1", "@fiona queried entry 2: we counted 5 hours, not 6",
		"Entry 2 is queried: we counted 5 hours, not 6", "14 of 40 hours")

	// The owner corrects entry 2 to 5: progress 8 + 5 = 13, entry 2 awaits.
	h.MustDo("ann", "/pledge correct 1 5 entry:2 partner counted 5")
	p, _ := pledgeOf(t, h, 1)
	if p.Progress != 13 || len(p.Checks) != 1 || p.Checks[1] != bot.CheckConfirmed {
		t.Fatalf("after the correction: progress %v checks %v, want 13 and entry 1 confirmed only", p.Progress, p.Checks)
	}
	show = h.MustDo("ann", "/pledge show 1")
	mustContain(t, "/pledge show after the correction", show, "(entry 1, confirmed)", "(entry 2, awaiting confirmation)", "13 of 40 hours")
	if strings.Contains(show, "Entry 2 is queried") {
		t.Errorf("a corrected entry still shows its query:\n%s", show)
	}

	// The partner confirms it (the default: the latest entry).
	mustContain(t, "second confirm", h.MustDo("gus", "/pledge confirm 1"), "Confirmed progress entry 2 of pledge #1")
	if p, _ := pledgeOf(t, h, 1); p.Checks[1] != bot.CheckConfirmed || p.Checks[2] != bot.CheckConfirmed {
		t.Fatalf("checks %v, want both confirmed", p.Checks)
	}
	// A correction of a confirmed entry makes it await again.
	h.MustDo("ann", "/pledge correct 1 7 entry:1")
	if p, _ := pledgeOf(t, h, 1); p.Progress != 12 || p.Checks[1] != "" || p.Checks[2] != bot.CheckConfirmed {
		t.Fatalf("after correcting entry 1: progress %v checks %v, want 7 + 5 = 12, entry 2 confirmed only", p.Progress, p.Checks)
	}
	// Confirmations move no figure: October delivered is 7 + 5 (pledge
	// #1) + 3 (pledge #2) = 15.
	if q4 := figures(t, h, "2026-Q4", "volunteering"); q4.Delivered != 15 {
		t.Errorf("Q4 delivered %v, want 15", q4.Delivered)
	}
	// Confirmations send nothing; each correction asks fiona and gus about
	// the new amount (the fixture's clock reads 5 Oct 2026).
	var asked []string
	for _, n := range outbox(t, h) {
		asked = append(asked, n.To.User+": "+bot.PlainText(bot.Reply{Title: n.Reply.Title}))
	}
	sort.Strings(asked)
	want := []string{
		"fiona: Pledge #1 (Acme): entry 1 is now 7 hours, corrected by @ann on 5 Oct 2026 — confirm or query it",
		"fiona: Pledge #1 (Acme): entry 2 is now 5 hours, corrected by @ann on 5 Oct 2026 — confirm or query it",
		"gus: Pledge #1 (Acme): entry 1 is now 7 hours, corrected by @ann on 5 Oct 2026 — confirm or query it",
		"gus: Pledge #1 (Acme): entry 2 is now 5 hours, corrected by @ann on 5 Oct 2026 — confirm or query it",
	}
	if strings.Join(asked, "\n") != strings.Join(want, "\n") {
		t.Errorf("after the confirmations and corrections the outbox holds:\n%s\nwant:\n%s", strings.Join(asked, "\n"), strings.Join(want, "\n"))
	}

	// /audit says who confirmed or queried, and the note.
	audit, err := h.Store.Audit(context.Background(), h.Community(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range audit {
		lines = append(lines, e.Action+" "+e.By+" "+e.Detail)
	}
	mustContain(t, "audit", strings.Join(lines, "\n"), "pledge.confirm console:local:gus entry 1",
		"pledge.query console:local:fiona entry 2: we counted 5 hours, not 6", "pledge.confirm console:local:gus entry 2")
}

// Only the partner's people may; each state once; nothing is written on a
// refusal.
func TestConfirmRefusals(t *testing.T) {
	h := confirmFixture(t)
	_, before := pledgeOf(t, h, 1)
	for _, who := range []string{"outsider", "ann", "zed", h.Admin} {
		msg := h.MustFail(who, "/pledge confirm 1", bot.Forbidden)
		mustContain(t, who+"'s refusal", msg, "Only the people of partner #1")
		h.MustFail(who, "/pledge query 1 not true", bot.Forbidden)
	}
	mustContain(t, "no partner", h.MustFail("gus", "/pledge confirm 2", bot.Invalid), "pledge 2 names no community partner")
	h.MustFail("gus", "/pledge query 2 entry:1 why", bot.Invalid)
	mustContain(t, "unknown entry", h.MustFail("gus", "/pledge confirm 1 entry:3", bot.NotFound), "Entry 3 is not one of the pledge's 2")
	h.MustFail("gus", "/pledge confirm 9", bot.NotFound)
	h.MustFail("gus", "/pledge query 1", bot.Invalid) // a query needs its note

	h.MustDo("gus", "/pledge confirm 1 entry:2")
	mustContain(t, "double confirm", h.MustFail("fiona", "/pledge confirm 1 entry:2", bot.Conflict), "already confirmed")
	h.MustDo("gus", "/pledge query 1 entry:2 on second thoughts, 5")
	mustContain(t, "double query", h.MustFail("fiona", "/pledge query 1 entry:2 again", bot.Conflict), "already queried")
	// A struck entry has nothing to confirm.
	h.MustDo("ann", "/pledge correct 1 0 entry:1")
	h.MustFail("gus", "/pledge confirm 1 entry:1", bot.Invalid)

	p, after := pledgeOf(t, h, 1)
	// The two accepted checks and the strike, nothing from the refusals.
	if len(after) != len(before)+3 || len(p.Checks) != 1 || p.Checks[2] != bot.CheckQueried {
		t.Fatalf("history %d -> %d, checks %v", len(before), len(after), p.Checks)
	}
	if got := len(outbox(t, h)); got != 1 {
		t.Fatalf("%d notices, want the one query's", got)
	}
}

// A retried confirmation answers as the first did, not "already confirmed",
// and records once.
func TestConfirmUnderReplay(t *testing.T) {
	h := confirmFixture(t)
	for range 3 {
		r := handleAs(h, "evt-c", "gus", "/pledge confirm 1")
		if r.Err != nil {
			t.Fatalf("replayed confirm refused: %s", r.Err.Message)
		}
		mustContain(t, "replayed confirm", bot.PlainText(r), "Confirmed progress entry 2 of pledge #1")
	}
	// Another request's confirmation is refused: the first one counted.
	h.MustFail("gus", "/pledge confirm 1", bot.Conflict)
	_, ev := pledgeOf(t, h, 1)
	confirmed := 0
	for _, e := range ev {
		if e.Kind == bot.EventConfirmed {
			confirmed++
		}
	}
	if confirmed != 1 {
		t.Fatalf("%d confirmations in the history, want 1", confirmed)
	}
}

// Progress on a pledge made to a partner asks each of its people, by
// direct message, to confirm or query it; the buttons' commands work as
// typed, and a replay of the progress request asks nobody again.
func TestProgressAsksThePartner(t *testing.T) {
	h := confirmFixture(t)
	for range 2 {
		if r := handleAs(h, "evt-p", "zed", "/pledge progress 1 1 third week"); r.Err != nil {
			t.Fatalf("progress: %s", r.Err.Message)
		}
	}
	notices := sendAll(t, h)
	if len(notices) != 2 {
		t.Fatalf("%d notices, want one each to fiona and gus: %+v", len(notices), notices)
	}
	for i, who := range []string{"fiona", "gus"} {
		n := notices[i]
		if n.To.User != who || n.Community != h.Community() {
			t.Errorf("notice %d to %+v", i, n.To)
		}
		mustContain(t, "partner's notice", bot.PlainText(n.Reply),
			"Pledge #1 (Acme): @zed logged 1 hour on 5 Oct 2026 — confirm or query it",
			"/pledge confirm 1 entry:3", "/pledge query 1 entry:3 NOTE")
		if strings.Contains(bot.PlainText(n.Reply), "\x00") {
			t.Errorf("placeholder left: %q", bot.PlainText(n.Reply))
		}
		if len(n.Reply.Actions) != 2 || n.Reply.Actions[0].Label != "Confirm" || n.Reply.Actions[1].Label != "Query" {
			t.Fatalf("buttons %+v", n.Reply.Actions)
		}
	}
	h.MustDo("gus", "/"+notices[1].Reply.Actions[0].Command)
	mustContain(t, "show", h.MustDo("ann", "/pledge show 1"), "third week (entry 3, confirmed)")
	// The Query button's command lacks its note: the platforms ask for it in
	// a form (the spec's note is required), and typed alone it says so.
	h.MustFail("fiona", "/"+notices[0].Reply.Actions[1].Command, bot.Invalid)
}

// The partner queries an entry; the business's member answers with a
// note instead of a correction (a replay of it tells nobody again); the
// partner's people are told once each, with a Confirm button, and the
// history keeps the reply.
func TestBusinessRepliesToAQuery(t *testing.T) {
	h := confirmFixture(t)
	h.MustDo("fiona", "/pledge query 1 entry:2 we counted 5 hours, not 6")
	owners := sendAll(t, h)
	if len(owners) != 1 || owners[0].To.User != "ann" {
		t.Fatalf("query notices %+v", owners)
	}
	mustContain(t, "owner's notice", bot.PlainText(owners[0].Reply), "/pledge reply 1 entry:2 NOTE")
	h.MustFail("fiona", "/pledge reply 1 entry:2 not yours", bot.Forbidden)
	h.MustFail("zed", "/pledge reply 2 no partner here", bot.Invalid)
	for range 2 {
		r := handleAs(h, "evt-r", "zed", "/pledge reply 1 entry:2 the sixth hour was on Saturday")
		if r.Err != nil {
			t.Fatalf("reply: %s", r.Err.Message)
		}
		mustContain(t, "reply", bot.PlainText(r), "Replied about progress entry 2 of pledge #1")
	}
	notices := sendAll(t, h)
	if len(notices) != 2 || notices[0].To.User != "fiona" || notices[1].To.User != "gus" {
		t.Fatalf("reply notices %+v", notices)
	}
	n := notices[0].Reply
	mustContain(t, "partner's notice", bot.PlainText(n), "Pledge #1: its business replied about progress entry 2",
		"the sixth hour was on Saturday", "/pledge confirm 1 entry:2")
	if len(n.Actions) != 1 || n.Actions[0].Command != "pledge confirm 1 entry:2" || strings.Contains(bot.PlainText(n), "\x00") {
		t.Fatalf("partner's notice %+v", n)
	}
	h.MustDo("fiona", "/"+n.Actions[0].Command)
	mustContain(t, "show", h.MustDo("ann", "/pledge show 1"),
		"@zed replied about entry 2: the sixth hour was on Saturday", "second week (entry 2, confirmed)")
}
