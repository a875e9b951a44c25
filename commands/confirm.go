package commands

import (
	"context"
	"fmt"

	"github.com/pledgebot/pledgebot/bot"
)

var entryOpt = bot.Option{Name: "entry", Type: bot.Ref, Help: "which progress entry (/pledge show numbers them; default: the latest)"}

// confirmSub and querySub are the partner's word on what a business says
// it delivered: only the people of the partner a pledge is made to may
// give it, once for each state an entry is in.
func confirmSub() *bot.Subcommand {
	return &bot.Subcommand{Name: "confirm", Help: "confirm a progress entry of a pledge made to your partner", Run: confirmEntry,
		Example: "/pledge confirm 4 entry:2", Options: []bot.Option{refOpt("pledge", "pledge number"), entryOpt}}
}

func querySub() *bot.Subcommand {
	return &bot.Subcommand{Name: "query", Help: "query a progress entry of a pledge made to your partner; its business is told", Run: queryEntry,
		Example: "/pledge query 4 entry:2 we counted 6 hours, not 8", Options: []bot.Option{
			refOpt("pledge", "pledge number"), entryOpt,
			{Name: "note", Positional: true, Rest: true, Required: true, Max: 300, Help: "what is in doubt"},
		}}
}

// replySub is the business's answer to its partner about an entry, most
// often a queried one, when a correction is not the answer.
func replySub() *bot.Subcommand {
	return &bot.Subcommand{Name: "reply", Help: "answer your pledge's community partner about a progress entry; its people are told", Run: replyEntry,
		Example: "/pledge reply 4 entry:2 the other two hours were on Saturday", Options: []bot.Option{
			refOpt("pledge", "pledge number"), entryOpt,
			{Name: "note", Positional: true, Rest: true, Required: true, Max: 300, Help: "your answer"},
		}}
}

func replyEntry(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n, note := c.Args.Int("pledge"), c.Args.String("note")
	p, k, err := c.Bot.Store().ReplyEntry(ctx, c.Community, c.Actor, n, c.Args.Int("entry"), note, replyNotice(n, note), c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Replied about progress entry %d of pledge #%d", k, p.Number),
		Text: "Its community partner's people are told, and can then confirm it.", Items: []bot.Item{pledgeItem(c, p)}}, nil
}

// replyNotice is what a partner's people are told of a business's reply,
// the entry's number left to the store (bot.EntryPlaceholder).
func replyNotice(n int, note string) bot.Reply {
	e := bot.EntryPlaceholder
	return bot.Reply{Title: fmt.Sprintf("Pledge #%d: its business replied about progress entry %s", n, e),
		Text: fmt.Sprintf("They say: %s\nIf that settles it, confirm the entry (/pledge confirm %d entry:%s); /pledge show %d shows its history.",
			note, n, e, n),
		Actions: []bot.Action{{Label: "Confirm", Command: fmt.Sprintf("pledge confirm %d entry:%s", n, e), Style: "primary"}}}
}

func confirmEntry(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	ce := bot.CheckEntry{Pledge: c.Args.Int("pledge"), Entry: c.Args.Int("entry")}
	p, k, err := c.Bot.Store().CheckEntry(ctx, c.Community, c.Actor, ce, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Confirmed progress entry %d of pledge #%d", k, p.Number),
		Text: "Thank you: it now counts as confirmed by its community partner.", Items: []bot.Item{pledgeItem(c, p)}}, nil
}

func queryEntry(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n, note := c.Args.Int("pledge"), c.Args.String("note")
	ce := bot.CheckEntry{Pledge: n, Entry: c.Args.Int("entry"), Query: true, Note: note, Notice: queryNotice(n, note)}
	p, k, err := c.Bot.Store().CheckEntry(ctx, c.Community, c.Actor, ce, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Queried progress entry %d of pledge #%d", k, p.Number),
		Text: "Its business's owners are told; once they have answered, confirm it with /pledge confirm " +
			fmt.Sprintf("%d entry:%d.", p.Number, k), Items: []bot.Item{pledgeItem(c, p)}}, nil
}

// queryNotice is what a business's owners are told of a query, the
// entry's number left to the store (bot.EntryPlaceholder): a query
// without entry: is about the latest entry, which the store finds.
func queryNotice(n int, note string) bot.Reply {
	e := bot.EntryPlaceholder
	return bot.Reply{Title: fmt.Sprintf("Pledge #%d: its community partner queried progress entry %s", n, e),
		Text: fmt.Sprintf("They say: %s\nIf the entry was wrong, correct it with /pledge correct %d AMOUNT entry:%s (0 strikes it); "+
			"if it was right, answer with /pledge reply %d entry:%s NOTE. /pledge show %d shows its history. The partner can then confirm it.",
			note, n, e, n, e, n)}
}

// checkWord is what /pledge show says of progress entry k's confirmation,
// for a pledge made to a partner.
func checkWord(p bot.Pledge, k int) string {
	if p.Partner == 0 {
		return ""
	}
	switch p.Checks[k] {
	case bot.CheckConfirmed:
		return ", confirmed"
	case bot.CheckQueried:
		return ", queried"
	}
	return ", awaiting confirmation"
}

// queryNotes lists the notes of the entries queried now, one line each.
func queryNotes(p bot.Pledge, events []bot.Event) []string {
	latest := map[int]string{}
	for _, e := range events {
		if e.Kind == bot.EventQueried {
			latest[e.Entry] = e.Note
		}
	}
	var out []string
	for k := 1; k <= len(events); k++ {
		if note, ok := latest[k]; ok && p.Checks[k] == bot.CheckQueried {
			out = append(out, fmt.Sprintf("Entry %d is queried: %s", k, note))
		}
	}
	return out
}
