package commands_test

import (
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// TestHelpThatAnswers: help for a subcommand either way round, the themes
// page, and a "did you mean" for each kind of slip.
func TestHelpThatAnswers(t *testing.T) {
	h := pledgetest.New(t)
	for _, line := range []string{"/help pledge add", "/pledge add help", "/help /pledge ADD", "/pledge add --help"} {
		contains(t, h.MustDo("alice", line), "/pledge add: make a pledge for your business",
			"Usage: /pledge add TEXT [theme:THEME]",
			"TEXT (required) what you pledge",
			"theme: (optional) what kind of pledge (need: gives its need's); one of the theme keys (/help themes)",
			"visibility: (optional) private pledges are seen only by your business and admins; one of: public, private",
			"due: (optional) when it should be done; a date like 31/03/2027",
			`Example: /pledge add "Hire two local apprentices" theme:apprenticeships target:104 due:30/06/2027`)
	}
	contains(t, h.MustDo("alice", "/help pledge show"), "Usage: /pledge show PLEDGE", "PLEDGE (required)", "Example: /pledge show 1")
	contains(t, h.MustDo("alice", "/help business add-member"), "Example: /business add-member @alice")
	contains(t, h.MustDo("alice", "/help pledge"), "/help pledge SUBCOMMAND (or /pledge SUBCOMMAND help)")
	contains(t, h.MustDo("alice", "/help"), "/help COMMAND [SUBCOMMAND]", "/help themes")
	contains(t, h.MustDo("alice", "/help themes"), "Pledge themes",
		"buy-local — buying from local suppliers; unit: £ local spend; total: amounts add up",
		"fair-pay — fair pay and good work; unit: % staff on the real Living Wage; rate: the latest value each business reports",
		"volunteering — staff volunteering; unit: hours; total",
		"unit: weeks of apprenticeship; total: amounts add up; council measure: National TOMs: apprenticeship weeks",
		"rate: the latest value each business reports, a percentage from 0 to 100; council measure: record only (charters)")

	contains(t, h.MustFail("alice", "/plege add x", bot.NotFound), "There is no /plege command. Did you mean /pledge? Try /help.")
	contains(t, h.MustFail("alice", "/help plege", bot.NotFound), "Did you mean /help pledge?")
	contains(t, h.MustFail("alice", "/help pledge ad", bot.NotFound), `/pledge has no "ad". Did you mean /help pledge add?`)
	contains(t, h.MustFail("alice", "/pledge ad x theme:carbon", bot.Invalid), `/pledge has no "ad". Did you mean /pledge add?`)
	contains(t, h.MustFail("alice", "/pledge creat x theme:carbon", bot.Invalid), `/pledge has no "creat".`)
	contains(t, h.MustFail("alice", "/pledge create x theme:carbon", bot.Invalid), "Did you mean /pledge add?")
	h.MustDo("alice", `/business register "Acme Bakery"`)
	contains(t, h.MustFail("alice", "/pledge add x theme:buylocal", bot.Invalid), `theme "buylocal" is not one of the choices (did you mean theme:buy-local?)`)
	contains(t, h.MustFail("alice", "/pledge add x theme:volunteers", bot.Invalid), "did you mean theme:volunteering?")
	contains(t, h.MustFail("alice", "/pledge add x theme:carbn", bot.Invalid), "did you mean theme:carbon?")
	contains(t, h.MustFail("alice", "/pledge add x theme:carbon targt:5", bot.Invalid), `there is no option "targt:" here (did you mean target:?)`)
	contains(t, h.MustFail("alice", "/pledge list status:activ", bot.Invalid), "did you mean status:active?")
}
