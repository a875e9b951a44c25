package commands

import "github.com/pledgebot/pledgebot/bot"

// All returns every command, in the order help lists them: the one list
// the router, help, the Slack manifest and the Discord registration take.
// preview builds the digest for /digest preview (nil where nothing runs,
// e.g. when only the specs are needed).
func All(b *bot.Bot, preview DigestPreview) []*bot.Command {
	return []*bot.Command{Business(), Partner(), Pledge(), S172(), Audit(), Roles(), Summary(), Help(b), Nudges(), Digest(preview)}
}

// refOpt is a positional #N argument.
func refOpt(name, help string) bot.Option {
	return bot.Option{Name: name, Type: bot.Ref, Positional: true, Required: true, Help: help}
}

var businessOpt = bot.Option{Name: "business", Type: bot.Ref, Help: "which business, when you belong to several"}
