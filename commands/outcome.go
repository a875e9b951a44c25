package commands

import (
	"context"
	"fmt"

	"github.com/pledgebot/pledgebot/bot"
)

// outcomeSub is the partner's own words on what difference a pledge made:
// only the people of the partner it is made to may give them; the report
// page shows those of public pledges as short case studies.
func outcomeSub() *bot.Subcommand {
	return &bot.Subcommand{Name: "outcome", Help: "say, for your partner, what difference a pledge made to it (shown on the report page when public)",
		Run: recordOutcome, Example: "/pledge outcome 4 Twelve families had a hot meal every week this winter",
		Options: []bot.Option{
			refOpt("pledge", "pledge number"),
			{Name: "text", Positional: true, Rest: true, Required: true, Max: bot.MaxOutcome, Help: "what difference it made, in your words"},
		}}
}

func recordOutcome(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	text, err := bot.CleanOutcome(c.Args.String("text"))
	if err != nil {
		return bot.Reply{}, err
	}
	p, err := c.Bot.Store().RecordOutcome(ctx, c.Community, c.Actor, c.Args.Int("pledge"), text, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	r := bot.Reply{Title: fmt.Sprintf("Recorded the outcome of pledge #%d", p.Number),
		Text:  "Thank you. /pledge show " + fmt.Sprint(p.Number) + " shows it; a later outcome replaces it (the history keeps both).",
		Items: []bot.Item{pledgeItem(c, p)}}
	if p.Visibility == bot.Public {
		r.Text += " As the pledge is public, council reports show it as a case study."
	}
	return r, nil
}

// outcomeField is what /pledge show says of a pledge's outcome.
func outcomeField(p bot.Pledge) bot.Field {
	who := p.Outcome.By
	if id, err := bot.ParseIdentity(who); err == nil {
		who = bot.Mention(id)
	}
	return bot.Field{Label: "Outcome", Value: fmt.Sprintf("%s (%s, %s)", p.Outcome.Text, who, p.Outcome.At.Format(bot.DateStyle))}
}
