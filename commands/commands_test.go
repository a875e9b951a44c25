package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

func contains(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Fatalf("reply lacks %q:\n%s", w, got)
		}
	}
}

func TestBusinessAndPledgeFlow(t *testing.T) {
	h := pledgetest.New(t)
	contains(t, h.MustDo("alice", `/business register "Acme Bakery" sector:food postcode:cb1`), "Registered business #1: Acme Bakery", "owner")
	contains(t, h.MustDo("alice", `/pledge add "Hire two local apprentices" theme:apprenticeships target:2 due:2027-06-30`),
		"Pledge #1 added for Acme Bakery", "0% (0 of 2 weeks of apprenticeship)", "due Wed 30 Jun 2027")
	contains(t, h.MustDo("alice", `/pledge progress #1 1 Sam started in October`), "Logged 1 week of apprenticeship against pledge #1", "50% (1 of 2 weeks of apprenticeship)")
	contains(t, h.MustDo("bob", `/pledge list`), "#1 Hire two local apprentices", "Acme Bakery (#1)", "50%")
	contains(t, h.MustDo("bob", `/pledge show 1`), "@alice made the pledge", "@alice logged 1 week of apprenticeship: Sam started in October")
	contains(t, h.MustDo("bob", `/business show 1`), "#1 Acme Bakery", "@alice (owner)", "Postcode: CB1")
	contains(t, h.MustDo("bob", `/business list`), "#1 Acme Bakery", "food · CB1 · 1 person")
	h.MustFail("bob", `/pledge progress 1 1`, bot.Forbidden)
	h.MustDo("alice", `/business add-member @bob`)
	contains(t, h.MustDo("bob", `/pledge progress 1 1 "Priya too"`), "100% (2 of 2 weeks of apprenticeship)")
	contains(t, h.MustDo("bob", `/pledge done 1 both hired`), "Pledge #1 is done")
	h.MustFail("bob", `/pledge progress 1 1`, bot.Conflict)
	contains(t, h.MustDo("alice", `/business remove-member bob`), "no longer acts for business #1")
}

func TestEditAndWithdraw(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	h.MustDo("alice", `/pledge add "Give 40 hours to the food bank" theme:volunteering target:40`)
	contains(t, h.MustDo("alice", `/pledge edit 1 "Give 50 hours to the food bank" target:50 due:2027-01-31`), "#1 Give 50 hours", "of 50 hours", "due Sun 31 Jan 2027")
	contains(t, h.MustDo("alice", `/pledge show 1`), `changed text to "Give 50 hours to the food bank", target to 50 hours, due to 31 Jan 2027`)
	contains(t, h.MustDo("alice", `/pledge edit 1 due:-`), "#1 Give 50 hours")
	if out := h.MustDo("alice", `/pledge show 1`); !strings.Contains(out, "changed due to none") || strings.Contains(out, "due 31 Jan") {
		t.Errorf("after due:- the pledge still has a due date:\n%s", out)
	}
	if n := h.Redis.ZCard(context.Background(), h.Prefix+":{"+h.Community()+"}:due").Val(); n != 0 {
		t.Errorf("the due index still holds %d pledges: nudges would go on", n)
	}
	h.MustFail("alice", `/pledge add x theme:carbon due:-`, bot.Invalid) // only edits remove
	h.MustFail("alice", `/pledge edit 1`, bot.Invalid)
	confirm := h.MustDo("alice", `/pledge withdraw 1`)
	contains(t, confirm, "Withdraw pledge #1", "/pledge withdraw 1 confirm")
	contains(t, h.MustDo("alice", `/pledge list`), "#1") // still active until confirmed
	contains(t, h.MustDo("alice", `/pledge withdraw 1 confirm`), "Pledge #1 withdrawn")
	contains(t, h.MustDo("alice", `/pledge list`), "No pledges found")
	contains(t, h.MustDo("alice", `/pledge list status:withdrawn`), "withdrawn")
	// Nothing to confirm for a pledge that is no longer active.
	contains(t, h.MustFail("alice", `/pledge withdraw 1`, bot.Conflict), "Pledge #1 is already withdrawn")
	h.MustDo("alice", `/pledge add x theme:carbon`)
	h.MustDo("alice", `/pledge done 2`)
	contains(t, h.MustFail("alice", `/pledge withdraw 2`, bot.Conflict), "Pledge #2 is done, so it can't be withdrawn")
}

func TestBadInputIsRefusedClearly(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	h.MustDo("alice", `/pledge add x theme:carbon`)
	for _, tc := range []struct {
		line, want string
		code       bot.Code
	}{
		{`/pledge add "unclosed theme:carbon`, "quote is not closed", bot.Invalid},
		{`/pledge add x theme:fishing`, "is not one of: local-hiring, apprenticeships", bot.Invalid},
		{`/pledge add x theme:carbon target:-3`, "can't be negative", bot.Invalid},
		{`/pledge add x theme:carbon target:lots`, "must be a number", bot.Invalid},
		{`/pledge add x theme:carbon due:2027-02-30`, "real date", bot.Invalid},
		{`/pledge add x theme:carbon due:2020-01-01`, "in the past", bot.Invalid},
		{`/pledge add x theme:carbon colour:green`, `no option "colour:"`, bot.Invalid},
		{`/pledge add "` + strings.Repeat("a", 501) + `" theme:carbon`, "too long", bot.Invalid},
		{`/pledge progress 99 1`, "no pledge #99", bot.NotFound},
		{`/pledge progress 1 0`, "more than 0", bot.Invalid},
		{`/pledge frobnicate`, "has no \"frobnicate\"", bot.Invalid},
		{`/nosuch`, "no /nosuch command", bot.NotFound},
		{`/business register Acme`, "already registered as #1", bot.Conflict},
		{`/business register X postcode:ZZZZZZ`, "doesn't look like a UK postcode", bot.Invalid},
		{`/business show 42`, "no business #42", bot.NotFound},
		{`/business add-member <!channel>`, "must be a person", bot.Invalid},
	} {
		msg := h.MustFail("alice", tc.line, tc.code)
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s: message %q lacks %q", tc.line, msg, tc.want)
		}
	}
	h.MustFail("bob", `/pledge add x theme:carbon`, bot.Invalid) // bob has no business
	contains(t, h.MustFail("bob", `/business add-member alice`, bot.Forbidden), "don't own a business")
}

