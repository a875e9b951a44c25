package commands_test

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// fairPayShare is how a share's refusal names fair-pay and its range.
const fairPayShare = "fair-pay is a share (% staff on the real Living Wage), so "

// A share (a rate theme counted in percent) takes a target from 0 to 100,
// whatever a number's option would take elsewhere; a theme that is no
// share keeps taking any amount.
func TestShareTargetOnAdd(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	for _, tc := range []struct {
		line, want string // want "" when accepted
	}{
		{`/pledge add LW theme:fair-pay target:150`, fairPayShare + "target:150 can't be used: give a percentage from 0 to 100."},
		{`/pledge add LW theme:fair-pay target:100.5`, fairPayShare + "target:100.5 can't be used"},
		{`/pledge add LW theme:fair-pay target:150 unit:%`, fairPayShare + "target:150 can't be used"},
		{`/pledge add LW theme:fair-pay target:1k`, fairPayShare + "target:1,000 can't be used"},
		{`/pledge add Pay theme:prompt-payment target:101`, "prompt-payment is a share (% invoices paid within 30 days), so target:101 can't be used"},
		{`/pledge add LW theme:fair-pay target:-1`, "target can't be negative"}, // the parser's, before any theme
		{`/pledge add LW theme:fair-pay target:100`, ""},
		{`/pledge add LW theme:fair-pay target:0`, ""},
		{`/pledge add Pay theme:prompt-payment target:95`, ""},
		{`/pledge add Hours theme:volunteering target:150`, ""},
	} {
		if tc.want == "" {
			h.MustDo("alice", tc.line)
			continue
		}
		contains(t, h.MustFail("alice", tc.line, bot.Invalid), tc.want)
	}
	// Accepted: #1 fair-pay 100, #2 fair-pay 0, #3 prompt-payment 95, #4 volunteering 150.
	if out := h.MustDo("alice", `/pledge list`); strings.Contains(out, "#5") || !strings.Contains(out, "#4") {
		t.Errorf("want exactly the 4 accepted pledges, got:\n%s", out)
	}
}

func TestShareTargetOnEdit(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	h.MustDo("alice", `/pledge add LW theme:fair-pay target:90`)
	h.MustDo("alice", `/pledge add Hours theme:volunteering target:10`)
	contains(t, h.MustFail("alice", `/pledge edit 1 target:150`, bot.Invalid), fairPayShare+"target:150 can't be used: give a percentage from 0 to 100.")
	contains(t, h.MustFail("alice", `/pledge edit 1 target:100.5`, bot.Invalid), fairPayShare+"target:100.5 can't be used")
	// 90 + 20 = 110, over 100; 90 + 10 = 100 is every member of staff.
	contains(t, h.MustFail("alice", `/pledge edit 1 target:+20`, bot.Invalid), fairPayShare+"target:+20 (making it 110) can't be used: give a percentage from 0 to 100.")
	contains(t, h.MustDo("alice", `/pledge edit 1 target:+10`), "of 100 % staff on the real Living Wage")
	contains(t, h.MustDo("alice", `/pledge edit 1 target:0`), "Pledge #1 updated")
	// Moving an hours pledge (nothing logged) to fair-pay needs a share too.
	contains(t, h.MustFail("alice", `/pledge edit 2 theme:fair-pay target:200`, bot.Invalid), fairPayShare+"target:200 can't be used")
	contains(t, h.MustDo("alice", `/pledge edit 2 target:+140`), "of 150 hours") // 10 + 140: no share
	contains(t, h.MustDo("alice", `/pledge edit 2 theme:fair-pay target:80`), "of 80 % staff on the real Living Wage")
	// Nothing the refusals asked for was written: the targets went
	// 90 → 100 → 0 and 10 → 150 → 80.
	show := h.MustDo("alice", `/pledge show 1`)
	for _, no := range []string{"110", "150", "100.5"} {
		if strings.Contains(show, "target to "+no) {
			t.Errorf("a refused target %s was written:\n%s", no, show)
		}
	}
}

func TestShareProgress(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	h.MustDo("alice", `/pledge add LW theme:fair-pay target:90`)
	h.MustDo("alice", `/pledge add Hours theme:volunteering target:10`)
	contains(t, h.MustFail("alice", `/pledge progress 1 120`, bot.Invalid), fairPayShare+"120 can't be used: give a percentage from 0 to 100.")
	contains(t, h.MustFail("alice", `/pledge progress 1 100.5`, bot.Invalid), fairPayShare+"100.5 can't be used")
	contains(t, h.MustFail("alice", `/pledge progress 1 120 % after the pay review`, bot.Invalid), fairPayShare+"120 can't be used")
	contains(t, h.MustDo("alice", `/pledge progress 1 100`), "Logged 100 % staff on the real Living Wage")
	contains(t, h.MustDo("alice", `/pledge progress 1 85 percent`), "Logged 85 % staff on the real Living Wage")
	contains(t, h.MustDo("alice", `/pledge progress 2 120`), "Logged 120 hours") // no share
	show := h.MustDo("alice", `/pledge show 1`)
	contains(t, show, "(entry 1)", "(entry 2)")
	if strings.Contains(show, "(entry 3)") || strings.Contains(show, "120") {
		t.Errorf("a refused value was logged:\n%s", show)
	}
}

func TestShareCorrect(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	h.MustDo("alice", `/pledge add LW theme:fair-pay target:90`)
	h.MustDo("alice", `/pledge add Hours theme:volunteering target:10`)
	h.MustDo("alice", `/pledge progress 1 60`)
	h.MustDo("alice", `/pledge progress 1 70`)
	h.MustDo("alice", `/pledge progress 2 5`)
	contains(t, h.MustFail("alice", `/pledge correct 1 130`, bot.Invalid), fairPayShare+"130 can't be used: give a percentage from 0 to 100.")
	contains(t, h.MustFail("alice", `/pledge correct 1 100.5 entry:1`, bot.Invalid), fairPayShare+"100.5 can't be used")
	contains(t, h.MustFail("alice", `/pledge correct 1 -1`, bot.Invalid), "amount can't be negative")
	contains(t, h.MustDo("alice", `/pledge correct 1 100 entry:1`), "Corrected progress entry 1 of pledge #1")
	// 0 strikes the entry, share or not: entry 2 (70) goes, entry 1 (now
	// 100) is the latest value.
	contains(t, h.MustDo("alice", `/pledge correct 1 0`), "Struck out the latest progress entry of pledge #1", "(100 of 90")
	contains(t, h.MustDo("alice", `/pledge correct 2 130`), "(130 of 10 hours)") // no share
	show := h.MustDo("alice", `/pledge show 1`)
	if strings.Contains(show, "130") || strings.Contains(show, "100.5") {
		t.Errorf("a refused correction was written:\n%s", show)
	}
}
