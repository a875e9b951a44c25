package commands_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// TestPledgeListMine: mine lists the pledges a person made, in any
// business, even one they have left, and every pledge of the businesses
// they own; nobody else's.
func TestPledgeListMine(t *testing.T) {
	h := pledgetest.New(t)
	h.MustDo("ann", "/business register Bakery Ltd")    // #1, ann owns
	h.MustDo("bob", "/business register Zoë's Café")    // #2, bob owns
	h.MustDo("cat", "/business register Corner Garage") // #3, neither
	h.MustDo("bob", "/business add-member @ann business:2")
	h.MustDo("ann", "/business add-member @bob business:1")
	h.MustDo("cat", "/business add-member @ann business:3")

	h.MustDo("bob", `/pledge add "Bob's bread run" theme:volunteering target:10 business:Bakery`)   // #1: of ann's business
	h.MustDo("ann", `/pledge add "Ann's coffee mornings" theme:volunteering target:5 business:Zoë`) // #2: made by ann
	h.MustDo("bob", `/pledge add "Bob's café pledge" theme:volunteering target:5 business:Zoë`)     // #3: bob's only
	h.MustDo("ann", `/pledge add "Ann's garage pledge" theme:carbon target:1 business:Corner`)      // #4: made by ann
	h.MustDo("cat", `/pledge add "Cat's garage pledge" theme:carbon target:2 business:3`)           // #5: cat's only
	h.MustDo("ann", `/pledge add "Ann's withdrawn one" theme:carbon target:2 business:1`)           // #6
	h.MustDo("ann", "/pledge withdraw 6 confirm")
	h.MustDo("ann", "/business leave business:Corner") // what she made there stays hers

	got := h.MustDo("ann", "/pledge list mine")
	contains(t, got, "Your pledges (3, newest first)", "Ann's garage pledge", "Ann's coffee mornings", "Bob's bread run")
	for _, not := range []string{"Bob's café pledge", "Cat's garage pledge", "Ann's withdrawn one"} {
		if strings.Contains(got, not) {
			t.Errorf("ann's list holds %q:\n%s", not, got)
		}
	}
	if strings.Index(got, "Ann's garage pledge") > strings.Index(got, "Bob's bread run") {
		t.Errorf("not newest first:\n%s", got)
	}
	contains(t, h.MustDo("ann", "/pledge list mine status:all"), "Your pledges (4, newest first)", "Ann's withdrawn one")
	contains(t, h.MustDo("ann", "/pledge list mine theme:carbon"), "Your pledges (1, newest first)", "Ann's garage pledge")
	contains(t, h.MustDo("ann", "/pledge list mine business:Zoë"), "Your pledges (1, newest first)", "Ann's coffee mornings")

	// bob owns Zoë's Café: all three of its pledges... and made #1.
	contains(t, h.MustDo("bob", "/pledge list mine"), "Your pledges (3, newest first)", "Bob's café pledge", "Ann's coffee mornings", "Bob's bread run")
	contains(t, h.MustDo("dan", "/pledge list mine"), "No pledges of yours found")
	contains(t, h.MustFail("ann", "/pledge list mone", bot.Invalid), "mine")
	contains(t, h.MustDo("ann", "/pledge list"), "Pledges (5, newest first)")

	// Pages as /pledge list does: the newest 50.
	for i := 0; i < 50; i++ {
		h.MustDo("bob", fmt.Sprintf(`/pledge add "More bread %d" theme:volunteering target:1 business:Bakery`, i))
	}
	got = h.MustDo("ann", "/pledge list mine")
	contains(t, got, "Latest 50 of your pledges (narrow with business:, theme: or status:)", "More bread 49")
	if strings.Contains(got, "Ann's coffee mornings") {
		t.Errorf("the 51st newest is listed:\n%s", got)
	}
}
