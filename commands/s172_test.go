package commands_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// s172Fixture has two businesses: Acme (alice owner, bob member) and Bakery
// (carol owner); pledge #1 public and #2 private, both Acme's.
func s172Fixture(t *testing.T) *pledgetest.Harness {
	h := pledgetest.New(t)
	h.MustDo("alice", "/business register Acme")
	h.MustDo("alice", "/business add-member bob")
	h.MustDo("carol", "/business register Bakery")
	h.MustDo("alice", `/pledge add "Buy £20k a year from local suppliers" theme:buy-local target:20000`)
	h.MustDo("alice", `/pledge add "Private plan" theme:carbon visibility:private`)
	return h
}

// grant gives a community role the way the roles command will: the store's
// role set (the only way to grant one until that command lands).
func grant(h *pledgetest.Harness, role, user string) {
	key := h.Prefix + ":{" + h.Community() + "}:role:" + role
	if err := h.Redis.SAdd(context.Background(), key, console.Identity(user).Key()).Err(); err != nil {
		h.T.Fatal(err)
	}
}

func TestS172LogAndShow(t *testing.T) {
	h := s172Fixture(t)
	out := h.MustDo("alice", `/s172 log "Switch to a local parts supplier" c:"two Cambridge wholesalers, 30-day terms" `+
		`d:"fewer delivery miles" outcome:"approved" review:2027-03-01 pledge:1 date:2026-10-01 `+
		`options:"stay, switch, split" heard:"suppliers met 3 Sep" tradeoffs:"higher unit cost" followups:"check delivery times"`)
	for _, want := range []string{"Decision #1 recorded for Acme", "factors (c) (d)", "review Mon 1 Mar 2027", "board"} {
		if !strings.Contains(out, want) {
			t.Errorf("log reply lacks %q:\n%s", want, out)
		}
	}
	show := h.MustDo("bob", "/s172 show 1")
	for _, want := range []string{"Decision #1: Switch to a local parts supplier", "Decision date: 1 Oct 2026",
		"(c) the need to foster", "two Cambridge wholesalers, 30-day terms", "Linked pledges: #1",
		"Options considered: stay, switch, split", "How their views were heard: suppliers met 3 Sep",
		"Trade-offs accepted: higher unit cost", "Follow-up actions: check delivery times", "logged by @alice"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	// The same request id twice records one decision.
	req := bot.Request{ID: "trigger-1", From: console.Identity("alice"), Command: "s172", Text: `log "Twice" a:"long term"`}
	first := h.Bot.Handle(context.Background(), req)
	again := h.Bot.Handle(context.Background(), req)
	if first.Err != nil || again.Err != nil || first.Title != again.Title || !strings.Contains(first.Title, "#2") {
		t.Fatalf("replayed request: %q then %q", first.Title, again.Title)
	}
	if out := h.MustDo("alice", "/s172 list"); strings.Count(out, "• #") != 2 {
		t.Fatalf("want 2 decisions after a replay:\n%s", out)
	}
}

func TestS172AmendKeepsOriginal(t *testing.T) {
	h := s172Fixture(t)
	h.MustDo("alice", `/s172 log "Open on Sundays" b:"rota agreed with staff" outcome:"trial" date:2026-06-01`)
	h.Clock.Advance(24 * time.Hour)
	h.MustDo("bob", `/s172 amend 1 outcome:"made permanent" d:"more footfall on the high street" b:-`)
	h.Clock.Advance(24 * time.Hour)
	h.MustDo("alice", `/s172 amend 1 title:"Open on Sundays from July" review:2026-12-01`)
	r := h.Reply("alice", "/s172 show 1")
	if r.Err != nil {
		t.Fatal(r.Err.Message)
	}
	if r.Title != "Decision #1: Open on Sundays from July" {
		t.Errorf("title is %q, want the latest amendment's", r.Title)
	}
	fields := map[string]string{}
	for _, f := range r.Fields {
		fields[f.Label] = f.Value
	}
	if fields["Outcome"] != "made permanent" || fields["Review date"] != "1 Dec 2026" {
		t.Errorf("current values wrong: %v", fields)
	}
	if _, ok := fields["(b) the interests of the company's employees"]; ok {
		t.Errorf("cleared factor (b) still current: %v", fields)
	}
	if len(r.Items) != 3 {
		t.Fatalf("want original + 2 amendments, got %d items", len(r.Items))
	}
	orig := r.Items[0].Title + "\n" + r.Items[0].Text
	for _, want := range []string{"As first logged", "Outcome: trial", "rota agreed with staff", "Title: Open on Sundays\n"} {
		if !strings.Contains(orig+"\n", want) {
			t.Errorf("original lacks %q:\n%s", want, orig)
		}
	}
	// Each field is shown once: an unamended one is not repeated in the original.
	if strings.Contains(orig, "Decision date") || strings.Count(bot.PlainText(r), "Decision date") != 1 {
		t.Errorf("decision date shown twice:\n%s", bot.PlainText(r))
	}
	if !strings.Contains(r.Items[1].Title, "Amendment 1 by") || !strings.Contains(r.Items[1].Title, "bob") ||
		!strings.Contains(r.Items[1].Text, "Outcome: made permanent") || !strings.Contains(r.Items[1].Text, "(b) the interests of the company's employees: (cleared)") {
		t.Errorf("amendment 1 wrong: %+v", r.Items[1])
	}
	if !strings.Contains(r.Items[2].Title, "Amendment 2 by") || !strings.Contains(r.Items[2].Text, "Title: Open on Sundays from July") {
		t.Errorf("amendment 2 wrong: %+v", r.Items[2])
	}
	if !strings.Contains(r.Items[1].Title, "25 Nov 2026") || !strings.Contains(r.Items[2].Title, "26 Nov 2026") {
		t.Errorf("amendments not dated by the clock: %q, %q", r.Items[1].Title, r.Items[2].Title)
	}
	// The last factor can't be cleared; the record is unchanged.
	h.MustFail("alice", "/s172 amend 1 d:-", bot.Invalid)
	// A review before the stored decision date is refused by the store.
	msg := h.MustFail("alice", "/s172 amend 1 review:2026-05-01", bot.Invalid)
	if !strings.Contains(msg, "before the decision date") {
		t.Errorf("review refusal: %s", msg)
	}
	h.MustDo("alice", "/s172 amend 1 review:2026-06-15")
	msg = h.MustFail("alice", "/s172 amend 1 date:2026-07-01", bot.Invalid) // after the stored review date
	if !strings.Contains(msg, "before the decision date") {
		t.Errorf("date refusal: %s", msg)
	}
	if r := h.Reply("alice", "/s172 show 1"); len(r.Items) != 4 {
		t.Errorf("refused amendments were written: %d items", len(r.Items))
	}
	h.MustFail("carol", `/s172 amend 1 outcome:"hijack"`, bot.NotFound)
	h.MustFail("alice", "/s172 amend 1", bot.Invalid)
}

func TestS172ListByFactorAndYear(t *testing.T) {
	h := s172Fixture(t)
	h.MustDo("alice", `/s172 log "Pay the real Living Wage" b:"all staff" a:"retention" date:2025-04-01`)
	h.MustDo("alice", `/s172 log "Local supplier" c:"30-day terms" date:2026-03-01`)
	h.MustDo("alice", `/s172 log "Solar panels" d:"lower emissions" a:"payback 8 years" date:2026-09-01`)
	cases := []struct {
		filter string
		want   []string
	}{
		{"", []string{"#3 Solar panels", "#2 Local supplier", "#1 Pay the real Living Wage"}},
		{"factor:a", []string{"#3 Solar panels", "#1 Pay the real Living Wage"}},
		{"year:2026", []string{"#3 Solar panels", "#2 Local supplier"}},
		{"year:2026 factor:a", []string{"#3 Solar panels"}},
		{"year:2025 factor:c", nil},
		{"factor:e", nil},
	}
	for _, c := range cases {
		r := h.Reply("alice", "/s172 list "+c.filter)
		if r.Err != nil {
			t.Fatalf("%s: %s", c.filter, r.Err.Message)
		}
		var got []string
		for _, it := range r.Items {
			got = append(got, it.Title)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("list %s = %q, want %q", c.filter, got, c.want)
		}
	}
	h.MustFail("alice", "/s172 list year:20x6", bot.Invalid)
	h.MustFail("alice", "/s172 list factor:g", bot.Invalid)
}

// TestS172Confidentiality checks who sees board and shareable records.
func TestS172Confidentiality(t *testing.T) {
	h := s172Fixture(t)
	grant(h, "council", "councillor")
	grant(h, "coordinator", "coord")
	grant(h, "admin", "granted-admin")
	h.MustDo("alice", `/s172 log "Board only decision" e:"conduct" date:2026-05-01`)
	h.MustDo("alice", `/s172 log "Shared decision" d:"community" confidentiality:shareable date:2026-05-02`)
	cases := []struct {
		user        string
		board, shar bool
	}{
		{"alice", true, true},         // owner
		{"bob", true, true},           // member
		{"carol", false, true},        // another business's owner
		{"councillor", false, true},   // council
		{"coord", false, true},        // coordinator
		{"dave", false, true},         // nobody in particular
		{"admin", true, true},         // admin by configuration
		{"granted-admin", true, true}, // admin by grant
	}
	for _, c := range cases {
		list := h.MustDo(c.user, "/s172 list")
		if got := strings.Contains(list, "Board only decision"); got != c.board {
			t.Errorf("%s: board record in list = %v, want %v", c.user, got, c.board)
		}
		if got := strings.Contains(list, "Shared decision"); got != c.shar {
			t.Errorf("%s: shareable record in list = %v, want %v", c.user, got, c.shar)
		}
		r := h.Reply(c.user, "/s172 show 1")
		if seen := r.Err == nil; seen != c.board {
			t.Errorf("%s: show board record allowed = %v, want %v", c.user, seen, c.board)
		}
		if r.Err != nil && (r.Err.Code != bot.NotFound || strings.Contains(r.Err.Message, "Board only")) {
			t.Errorf("%s: refusal leaks or has the wrong code: %+v", c.user, r.Err)
		}
		if c.board {
			h.MustDo(c.user, `/s172 amend 1 outcome:"noted by `+c.user+`"`)
		} else {
			h.MustFail(c.user, `/s172 amend 1 outcome:"x"`, bot.NotFound)
			h.MustFail(c.user, `/s172 amend 2 outcome:"x"`, bot.Forbidden) // can read it, not change it
		}
	}
	// Only the business and admins log for it, or draft its statement.
	h.MustFail("carol", `/s172 log "Not mine" a:"x" business:1`, bot.Forbidden)
	h.MustFail("councillor", `/s172 log "Not mine" a:"x" business:1`, bot.Forbidden)
	h.MustFail("councillor", `/s172 statement business:1`, bot.Forbidden)
	h.MustDo("admin", `/s172 log "Admin logs for Acme" a:"x" business:1`)
	if r := h.Reply("admin", "/s172 statement business:1"); r.Err != nil || !strings.Contains(string(r.File.Content), "Board only decision") {
		t.Errorf("admin statement for Acme should cite the board record: %+v", r.Err)
	}
	// Aggregates: board records only as counts.
	ctx := context.Background()
	total, shareable, byFactor, err := h.Store.S172Counts(ctx, h.Community(), date(t, "2026-01-01"), date(t, "2026-12-31"))
	if err != nil || total != 3 || shareable != 1 || byFactor["e"] != 1 || byFactor["d"] != 1 || byFactor["a"] != 1 {
		t.Errorf("counts = %d %d %v %v", total, shareable, byFactor, err)
	}
	shared, err := h.Store.SharedDecisions(ctx, h.Community(), date(t, "2026-01-01"), date(t, "2026-12-31"))
	if err != nil || len(shared) != 1 || shared[0].Current.Title != "Shared decision" {
		t.Errorf("shared decisions = %+v %v", shared, err)
	}
}

func TestS172BadInput(t *testing.T) {
	h := s172Fixture(t)
	long := strings.Repeat("x", 1001)
	cases := []struct {
		name, user, line string
		code             bot.Code
		want             string
	}{
		{"unknown factor", "alice", `/s172 log "T" g:"x"`, bot.Invalid, "no factor g:"},
		{"unknown factor among good", "alice", `/s172 log "T" a:"x" z:"y"`, bot.Invalid, "no factor z:"},
		{"no factor", "alice", `/s172 log "T" outcome:"approved"`, bot.Invalid, "which s172(1) factors"},
		{"empty factor", "alice", `/s172 log "T" a:""`, bot.Invalid, "needs a value"},
		{"dash factor on log", "alice", `/s172 log "T" a:-`, bot.Invalid, "real value"},
		{"no title", "alice", `/s172 log a:"x"`, bot.Invalid, "TITLE"},
		{"review before date", "alice", `/s172 log "T" a:"x" date:2026-05-01 review:2026-04-30`, bot.Invalid, "before the decision date"},
		{"review before today", "alice", `/s172 log "T" a:"x" review:2025-01-01`, bot.Invalid, "before the decision date"},
		{"future decision", "alice", `/s172 log "T" a:"x" date:2027-01-01`, bot.Invalid, "in the future"},
		{"bad date", "alice", `/s172 log "T" a:"x" date:2026-02-30`, bot.Invalid, "real date"},
		{"note too long", "alice", `/s172 log "T" a:"` + long + `"`, bot.Invalid, "too long"},
		{"title too long", "alice", `/s172 log "` + strings.Repeat("t", 201) + `" a:"x"`, bot.Invalid, "too long"},
		{"missing pledge", "alice", `/s172 log "T" a:"x" pledge:99`, bot.NotFound, "no pledge #99"},
		{"invisible pledge", "carol", `/s172 log "T" a:"x" pledge:2`, bot.NotFound, "no pledge #2"},
		{"one bad pledge of two", "alice", `/s172 log "T" a:"x" pledge:1,99`, bot.NotFound, "no pledge #99"},
		{"pledge not a number", "alice", `/s172 log "T" a:"x" pledge:seven`, bot.Invalid, "pledge numbers"},
		{"pledge list trailing comma", "alice", `/s172 log "T" a:"x" pledge:1,`, bot.Invalid, "pledge numbers"},
		{"bad confidentiality", "alice", `/s172 log "T" a:"x" confidentiality:public`, bot.Invalid, "not one of"},
		{"no business", "dave", `/s172 log "T" a:"x"`, bot.Invalid, "not part of a business"},
		{"unknown business", "admin", `/s172 log "T" a:"x" business:9`, bot.NotFound, "no business #9"},
		{"control character", "alice", "/s172 log \"T\" a:\"x\x07\"", bot.Invalid, "control character"},
		{"amend unknown", "alice", `/s172 amend 42 a:"x"`, bot.NotFound, "no decision #42"},
		{"statement bad year end", "alice", `/s172 statement year-end:2026-02-30`, bot.Invalid, "real date"},
		{"stakeholder not in register", "alice", `/s172 log "T" a:"x" stakeholders:"staff"`, bot.Invalid, "Not in the stakeholder register: staff"},
		{"meeting in the future", "alice", `/s172 log "T" a:"x" meeting:2027-01-01`, bot.Invalid, "in the future"},
		{"principal not yes or no", "alice", `/s172 log "T" a:"x" principal:maybe`, bot.Invalid, "not one of"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := h.MustFail(c.user, c.line, c.code)
			if !strings.Contains(msg, c.want) {
				t.Errorf("message %q lacks %q", msg, c.want)
			}
		})
	}
	// Nothing was written by any refusal.
	if out := h.MustDo("admin", "/s172 list"); !strings.Contains(out, "No decision records") {
		t.Errorf("a refused log wrote something:\n%s", out)
	}
	n, err := h.Redis.Exists(context.Background(), h.Prefix+":{"+h.Community()+"}:seq:s172").Result()
	if err != nil || n != 0 {
		t.Errorf("a refused log took a number: %d %v", n, err)
	}
	// Private pledges of one's own business may be linked.
	h.MustDo("bob", `/s172 log "T" a:"x" pledge:2,#1`)
}

