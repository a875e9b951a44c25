package discord

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
)

// decode reads an interaction from an HTTP body. Already discordgo's: the
// body is unmarshalled into discordgo.Interaction (its own decoder), so HTTP
// and gateway interactions share one type; a panic inside it on hostile
// input becomes an error.
func decode(body []byte) (i *discordgo.Interaction, err error) {
	defer func() {
		if p := recover(); p != nil {
			i, err = nil, fmt.Errorf("undecodable interaction: %v", p)
		}
	}()
	i = &discordgo.Interaction{}
	if err := json.Unmarshal(body, i); err != nil {
		return nil, err
	}
	if i.Type == 0 {
		return nil, errors.New("interaction without a type")
	}
	return i, nil
}

// identity is who sent an interaction: the guild is the workspace. Direct
// messages have no guild, so no community; ok is false then.
func identity(i *discordgo.Interaction) (id bot.Identity, name string, ok bool) {
	if i.GuildID == "" || i.Member == nil || i.Member.User == nil {
		return bot.Identity{}, "", false
	}
	id = bot.Identity{Platform: bot.Discord, Workspace: i.GuildID, User: i.Member.User.ID}
	name = i.Member.Nick
	if name == "" {
		name = i.Member.User.GlobalName
	}
	if name == "" {
		name = i.Member.User.Username
	}
	return id, name, id.Valid()
}

// slash is an application command interaction flattened to the spec's terms.
type slash struct {
	Command string
	Sub     string
	Raw     map[string]string
	Share   bool
	Focused string // autocomplete: the option being typed
	// Resolved is what Command and Sub name, found by the bot's resolver
	// once for the interaction.
	Resolved *bot.Resolved
}

// spec is the subcommand the interaction names outright (or its command's
// only one); nil for an unknown one, none, or a Default the name fell to.
func (s slash) spec() *bot.Subcommand {
	r := s.Resolved
	if r == nil || r.Sub == nil || r.Defaulted || r.Text != "" {
		return nil
	}
	return r.Sub
}

// commandOptions flattens an application command's data: the subcommand (if
// any), each option's value as the text parser would have seen it, the
// share flag and the focused option.
func commandOptions(b *bot.Bot, d discordgo.ApplicationCommandInteractionData) (slash, error) {
	s := slash{Command: strings.ToLower(d.Name), Raw: map[string]string{}}
	opts := d.Options
	if len(opts) == 1 && opts[0] != nil && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		s.Sub, opts = strings.ToLower(opts[0].Name), opts[0].Options
	}
	// Resolved as the text path reads "/command sub", so an interaction
	// naming no subcommand or an unknown one gets the core's answer.
	req := bot.Request{Command: s.Command, Text: s.Sub}
	s.Resolved = b.Resolve(&req)
	spec := s.spec()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if o.Focused {
			s.Focused = o.Name
		}
		if o.Name == shareOption {
			v, _ := o.Value.(bool)
			s.Share = v
			continue
		}
		if _, dup := s.Raw[o.Name]; dup {
			return s, bot.Errorf(bot.Invalid, "%s is given twice.", clip(o.Name, 32))
		}
		v, keep, err := optionValue(spec, o)
		if err != nil {
			return s, err
		}
		if keep {
			s.Raw[o.Name] = v
		}
	}
	return s, nil
}

// optionValue turns one Discord option value back into the text the core
// parses. A false confirm flag counts as not given.
func optionValue(spec *bot.Subcommand, o *discordgo.ApplicationCommandInteractionDataOption) (string, bool, error) {
	switch v := o.Value.(type) {
	case string:
		return v, true, nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true, nil
	case bool:
		if spec != nil {
			for _, so := range spec.Options {
				if so.Name == o.Name && isConfirm(so) {
					if v {
						return so.Choices[0], true, nil
					}
					return "", false, nil
				}
			}
		}
		return strconv.FormatBool(v), true, nil
	case nil:
		return "", false, nil
	}
	return "", false, bot.Errorf(bot.Invalid, "%s has a value I can't read.", clip(o.Name, 32))
}

// modalValues collects the text inputs of a submitted modal by custom id.
func modalValues(cs []discordgo.MessageComponent) map[string]string {
	out := map[string]string{}
	var walk func([]discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch c := c.(type) {
			case *discordgo.ActionsRow:
				walk(c.Components)
			case discordgo.ActionsRow:
				walk(c.Components)
			case *discordgo.TextInput:
				out[c.CustomID] = c.Value
			case discordgo.TextInput:
				out[c.CustomID] = c.Value
			}
		}
	}
	walk(cs)
	return out
}
