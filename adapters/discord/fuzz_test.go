package discord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
)

// FuzzInteraction feeds hostile bodies through the decoder and everything
// that reads an interaction before the core runs it: no panic, and every
// request that comes out is well formed.
func FuzzInteraction(f *testing.F) {
	for _, seed := range []string{
		`{"type":1}`,
		`{"id":"1","type":2,"guild_id":"111","member":{"user":{"id":"222"}},"data":{"name":"pledge","options":[{"name":"add","type":1,"options":[{"name":"text","type":3,"value":"x"},{"name":"theme","type":3,"value":"carbon"},{"name":"share","type":5,"value":true}]}]}}`,
		`{"id":"1","type":2,"guild_id":"111","member":{"user":{"id":"222"}},"data":{"name":"pledge","options":[{"name":"withdraw","type":1,"options":[{"name":"pledge","type":4,"value":1e300},{"name":"confirm","type":5,"value":true}]}]}}`,
		`{"id":"1","type":3,"guild_id":"111","member":{"user":{"id":"222"}},"data":{"custom_id":"r:pledge progress 1","component_type":2}}`,
		`{"id":"1","type":4,"guild_id":"111","member":{"user":{"id":"222"}},"data":{"name":"pledge","options":[{"name":"show","type":1,"options":[{"name":"pledge","type":4,"value":"1","focused":true}]}]}}`,
		`{"id":"1","type":5,"guild_id":"111","member":{"user":{"id":"222"}},"data":{"custom_id":"m:pledge add?theme=carbon&share=1","components":[{"type":1,"components":[{"type":4,"custom_id":"text","value":"hi"}]}]}}`,
		`{"type":5,"data":{"components":[{"type":1,"components":[{"type":1}]}]}}`,
		`{"type":2,"data":{"options":[null,{"name":"x","type":1,"options":[null]}]}}`,
	} {
		f.Add([]byte(seed))
	}
	b := bot.New(bot.Options{})
	b.Register(commands.All(b, nil)...)
	a := New(Options{Bot: b})
	f.Fuzz(func(t *testing.T, body []byte) {
		i, err := decode(body)
		if err != nil {
			return
		}
		identity(i)
		switch i.Type {
		case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
			s, err := commandOptions(b, i.ApplicationCommandData())
			if err != nil {
				return
			}
			if sub := s.spec(); sub != nil {
				c := s.Resolved.Command
				if m := modalFor(c, sub, s.Raw, s.Share); m != nil && len(m.Data.CustomID) > maxCustomID {
					t.Fatalf("modal id too long: %q", m.Data.CustomID)
				}
				c.Typed(sub, s.Raw, b.Choices("c"))
			}
		case discordgo.InteractionMessageComponent:
			id := i.MessageComponentData().CustomID
			if rest, ok := strings.CutPrefix(id, runPrefix); ok {
				var req bot.Request
				req.Command, req.Text, _ = strings.Cut(rest, " ")
				if m := a.buttonModal(&req); m != nil && len(m.Data.CustomID) > maxCustomID {
					t.Fatalf("modal id too long: %q", m.Data.CustomID)
				}
			}
		case discordgo.InteractionModalSubmit:
			d := i.ModalSubmitData()
			modalValues(d.Components)
			parseModalID(d.CustomID)
		}
	})
}