// TestS172StatementFixtureYear builds the statement for a financial year
// through the command: the year, the stakeholder groups, principal
// decisions, amendment marks, and which records it leaves out.
func TestS172StatementFixtureYear(t *testing.T) {
	h := s172Fixture(t)
	h.MustDo("alice", "/business edit form:company size:small year-end:03-31")
	h.MustDo("alice", `/s172 stakeholders add Suppliers how:"annual supplier survey"`)
	h.MustDo("bob", `/s172 stakeholders add staff`)
	h.MustDo("alice", `/s172 log "Pay the real Living Wage" b:"all 14 staff" a:"retention over 5 years" date:2025-03-31`)
	h.MustDo("alice", `/s172 log "Switch to a local parts supplier" c:"two Cambridge wholesalers, 30-day terms" d:"fewer delivery miles" `+
		`outcome:"approved" review:2027-03-01 pledge:1 date:2025-06-10 principal:yes meeting:2025-06-09 directors:"MD and FD" stakeholders:suppliers, Staff heard:"suppliers met 3 June"`)
	h.MustDo("bob", `/s172 log "Adopt a supplier code of conduct" e:"no late payment" confidentiality:shareable date:2026-01-15 stakeholders:SUPPLIERS`)
	h.MustDo("alice", `/s172 amend 2 a:"ten-year supply security"`) // today, 24 Nov 2026: after the decision
	h.MustDo("carol", `/s172 log "Bakery decision" f:"equal dividends" date:2025-05-01`)
	r := h.Reply("alice", "/s172 statement")
	if r.Err != nil {
		t.Fatal(r.Err.Message)
	}
	if r.File == nil || r.File.Name != "statement.md" || r.File.Type != "text/markdown" {
		t.Fatalf("no statement.md attached: %+v", r.File)
	}
	// The latest year end before 24 Nov 2026 is 31 March 2026.
	if !strings.Contains(r.Text, "DRAFT") || !strings.Contains(r.Text, "2 decision records") || !strings.Contains(r.Text, "1 Apr 2025 to 31 Mar 2026") ||
		!strings.Contains(r.Text, "latest year end, 03-31") || !strings.Contains(r.Text, "(b), (f)") {
		t.Errorf("summary: %s", r.Text)
	}
	md := string(r.File.Content)
	for _, want := range []string{"### staff\n\nHow the board engages with them: not recorded", "### Suppliers\n\nHow the board engages with them: annual supplier survey.",
		"### Decision #2: Switch to a local parts supplier (10 June 2025) _(record amended after the decision, on 24 November 2026)_",
		"Decided at the board meeting of 9 June 2025 by MD and FD.", "Stakeholder groups: Suppliers, staff.", "What the board heard: suppliers met 3 June.",
		"(a) The likely consequences of any decision in the long term: ten-year supply security.", "pledge #1 Buy £20k a year from local suppliers",
		"| #3 Adopt a supplier code of conduct | 15 January 2026 | (e) |", "recorded as a small company (as declared)", "not legal advice"} {
		if !strings.Contains(md, want) {
			t.Errorf("statement lacks %q:\n%s", want, md)
		}
	}
	for _, absent := range []string{"Pay the real Living Wage", "Bakery decision", "equal dividends"} {
		if strings.Contains(md, absent) {
			t.Errorf("statement cites %q from outside the year or business", absent)
		}
	}
	checkWording(t, md)
	checkQuotes(t, "statement", md)
	// year-end: picks another year; without a year end, the last 12 months, said so.
	r = h.Reply("alice", "/s172 statement year-end:2025-03-31")
	if r.Err != nil || !strings.Contains(string(r.File.Content), "Pay the real Living Wage") || !strings.Contains(r.Text, "the year end you gave") {
		t.Errorf("year-end: %v %s", r.Err, r.Text)
	}
	r = h.Reply("carol", "/s172 statement")
	if r.Err != nil || !strings.Contains(r.Text, "25 Nov 2025 to 24 Nov 2026") || !strings.Contains(r.Text, "the last 12 months: no year end is set") {
		t.Errorf("default period: %v %s", r.Err, r.Text)
	}
	// Console shows the file; PlainText names it.
	if !strings.Contains(bot.PlainText(r), "(file statement.md)") {
		t.Errorf("plain text: %s", bot.PlainText(r))
	}
}

