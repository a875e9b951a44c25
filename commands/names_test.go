package commands_test

import (
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// TestNamesOfAnyScript: a person named with letters and marks of any
// script is one person however the name was typed (NFC), and a business's
// name is kept in NFC.
func TestNamesOfAnyScript(t *testing.T) {
	h := pledgetest.New(t)
	contains(t, h.MustDo("alice", "/business register \"Cafe\u0301 Siân\""), "Registered business #1: Caf\u00e9 Siân")
	contains(t, h.MustDo("alice", "/business add-member @zoe\u0308"), "zo\u00eb") // typed decomposed
	contains(t, h.MustDo("zo\u00eb", `/pledge add "Litter pick" theme:volunteering target:10`), "Pledge #1 added for Caf\u00e9 Siân")
	contains(t, h.MustDo("alice", "/business add-member @Владимир"), "Владимир")
	contains(t, h.MustFail("alice", "/business add-member @zoë:x", bot.Invalid), "must be a person")
}
