package commands_test

import (
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// TestBusinessLeave: a member leaves by themself, with or without
// business:; a last owner may not; removing yourself is leaving.
func TestBusinessLeave(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("ann", "/business register Bakery Ltd")
	h.MustDo("ann", "/business register Zoë's Café")
	h.MustDo("ann", "/business add-member @bob business:Bakery")
	h.MustDo("ann", "/business add-member @cat business:Bakery")
	h.MustDo("ann", "/business add-member @cat business:Zoë")

	contains(t, h.MustDo("bob", "/business leave"), "You no longer act for business #1 Bakery Ltd.")
	contains(t, h.MustFail("bob", "/business leave", bot.NotFound), "You don't act for any business here")
	contains(t, h.MustDo("bob", "/business show 1"), "People: @ann (owner), @cat (member)")

	contains(t, h.MustFail("cat", "/business leave", bot.Invalid),
		"You act for 2 businesses (#1 Bakery Ltd, #2 Zoë's Café): say which to leave with business:, e.g. business:1.")
	contains(t, h.MustDo("cat", "/business leave business:zoë"), "You no longer act for business #2 Zoë's Café.")
	// The case: remove-member @me without business: is leaving the
	// caller's only business, though cat owns nothing.
	contains(t, h.MustDo("cat", "/business remove-member @cat"), "You no longer act for business #1 Bakery Ltd.")
	contains(t, h.MustFail("cat", "/business leave business:2", bot.NotFound), "You don't act for business #2")

	// The last owner stays until someone else owns it.
	contains(t, h.MustFail("ann", "/business leave business:Zoë", bot.Conflict), "Business #2 needs at least one owner")
	h.MustDo("ann", "/business add-member @dan role:owner business:Zoë")
	contains(t, h.MustDo("ann", "/business remove-member @ann business:2"), "You no longer act for business #2 Zoë's Café.")
	// Now only Bakery Ltd is hers, and she is its last owner.
	contains(t, h.MustFail("ann", "/business leave", bot.Conflict), "Business #1 needs at least one owner")
	contains(t, h.MustDo("dan", "/business show 2"), "People: @dan (owner)")
}
