package bot_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

// storeKindsUsed reads the store's Go files for bot.StoreErr calls and
// returns the kinds they name; a kind that is not a string literal fails
// the test, since its words could then not be checked.
func storeKindsUsed(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("../store/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no store files: %v", err)
	}
	fset := token.NewFileSet()
	used := map[string]bool{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "StoreErr" || len(call.Args) < 2 {
				return true
			}
			lit, ok := call.Args[1].(*ast.BasicLit)
			kind, err := strconv.Unquote(litValue(lit))
			if !ok || err != nil {
				t.Errorf("%s: StoreErr's kind must be a string literal", fset.Position(call.Pos()))
				return true
			}
			used[kind] = true
			return true
		})
	}
	return used
}

func litValue(l *ast.BasicLit) string {
	if l == nil || l.Kind != token.STRING {
		return ""
	}
	return l.Value
}

// TestStoreWording: every kind the store returns has words, every word
// is for a kind the store returns, and each kind reads exactly as the
// store's own text did before the store stopped writing it (the
// expected texts are written out by hand, one a row).
func TestStoreWording(t *testing.T) {
	used := storeKindsUsed(t)
	if len(used) < 50 {
		t.Fatalf("found only %d kinds in the store; is the scan broken?", len(used))
	}
	known := bot.StoreKinds()
	for kind := range used {
		if !slices.Contains(known, kind) {
			t.Errorf("the store returns kind %q, which bot/storetext.go does not word", kind)
		}
	}
	for _, kind := range known {
		if !used[kind] {
			t.Errorf("bot/storetext.go words kind %q, which the store never returns", kind)
		}
	}

	cases := []struct {
		kind string
		args []any
		want string
	}{
		{"business_not_found", []any{7}, "There is no business #7. /business list shows them all."},
		{"business_name_taken", []any{"3", "3"}, "A business with that name is already registered as #3. Use /business show 3, or pick another name."},
		{"not_business_owner_members", []any{"3"}, "Only an owner of business #3 (or an admin) can change its members."},
		{"not_a_member", []any{"3"}, "That person is not a member of business #3."},
		{"last_owner", []any{"3"}, "Business #3 needs at least one owner: make someone else owner first."},
		{"not_business_owner_details", []any{3}, "Only an owner of business #3 (or an admin) can change its details."},
		{"name_has_separator", []any{}, "A name cannot contain '|' or line breaks."},
		{"confirm_no_partner", []any{"12"}, "pledge 12 names no community partner, so there is nothing to confirm."},
		{"link_partner_changed", []any{"12"}, "Pledge #12 is no longer made to the partner this link was for."},
		{"link_revoked", []any{"12"}, "The confirm links of pledge #12 made so far were withdrawn by the business."},
		{"not_partner_confirm", []any{"2", "12"}, "Only the people of partner #2, which pledge #12 is made to, can confirm or query its progress."},
		{"confirm_no_progress", []any{"12"}, "Pledge #12 has no progress logged yet, so there is nothing to confirm."},
		{"entry_struck", []any{"3"}, "Entry 3 was struck out; there is nothing to confirm or query."},
		{"entry_queried", []any{"3"}, "Entry 3 is already queried; the business answers with /pledge correct, or you can confirm it."},
		{"entry_confirmed", []any{"3"}, "Entry 3 is already confirmed."},
		{"correct_no_progress", []any{"12"}, "Pledge #12 has no progress logged, so there is nothing to correct."},
		{"entry_not_found_one", []any{"4"}, "Pledge has one progress entry; entry:4 is not one. /pledge show lists them."},
		{"entry_not_found", []any{"4", "3"}, "Entry 4 is not one of the pledge's 3 progress entries. /pledge show numbers them."},
		{"entry_same_amount", []any{"2"}, "Entry 2 already has that amount; nothing changed."},
		{"not_entry_corrector", []any{"2", "12"}, "Only the person who logged entry 2 of pledge #12, the business's owners or an admin can correct it."},
		{"pledge_already_active", []any{"12"}, "Pledge #12 is already active."},
		{"pledge_withdrawn_reopen", []any{"12"}, "Pledge #12 was withdrawn, so it can't be reopened: make a new pledge instead."},
		{"reopen_due_passed", []any{"1 Mar 2026"}, "Its due date (1 Mar 2026) has passed: reopen it with a new one from today on, e.g. due:31/03/2027 or due:end of month."},
		{"need_not_found", []any{5}, "There is no need #5. /need list shows them."},
		{"not_your_partner", []any{"2"}, "You don't act for partner #2: post needs for your own partner, or ask a coordinator."},
		{"need_poster_not_partner", []any{}, "Only a community partner's people, coordinators and the council can post needs. A partner registers with /partner register NAME."},
		{"not_need_closer", []any{"5"}, "Only need #5's partner, its poster, coordinators and admins can close it."},
		{"need_already_closed", []any{"5"}, "Need #5 is already closed."},
		{"outcome_no_partner", []any{"12"}, "Pledge #12 names no community partner, so there is no partner to tell its outcome."},
		{"not_partner_outcome", []any{"2", "12"}, "Only the people of partner #2, which pledge #12 is made to, can record its outcome."},
		{"not_partner_owner_export", []any{2}, "Only a partner-owner of partner #2 (or an admin or coordinator) can export its data."},
		{"partner_role_invalid", []any{"owner"}, "A partner's people are partner-owner or partner-member, not owner."},
		{"partner_not_found", []any{9}, "There is no partner #9. /partner list shows them all."},
		{"partner_name_taken", []any{"2", "2"}, "A partner with that name is already registered as #2. Use /partner show 2, or pick another name."},
		{"partner_owner_not_allowed", []any{}, "Only an admin or a coordinator can register a partner for someone else; leave out owner: to register it yourself."},
		{"not_partner_owner_people", []any{"2"}, "Only a partner-owner of partner #2 (or an admin or coordinator) can change its people."},
		{"not_partner_person", []any{"2"}, "That person is not one of partner #2's people."},
		{"last_partner_owner", []any{"2"}, "Partner #2 needs at least one partner-owner: make someone else partner-owner first."},
		{"no_business", []any{}, "You are not part of a business yet. Register one with /business register NAME, or ask its owner to add you."},
		{"several_businesses", []any{bot.Refs{1, 4}}, "You belong to several businesses (#1, #4): say which with business:N."},
		{"not_your_business", []any{"3"}, "Only members of business #3 can pledge for it."},
		{"pledge_of_another_business", []any{"12"}, "Pledge #12 belongs to another business; only its members can change it."},
		{"pledge_state_conflict", []any{"done"}, "That pledge is done, so it can't be changed that way."},
		{"need_closed", []any{"5"}, "Need #5 is closed: pledge against an open one (/need list)."},
		{"need_other_theme", []any{"5", "waste"}, "Need #5 is about waste: pledge against it with theme:waste, or leave theme: out."},
		{"need_other_partner", []any{"5", "2"}, "Need #5 is partner #2's: leave partner: out, or name that one."},
		{"pledge_not_found", []any{12}, "There is no pledge #12 you can see. /pledge list shows them."},
		{"not_business_owner_export", []any{3}, "Only an owner of business #3 (or an admin) can export its data."},
		{"decision_not_found", []any{"8"}, "There is no decision #8 that you can see. /s172 list shows yours."},
		{"not_decision_recorder", []any{"3"}, "Only the owners and members of business #3 (or an admin) can record its decisions."},
		{"not_decision_amender", []any{"8"}, "Only the owners and members of its business (or an admin) can amend decision #8."},
		{"decision_no_factor", []any{}, "A decision record needs at least one s172(1) factor (a: to f:) with a note; nothing was changed."},
		{"review_before_decision", []any{"1 Feb 2026", "1 Mar 2026"}, "The review date (1 Feb 2026) can't be before the decision date (1 Mar 2026); nothing was changed."},
		{"too_many_amendments", []any{"8", 20}, "Decision #8 already has 20 amendments; log a new decision instead, and mention #8 in it."},
		{"linked_pledge_not_found", []any{"12"}, "There is no pledge #12 that you can see, so it can't be linked; nothing was changed."},
		{"digest_channel_invalid", []any{}, "This channel can't receive digests (its id has odd characters)."},
		{"not_stakeholder_editor", []any{"3"}, "Only the owners and members of business #3 (or an admin) can see or change its stakeholder register."},
		{"stakeholders_full", []any{"30"}, "The stakeholder register holds at most 30 groups; remove one first (/s172 stakeholders remove NAME)."},
		{"stakeholder_not_found", []any{}, "There is no such group in the stakeholder register; /s172 stakeholders list shows them."},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.kind] = true
		if got := bot.StoreText(c.kind, c.args...); got != c.want {
			t.Errorf("%s: %q, want %q", c.kind, got, c.want)
		}
	}
	for _, kind := range known {
		if !seen[kind] {
			t.Errorf("kind %q has no row in this table", kind)
		}
	}
}

// TestStoreErrorReadsAsError: a store refusal is an *Error to everything
// that replies (ErrorCode, ErrorMessage, errors.As), with its words.
func TestStoreErrorReadsAsError(t *testing.T) {
	err := bot.StoreErr(bot.NotFound, "pledge_not_found", 12)
	if got := bot.ErrorCode(err); got != bot.NotFound {
		t.Errorf("code %s, want not_found", got)
	}
	want := "There is no pledge #12 you can see. /pledge list shows them."
	if got := bot.ErrorMessage(err); got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if err.Error() != want {
		t.Errorf("Error() %q, want %q", err.Error(), want)
	}
	if got := bot.StoreText("no_such_kind"); got != bot.ErrorMessage(nil) {
		t.Errorf("a kind without words reads %q, want the generic apology", got)
	}
}
