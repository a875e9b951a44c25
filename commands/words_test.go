package commands_test

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/pledgetest"
)

// TestWords: counts agree with their amounts, the withdraw prompt names its
// command once, yes confirms, and history dates read like every other date.
func TestWords(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("alice", `/business register "Acme Bakery"`)
	h.MustDo("alice", `/pledge add "Cut waste" theme:waste target:1`)
	contains(t, h.MustDo("alice", `/pledge progress 1 1`), "Logged 1 tonne against pledge #1", "(1 of 1 tonne)")
	h.MustDo("alice", `/pledge add "Apprentices" theme:apprenticeships target:1 unit:weeks`)
	contains(t, h.MustDo("alice", `/pledge progress 2 1`), "Logged 1 week of apprenticeship")

	prompt := h.MustDo("alice", `/pledge withdraw 1`)
	if n := strings.Count(prompt, "pledge withdraw 1 confirm"); n != 1 {
		t.Fatalf("the prompt shows the confirm command %d times:\n%s", n, prompt)
	}
	contains(t, h.MustDo("alice", `/pledge withdraw 1 yes`), "Pledge #1 withdrawn.")
	contains(t, h.MustDo("alice", `/pledge show 2`), "24 Nov 2026 @alice made the pledge")
	contains(t, h.MustDo("alice", `/help pledge withdraw`), "CONFIRM (optional) type confirm (or yes) to withdraw; one of: confirm")
}
