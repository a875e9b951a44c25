package commands

import (
	"context"
	"fmt"

	"github.com/pledgebot/pledgebot/bot"
)

// correctSub is /pledge correct: a mistyped progress entry is put right by
// a new history entry, never by rewriting the old one, and every figure
// (totals, past periods, the digest's week of the correction) follows.
func correctSub() *bot.Subcommand {
	return &bot.Subcommand{Name: "correct", Help: "correct a progress entry (0 strikes it)", Run: correctProgress, Options: []bot.Option{
		refOpt("pledge", "pledge number"),
		{Name: "amount", Type: bot.Number, Positional: true, Required: true, Help: "what the entry should have been, in the pledge's unit (0 strikes it)"},
		{Name: "entry", Type: bot.Ref, Help: "which progress entry (/pledge show numbers them; default: the latest)"},
		{Name: "note", Positional: true, Rest: true, Help: "why"},
	}}
}

// reopenSub is /pledge reopen: a done or lapsed pledge back to active.
func reopenSub() *bot.Subcommand {
	return &bot.Subcommand{Name: "reopen", Help: "put a done or lapsed pledge back to active", Run: reopenPledge, Options: []bot.Option{
		refOpt("pledge", "pledge number"),
		{Name: "due", Type: bot.Date, Help: "its new due date (needed when the old one has passed)"},
	}}
}

func correctProgress(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	amount, _ := c.Args.Number("amount")
	n := c.Args.Int("pledge")
	amount, note, err := namedUnit(ctx, c, amount, c.Args.String("note"))
	if err != nil {
		return bot.Reply{}, err
	}
	// 0 strikes the entry: a share's range takes it.
	if err := checkShareAmount(ctx, c, amount); err != nil {
		return bot.Reply{}, err
	}
	p, err := c.Bot.Store().CorrectProgress(ctx, c.Community, c.Actor, n, c.Args.Int("entry"), amount, note, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	what := "Corrected"
	if amount == 0 {
		what = "Struck out"
	}
	entry := "the latest progress entry"
	if k := c.Args.Int("entry"); k > 0 {
		entry = fmt.Sprintf("progress entry %d", k)
	}
	return bot.Reply{Title: fmt.Sprintf("%s %s of pledge #%d", what, entry, p.Number),
		Text:  "History keeps the original and the correction; every figure follows.",
		Items: []bot.Item{pledgeItem(c, p)}}, nil
}

func reopenPledge(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	due, _ := c.Args.Date("due")
	today := c.Bot.Today(c.Community)
	if !due.IsZero() && !due.After(today) {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "due: %s is not in the future; a reopened pledge needs a date after today (%s).", due.Format(bot.DayStyle), today.Format(bot.DayStyle))
	}
	p, err := c.Bot.Store().ReopenPledge(ctx, c.Community, c.Actor, c.Args.Int("pledge"), due, today, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Pledge #%d is active again", p.Number), Items: []bot.Item{pledgeItem(c, p)}}, nil
}
