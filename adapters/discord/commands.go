package discord

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
)

// Discord's limits for application commands.
const (
	maxChoices     = 25
	maxOptions     = 25
	maxDescription = 100
	maxStringLen   = 6000
)

// shareOption is added to every generated command: replies are ephemeral
// unless the caller asks to share them with the channel.
const shareOption = "share"

var commandName = regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)

// Commands builds the chat-input commands for a bulk overwrite from the
// core's spec. community selects the runtime choice lists (themes).
func Commands(b *bot.Bot, community string) ([]*discordgo.ApplicationCommand, error) {
	choices := b.Choices(community)
	names := map[string]string{} // theme key -> what people call it
	for _, th := range b.Themes(community) {
		names[th.Key] = th.Name
	}
	guildOnly := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	var out []*discordgo.ApplicationCommand
	for _, c := range b.Commands() {
		if !commandName.MatchString(c.Name) || strings.ToLower(c.Name) != c.Name {
			return nil, fmt.Errorf("command %q: Discord needs 1-32 lowercase letters, digits, '-' or '_'", c.Name)
		}
		ac := &discordgo.ApplicationCommand{Type: discordgo.ChatApplicationCommand, Name: c.Name,
			Description: description(c.Help, c.Name), Contexts: &guildOnly}
		if direct := directSub(c); direct != nil {
			opts, err := options(c, direct, choices, names)
			if err != nil {
				return nil, err
			}
			ac.Options = opts
		} else {
			for _, s := range c.Subs {
				if s.Hidden || s.Name == "" {
					// Hidden subcommands are confirm steps reached through
					// buttons (which run text commands); an unnamed one next
					// to named ones is unreachable on every platform.
					continue
				}
				if !commandName.MatchString(s.Name) || strings.ToLower(s.Name) != s.Name {
					return nil, fmt.Errorf("/%s %s: Discord needs 1-32 lowercase letters, digits, '-' or '_'", c.Name, s.Name)
				}
				opts, err := options(c, s, choices, names)
				if err != nil {
					return nil, err
				}
				ac.Options = append(ac.Options, &discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionSubCommand, Name: s.Name,
					Description: description(s.Help, s.Name), Options: opts})
			}
		}
		if len(ac.Options) > maxOptions {
			return nil, fmt.Errorf("/%s has %d subcommands; Discord allows %d", c.Name, len(ac.Options), maxOptions)
		}
		out = append(out, ac)
	}
	return out, nil
}

// directSub is the subcommand of a command without named subcommands.
func directSub(c *bot.Command) *bot.Subcommand {
	if len(c.Subs) == 1 && c.Subs[0].Name == "" {
		return c.Subs[0]
	}
	return nil
}

// options converts a subcommand's options, required ones first as Discord
// demands, and adds the share flag.
func options(c *bot.Command, s *bot.Subcommand, choices bot.ChoiceSource, names map[string]string) ([]*discordgo.ApplicationCommandOption, error) {
	var out []*discordgo.ApplicationCommandOption
	for _, o := range s.Options {
		if !commandName.MatchString(o.Name) || strings.ToLower(o.Name) != o.Name || o.Name == shareOption {
			return nil, fmt.Errorf("/%s %s: option %q can't be a Discord option name", c.Name, s.Name, o.Name)
		}
		out = append(out, option(o, choices, names))
	}
	slices.SortStableFunc(out, func(a, b *discordgo.ApplicationCommandOption) int {
		return cmp.Compare(boolRank(a.Required), boolRank(b.Required))
	})
	out = append(out, &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean,
		Name: shareOption, Description: "show the answer to everyone in this channel (default: only you)"})
	if len(out) > maxOptions {
		return nil, fmt.Errorf("/%s %s has %d options with share; Discord allows %d", c.Name, s.Name, len(out), maxOptions)
	}
	return out, nil
}

func boolRank(required bool) int {
	if required {
		return 0
	}
	return 1
}

// option maps one spec option to its Discord form.
func option(o bot.Option, choices bot.ChoiceSource, names map[string]string) *discordgo.ApplicationCommandOption {
	d := &discordgo.ApplicationCommandOption{Name: o.Name, Description: description(o.Help, o.Name), Required: o.Required}
	switch o.Type {
	case bot.Number:
		zero := 0.0
		d.Type, d.MinValue, d.MaxValue = discordgo.ApplicationCommandOptionNumber, &zero, bot.MaxNumber
	case bot.Ref:
		one := 1.0
		d.Type, d.MinValue, d.MaxValue = discordgo.ApplicationCommandOptionInteger, &one, bot.MaxRef
		d.Autocomplete = true
	case bot.User:
		d.Type = discordgo.ApplicationCommandOptionUser
	case bot.Choice:
		list := choiceList(o, choices)
		if isConfirm(o) {
			// A "type confirm" positional is a yes/no on Discord.
			d.Type = discordgo.ApplicationCommandOptionBoolean
			return d
		}
		d.Type = discordgo.ApplicationCommandOptionString
		if len(list) <= maxChoices && len(list) > 0 {
			for _, v := range list {
				name := v
				if n := names[v]; n != "" && o.Dynamic == "themes" && n != v {
					name = n + " (" + v + ")"
				}
				d.Choices = append(d.Choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(name, 100), Value: v})
			}
		} else {
			d.Autocomplete = true // more than Discord lists: suggest as the user types
		}
	case bot.Date:
		one := 1
		d.Type, d.MinLength, d.MaxLength = discordgo.ApplicationCommandOptionString, &one, bot.MaxDateLen
		d.Description = description(o.Help+" (e.g. 31/03/2027, 31 March, next friday)", o.Name)
	default:
		d.Type = discordgo.ApplicationCommandOptionString
		d.MaxLength = min(textMax(o), maxStringLen)
		d.Autocomplete = o.Suggest != "" // names from the store as the user types
		if isLongText(o) {
			// Long free text is easier to type in a modal; the modal opens
			// when it is left out (see modal.go).
			d.Required = false
		}
	}
	return d
}

// isConfirm reports whether o is a single-word confirmation such as
// `/pledge withdraw 7 confirm`.
func isConfirm(o bot.Option) bool {
	return o.Type == bot.Choice && o.Dynamic == "" && len(o.Choices) == 1 && o.Choices[0] == o.Name
}

// isLongText is free text taking the rest of the line.
func isLongText(o bot.Option) bool { return o.Type == bot.Text && o.Positional && o.Rest }

func textMax(o bot.Option) int {
	if o.Max > 0 {
		return o.Max
	}
	return bot.MaxText
}

func choiceList(o bot.Option, choices bot.ChoiceSource) []string {
	if o.Dynamic != "" && choices != nil {
		return choices(o.Dynamic)
	}
	return o.Choices
}

// description fits help text into Discord's 1-100 characters.
func description(help, fallback string) string {
	help = strings.TrimSpace(help)
	if help == "" {
		help = fallback
	}
	return clip(help, maxDescription)
}

// clip shortens s to at most n characters, marking the cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