// sectionsOf splits a statement at its "## (x)" headings.
func sectionsOf(md string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(md, "\n## ")[1:] {
		head, body, _ := strings.Cut(part, "\n")
		if strings.HasPrefix(head, "(") && len(head) > 3 {
			out[head[:3]] = body
		}
	}
	return out
}

var mustClaim = regexp.MustCompile(`(?i)\b(every|all|each|any)\s+(company|companies|business|businesses)\b[^.]*\b(must|required|obliged|have to|has to)\b`)

// checkWording: a draft for directors that never claims every company must
// publish a statement.
func checkWording(t *testing.T, md string) {
	t.Helper()
	md = quoted.ReplaceAllString(md, "“”") // the Act's own "must" is quoted, not claimed
	for _, want := range []string{"DRAFT", "for the directors to review", "ompanies must include"} {
		if !strings.Contains(md, want) {
			t.Errorf("statement lacks %q", want)
		}
	}
	if m := mustClaim.FindString(md); m != "" {
		t.Errorf("statement claims a universal duty: %q", m)
	}
	for _, s := range regexp.MustCompile(`[^.]*\bmust\b[^.]*\.`).FindAllString(md, -1) {
		if !strings.Contains(strings.ToLower(s), "large companies") && !strings.Contains(strings.ToLower(s), "large company") {
			t.Errorf("a 'must' sentence not limited to large companies: %q", s)
		}
	}
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestS172HelpFits: every help text fits a Discord description (100
// characters), and the factors are explained.
func TestS172HelpFits(t *testing.T) {
	cmd := commands.S172()
	check := func(what, s string) {
		if n := len([]rune(s)); n == 0 || n > 100 {
			t.Errorf("%s help is %d characters: %q", what, n, s)
		}
	}
	check("s172", cmd.Help)
	for _, s := range cmd.Subs {
		check(s.Name, s.Help)
		for _, o := range s.Options {
			check(s.Name+" "+o.Name, o.Help)
		}
	}
	h := pledgetest.New(t)
	out := h.MustDo("dave", "/s172 factors")
	for _, l := range bot.Factors {
		if !strings.Contains(out, "("+l+"): “"+bot.FactorNames[l]) {
			t.Errorf("/s172 factors does not explain (%s):\n%s", l, out)
		}
	}
	if m := mustClaim.FindString(out); m != "" || !strings.Contains(out, "for other companies it is voluntary") {
		t.Errorf("/s172 factors wording: %q", m)
	}
	if help := h.MustDo("dave", "/help s172"); !strings.Contains(help, "/s172 factors") || !strings.Contains(help, "a:A") {
		t.Errorf("help:\n%s", help)
	}
}

// Notes typed without quotes run on to the next option; nothing spills
// into the title.
func TestS172LogUnquotedNotes(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", "/business register Acme")
	out := h.MustDo("alice", `/s172 log New oven supplier a:long term cost of the lease c:local supplier chosen outcome:chose Fen Ovens`)
	contains(t, out, "#1 New oven supplier\n", "factors (a) (c)", "outcome: chose Fen Ovens")
	contains(t, h.MustDo("alice", `/s172 amend 1 title:New oven supplier (Fen) c:-`), "#1 New oven supplier (Fen)\n", "factors (a) ·")
	contains(t, h.MustDo("alice", "/s172 show 1"), "long term cost of the lease", "Outcome: chose Fen Ovens")
}