func TestPrivatePledgeVisibility(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	h.MustDo("alice", `/pledge add "Pay the real Living Wage" theme:fair-pay target:100 visibility:private`)
	contains(t, h.MustDo("alice", `/pledge list`), "Living Wage", "private")
	contains(t, h.MustDo(h.Admin, `/pledge list`), "Living Wage")
	contains(t, h.MustDo("bob", `/pledge list`), "No pledges found")
	h.MustFail("bob", `/pledge show 1`, bot.NotFound)
}

func TestHelpComesFromTheSpec(t *testing.T) {
	h := pledgetest.New(t)
	contains(t, h.MustDo("alice", `/help`), "/pledge", "/business", "/help pledge")
	contains(t, h.MustDo("alice", `/help pledge`),
		"/pledge add TEXT [theme:THEME] [target:NUMBER] [unit:UNIT] [due:DATE] [visibility:public|private] [business:N-or-name]",
		"/pledge progress PLEDGE AMOUNT [NOTE]")
	contains(t, h.MustDo("alice", `/pledge`), "/pledge list")
	h.MustFail("alice", `/help nosuch`, bot.NotFound)
}

func TestMentionsInUserTextStayText(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	r := h.Reply("alice", `/pledge add "<!channel> <@U123> free cake" theme:carbon`)
	if r.Err != nil {
		t.Fatal(r.Err.Message)
	}
	// The core keeps user text raw; adapters escape it. It must not have
	// turned into a bot mention marker.
	if strings.Contains(r.Items[0].Title, "\x1f") {
		t.Fatal("user text became a mention")
	}
}

func TestDataRights(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	h.MustDo("alice", `/pledge add "Plant 50 trees" theme:carbon target:50`)
	r := h.Reply("alice", `/business export 1`)
	if r.Err != nil || r.File == nil || !strings.Contains(string(r.File.Content), "Plant 50 trees") {
		t.Fatalf("export: %+v", r)
	}
	h.MustFail("bob", `/business export 1`, bot.Forbidden)
	contains(t, h.MustDo("alice", `/business delete 1`), "Delete business #1 Acme", "/business delete 1 confirm")
	h.MustFail("bob", `/business delete 1 confirm`, bot.Forbidden)
	contains(t, h.MustDo("alice", `/business delete 1 confirm`), "deleted")
	contains(t, h.MustDo("alice", `/pledge list`), "No pledges found")
	h.MustFail("alice", `/audit`, bot.Forbidden)
	contains(t, h.MustDo(h.Admin, `/audit business:1`), "@alice business.delete")
}

// A full postcode typed unquoted keeps both halves, and the business's
// name does not take the second one, nor the postcode the name's first word.
func TestRegisterFullPostcodeUnquoted(t *testing.T) {
	for _, tc := range []struct{ line, name, postcode string }{
		{`Acme Bakery postcode:cb1 2ab`, "Acme Bakery", "CB1 2AB"},
		{`postcode:CB1 2AB Acme Bakery`, "Acme Bakery", "CB1 2AB"},
		{`postcode:CB1 1st Choice Plumbing`, "1st Choice Plumbing", "CB1"},
		{`Choice Plumbing postcode:CB1 1ST`, "Choice Plumbing", "CB1 1ST"},
		{`postcode:CB12AB 2nd Chance Charity Shop`, "2nd Chance Charity Shop", "CB12AB"},
		{`Acme postcode:"CB1" 2AB`, "Acme 2AB", "CB1"},
	} {
		h := pledgetest.New(t)
		contains(t, h.MustDo("alice", `/business register `+tc.line), "Registered business #1: "+tc.name+"\n")
		contains(t, h.MustDo("alice", `/business show 1`), "Postcode: "+tc.postcode+"\n")
	}
}

func TestRefusalNamesTheCommand(t *testing.T) {
	h := pledgetest.New(t)
	contains(t, h.MustFail("bob", "/audit", bot.Forbidden), "/audit is for admins")
	contains(t, h.MustFail("bob", "/summary", bot.Forbidden), "/summary show is for councils")
}

// TestLookAlikeBusinessNames: a name that only looks like a registered one
// (a Cyrillic letter, trailing or doubled spaces, case) is refused as
// taken, and one hiding a format character as invalid.
func TestLookAlikeBusinessNames(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	for _, line := range []string{
		"/business register Аcme", // Cyrillic А
		`/business register "Acme  "`,
		"/business register ACME",
	} {
		contains(t, h.MustFail("bob", line, bot.Conflict), "already registered as #1")
	}
	for _, line := range []string{"/business register Ac\u200bme", "/business register \u202eemcA", "/business register Acme\ufeff"} {
		contains(t, h.MustFail("bob", line, bot.Invalid), "invisible formatting character")
	}
	contains(t, h.MustDo("bob", "/business register Acme   Bakery"), "Registered business #2: Acme Bakery")
	contains(t, h.MustFail("carol", "/business register Αcme Βakery", bot.Conflict), "already registered as #2") // Greek
}
