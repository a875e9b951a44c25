package slack

import (
	"testing"

	slackapi "github.com/slack-go/slack"
)

// TestRegisterModalAsksFormAndSize: the Slack registration form has the
// legal form and size as optional selects, and the figures as optional
// numbers.
func TestRegisterModalAsksFormAndSize(t *testing.T) {
	e := newEnv(t)
	cmd := e.h.Bot.Command("business")
	view := e.a.modalView(e.community(), cmd, cmd.Sub("register"), nil)
	inputs := map[string]*slackapi.InputBlock{}
	for _, b := range view.Blocks.BlockSet {
		if in, ok := b.(*slackapi.InputBlock); ok {
			inputs[in.BlockID] = in
		}
	}
	for _, name := range []string{"form", "size", "turnover", "balance-sheet", "employees", "year-end"} {
		in, ok := inputs[name]
		if !ok || !in.Optional {
			t.Errorf("%s missing or required: %+v", name, in)
		}
	}
	if sel, ok := inputs["form"].Element.(*slackapi.SelectBlockElement); !ok || len(sel.Options) != 8 {
		t.Errorf("form is not a select of the 8 forms: %#v", inputs["form"].Element)
	}
	if in := inputs["name"]; in == nil || in.Optional {
		t.Errorf("name not required")
	}
}
