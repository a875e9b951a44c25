package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// rightsSubs are the data-rights subcommands of /business.
func rightsSubs() []*bot.Subcommand {
	return []*bot.Subcommand{
		{Private: true, Name: "export", Help: "download everything stored about a business as JSON (owners)", Run: exportBusiness, Options: []bot.Option{
			businessPos(true),
		}},
		{Name: "delete", Help: "delete a business and all its data (owners; asks you to confirm)", Run: deleteBusiness, Options: []bot.Option{
			{Name: "business", Positional: true, Required: true, Max: 100, Suggest: bot.SuggestBusinesses,
				Help: "the business's number or name (quote a name of several words)"},
			{Name: "confirm", Type: bot.Choice, Choices: []string{"confirm"}, Positional: true, Help: "type confirm (or yes) to delete"},
		}},
	}
}

func exportBusiness(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	x, err := c.Bot.Store().ExportBusiness(ctx, c.Community, c.Actor, c.Args.Int("business"))
	if err != nil {
		return bot.Reply{}, err
	}
	return jsonFile(fmt.Sprintf("Everything stored about business #%d %s", x.Business.Number, x.Business.Name),
		fmt.Sprintf("%s, %s and %s.", plural(len(x.Business.Members), "person", "people"), plural(len(x.Pledges), "pledge", "pledges"), plural(len(x.Audit), "audit entry", "audit entries")),
		fmt.Sprintf("business-%d.json", x.Business.Number), x)
}

// jsonFile is an export's reply: what it holds, said in a line, and the
// data as an indented JSON file.
func jsonFile(title, text, name string, x any) (bot.Reply, error) {
	data, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: title, Text: text, File: &bot.File{Name: name, Type: "application/json", Content: data}}, nil
}

func deleteBusiness(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n := c.Args.Int("business")
	if c.Args.String("confirm") == "" {
		b, err := c.Bot.Store().Business(ctx, c.Community, n)
		if err != nil {
			return bot.Reply{}, err
		}
		return bot.Reply{
			Title:   fmt.Sprintf("Delete business #%d %s and all its data?", n, b.Name),
			Text:    fmt.Sprintf("Its pledges, their history and its audit entries will be removed for good and leave the network's totals. Export first with /business export %d. To go ahead: /business delete %d confirm", n, n),
			Actions: []bot.Action{{Label: "Delete", Command: fmt.Sprintf("business delete %d confirm", n), Style: "danger"}},
		}, nil
	}
	if err := c.Bot.Store().DeleteBusiness(ctx, c.Community, c.Actor, n, c.Req.ID); err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Business #%d and all its data were deleted.", n)}, nil
}

// Audit is /audit: the community's trail of changes, for admins.
func Audit() *bot.Command {
	return &bot.Command{Name: "audit", Help: "who changed what, and when (admins)", Subs: []*bot.Subcommand{{
		Help: "show the latest changes, of one business with business:N", MinRole: bot.RoleAdmin, Run: showAudit,
		Options: []bot.Option{businessOpt},
	}}}
}

func showAudit(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	entries, err := c.Bot.Store().Audit(ctx, c.Community, c.Args.Int("business"), 30)
	if err != nil {
		return bot.Reply{}, err
	}
	if len(entries) == 0 {
		return bot.Reply{Title: "No changes recorded yet."}, nil
	}
	r := bot.Reply{Title: "Latest " + bot.Count(len(entries), "change", "changes")}
	for _, e := range entries {
		who := e.By
		if id, err := bot.ParseIdentity(e.By); err == nil {
			who = bot.Mention(id)
		}
		var about []string
		if e.Business > 0 {
			about = append(about, fmt.Sprintf("business #%d", e.Business))
		}
		if e.Pledge > 0 {
			about = append(about, fmt.Sprintf("pledge #%d", e.Pledge))
		}
		r.Items = append(r.Items, bot.Item{Title: e.At.Format(bot.DateStyle+" 15:04") + " " + who + " " + e.Action,
			Text: strings.Join(about, " · ")})
	}
	return r, nil
}
