package discord

import (
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
)

// TestRegisterModalAsksFormAndSize: the registration modal asks for the
// business's name and, optionally, its legal form and size.
func TestRegisterModalAsksFormAndSize(t *testing.T) {
	b := bot.New(bot.Options{})
	b.Register(commands.All(b, nil)...)
	cmd := b.Command("business")
	m := modalFor(cmd, cmd.Sub("register"), map[string]string{}, false)
	if m == nil {
		t.Fatal("no modal for /business register")
	}
	got := map[string]bool{}
	for _, row := range m.Data.Components {
		in := row.(discordgo.ActionsRow).Components[0].(discordgo.TextInput)
		got[in.CustomID] = in.Required
	}
	if req, ok := got["name"]; !ok || !req {
		t.Errorf("name not asked as required: %v", got)
	}
	for _, o := range []string{"form", "size"} {
		if req, ok := got[o]; !ok || req {
			t.Errorf("%s not asked as optional: %v", o, got)
		}
	}
	if len(got) > maxInputs {
		t.Errorf("%d inputs", len(got))
	}
}
