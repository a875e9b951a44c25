package commands

import (
	"context"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// Help is /help [COMMAND [SUBCOMMAND]] and /help themes.
func Help(b *bot.Bot) *bot.Command {
	return &bot.Command{Name: "help", Help: "what Pledgebot can do", Subs: []*bot.Subcommand{{
		Help: "list the commands, explain one or one of its subcommands, or list the themes",
		Options: []bot.Option{
			{Name: "command", Positional: true, Help: "a command, e.g. pledge, or themes", Max: 40},
			{Name: "subcommand", Positional: true, Help: "one of its subcommands, e.g. add", Max: 40},
		},
		Example: "/help pledge add",
		Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
			name := strings.TrimPrefix(strings.ToLower(c.Args.String("command")), "/")
			if name == "" {
				return bot.Overview(b.Commands()), nil
			}
			if name == "themes" || name == "theme" {
				return bot.ThemesHelp(b.Themes(c.Community)), nil
			}
			cmd := b.Command(name)
			if cmd == nil {
				var names []string
				for _, k := range b.Commands() {
					names = append(names, k.Name)
				}
				return bot.Reply{}, bot.Errorf(bot.NotFound, "There is no /%s command.%s /help lists them all.", name, bot.DidYouMean(name, names, "/help %s"))
			}
			subName := strings.ToLower(c.Args.String("subcommand"))
			if subName == "" {
				return bot.CommandHelp(cmd), nil
			}
			sub := cmd.Sub(subName)
			if sub == nil || sub.Hidden {
				var names []string
				for _, s := range cmd.Subs {
					if !s.Hidden && s.Name != "" {
						names = append(names, s.Name)
					}
				}
				return bot.Reply{}, bot.Errorf(bot.NotFound, "/%s has no %q.%s /help %s lists its subcommands.",
					cmd.Name, subName, bot.DidYouMean(subName, names, "/help "+cmd.Name+" %s"), cmd.Name)
			}
			return bot.SubHelp(cmd, sub, b.Choices(c.Community)), nil
		},
	}}}
}
