package commands_test

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// A negative progress amount is someone taking back what was logged: the
// refusal names the command that does it, on any pledge, and logs nothing.
func TestNegativeProgressPointsToCorrect(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register Acme`)
	h.MustDo("alice", `/pledge add Hours theme:volunteering target:10`)
	h.MustDo("alice", `/pledge add LW theme:fair-pay target:90`)
	h.MustDo("alice", `/pledge progress 1 4`)
	for _, line := range []string{`/pledge progress 1 -100`, `/pledge progress 1 -4 hours logged twice`, `/pledge progress #2 -5`} {
		n := strings.TrimPrefix(strings.Fields(line)[2], "#")
		got := h.MustFail("alice", line, bot.Invalid)
		contains(t, got, "Progress can't be negative", "/pledge correct "+n+" AMOUNT [entry:K]", "0 strikes it", "/pledge show "+n+" numbers the entries")
		if strings.Contains(got, "Usage:") {
			t.Errorf("%s: the usage line is not the fix:\n%s", line, got)
		}
	}
	// 0 is not negative: it keeps its own refusal.
	contains(t, h.MustFail("alice", `/pledge progress 1 0`, bot.Invalid), "The amount must be more than 0")
	// Only the one entry of 4 hours was logged.
	contains(t, h.MustDo("alice", `/pledge show 1`), "(4 of 10 hours)", "(entry 1)")
	if out := h.MustDo("alice", `/pledge show 1`); strings.Contains(out, "(entry 2)") {
		t.Errorf("a negative amount was logged:\n%s", out)
	}
	// Other amounts below 0 are the parser's still.
	contains(t, h.MustFail("alice", `/pledge correct 1 -1`, bot.Invalid), "amount can't be negative")
	contains(t, h.MustFail("alice", `/pledge add x theme:volunteering target:-1`, bot.Invalid), "target can't be negative")
}
