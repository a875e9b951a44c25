package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/report"
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
	ce := bot.CheckEntry{Pledge: n, Entry: c.Args.Int("entry"), Query: true, Note: note, Notice: bot.QueryNotice(n, "They say", note)}
	p, k, err := c.Bot.Store().CheckEntry(ctx, c.Community, c.Actor, ce, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Queried progress entry %d of pledge #%d", k, p.Number),
		Text: "Its business's owners are told; once they have answered, confirm it with /pledge confirm " +
			fmt.Sprintf("%d entry:%d.", p.Number, k), Items: []bot.Item{pledgeItem(c, p)}}, nil
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

// confirmLinkSub gives a business a signed link it can send to a partner
// outside the chat: the confirm page (report.ConfirmHandler) lists the
// pledge's unconfirmed entries for the partner to confirm or query.
func confirmLinkSub() *bot.Subcommand {
	return &bot.Subcommand{Name: "confirm-link", Help: "a link that lets its partner confirm or query progress without the chat (default 7 days)",
		Run: confirmLink, Example: "/pledge confirm-link 4 days:14", Options: []bot.Option{
			refOpt("pledge", "pledge number"),
			{Name: "revoke", Type: bot.Choice, Choices: []string{"revoke"}, Positional: true,
				Help: "type revoke to withdraw every link made so far for the pledge (its owners and admins)"},
			{Name: "days", Type: bot.Number, Help: fmt.Sprintf("how many days the link works (1-%d)", MaxLinkDays)},
		}}
}

// linkDays is how many days a confirm link works: days:, a whole number
// from 1 to MaxLinkDays, or DefaultLinkDays.
func linkDays(args *bot.Args) (float64, error) {
	v, ok := args.Number("days")
	if !ok {
		return DefaultLinkDays, nil
	}
	if v < 1 || v > MaxLinkDays || v != float64(int(v)) {
		return 0, bot.Errorf(bot.Invalid, "days:%s: give a whole number of days from 1 to %d.", bot.FormatNumber(v), MaxLinkDays)
	}
	return v, nil
}

func confirmLink(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	if c.Args.String("revoke") != "" {
		return revokeLinks(ctx, c)
	}
	days, err := linkDays(c.Args)
	if err != nil {
		return bot.Reply{}, err
	}
	n := c.Args.Int("pledge")
	p, _, err := c.Bot.Store().Pledge(ctx, c.Community, c.Actor, n)
	if err != nil {
		return bot.Reply{}, err
	}
	biz, err := c.Bot.Store().Business(ctx, c.Community, p.Business)
	if err != nil {
		return bot.Reply{}, err
	}
	if !inBusiness(biz, c.Actor.ID) {
		return bot.Reply{}, bot.Errorf(bot.Forbidden, "Only the people of %s can make a confirm link for pledge #%d.", biz.Name, n)
	}
	if p.Partner == 0 {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "Pledge #%d names no community partner, so there is nobody to confirm it: set one with /pledge edit %d partner:NAME.", n, n)
	}
	expires := c.Bot.Now().Add(time.Duration(days) * 24 * time.Hour)
	url, err := report.ConfirmLink(ctx, c.Bot, report.ConfirmClaims{Community: c.Community, Pledge: n, Partner: p.Partner,
		Gen: p.LinkGen, Expires: expires.Unix()})
	if err != nil {
		return bot.Reply{}, err
	}
	r := bot.Reply{Title: fmt.Sprintf("Confirm link for pledge #%d", n),
		Text: fmt.Sprintf("%s\nSend it to %s: anyone with this link can confirm or query the pledge's progress entries, giving their name, until %s UTC. Share it with care.",
			url, partnerLabel(ctx, c, p.Partner), expires.UTC().Format(bot.DateStyle+" 15:04"))}
	if c.Bot.Reports().BaseURL == "" {
		r.Text += "\nThis is a path on the bot's web server: set PLEDGEBOT_PUBLIC_URL (reports.base_url) for a full link."
	}
	return r, nil
}

// revokeLinks withdraws the pledge's confirm links made so far: their
// pages say so (410) and refuse their forms.
func revokeLinks(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n := c.Args.Int("pledge")
	if _, err := c.Bot.Store().RevokeConfirmLinks(ctx, c.Community, c.Actor, n, c.Req.ID); err != nil {
		if bot.ErrorCode(err) == bot.Forbidden {
			return bot.Reply{}, bot.Errorf(bot.Forbidden, "Only the business's owners or an admin can withdraw the confirm links of pledge #%d.", n)
		}
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Withdrew every confirm link made so far for pledge #%d", n),
		Text: fmt.Sprintf("Their pages now say the link was withdrawn and accept nothing. /pledge confirm-link %d makes a new one.", n)}, nil
}

func inBusiness(b bot.Business, who bot.Identity) bool {
	for _, m := range b.Members {
		if m.Who == who {
			return true
		}
	}
	return false
}
