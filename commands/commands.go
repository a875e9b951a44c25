// Package commands holds the handlers behind every slash command. Handlers
// take a parsed, typed call and return a platform-neutral reply.
package commands

import "github.com/pledgebot/pledgebot/bot"

// All returns every command, in the order help lists them.
func All(b *bot.Bot) []*bot.Command {
	return []*bot.Command{Business(), Pledge(), S172(), Audit(), Help(b)}
}

// refOpt is a positional #N argument.
func refOpt(name, help string) bot.Option {
	return bot.Option{Name: name, Type: bot.Ref, Positional: true, Required: true, Help: help}
}

var businessOpt = bot.Option{Name: "business", Type: bot.Ref, Help: "which business, when you belong to several"}
