package commands

import (
	"context"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// Help is /help [command].
func Help(b *bot.Bot) *bot.Command {
	return &bot.Command{Name: "help", Help: "what Pledgebot can do", Subs: []*bot.Subcommand{{
		Help:    "list the commands, or explain one",
		Options: []bot.Option{{Name: "command", Positional: true, Help: "a command, e.g. pledge", Max: 40}},
		Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
			name := strings.TrimPrefix(strings.ToLower(c.Args.String("command")), "/")
			name, _, _ = strings.Cut(name, " ")
			if name == "" {
				return bot.Overview(b.Commands()), nil
			}
			cmd := b.Command(name)
			if cmd == nil {
				return bot.Reply{}, bot.Errorf(bot.NotFound, "There is no /%s command. /help lists them all.", name)
			}
			return bot.CommandHelp(cmd), nil
		},
	}}}
}
