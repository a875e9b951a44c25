package commands

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
)

// Business is /business: register and manage member businesses.
func Business() *bot.Command {
	c := &bot.Command{Name: "business", Help: "register your business and manage who can act for it", Subs: []*bot.Subcommand{
		{Name: "register", Help: "register a business; you become its owner", Run: registerBusiness, Options: append([]bot.Option{
			{Name: "name", Positional: true, Rest: true, Required: true, Max: 100, IsName: true, Help: "the business's name"},
			{Name: "sector", Max: 60, Help: "e.g. retail, hospitality, construction"},
			{Name: "postcode", Max: 8, Then: postcodeRest, Help: "postcode or its first part, e.g. CB1 or CB1 2AB"},
		}, companyOpts(false)...)},
		{Name: "edit", Help: "set your business's legal form, size, figures or year end (unknown or - clears one)", Run: editBusiness,
			Options: append(companyOpts(true), businessOpt)},
		{Name: "show", Help: "show a business, its people and pledges (yours if no number)", Run: showBusiness, Options: []bot.Option{
			businessPos(false),
		}},
		{Name: "list", Help: "list the businesses in this network", Run: listBusinesses},
		{Name: "add-member", Help: "let a person act for your business", Run: addMember, Options: []bot.Option{
			{Name: "user", Type: bot.User, Positional: true, Required: true, Help: "the person"},
			{Name: "role", Type: bot.Choice, Choices: []string{"owner", "member"}, Help: "owner can manage members (default member)"},
			businessOpt,
		}},
		{Name: "remove-member", Help: "stop a person acting for your business", Run: removeMember, Options: []bot.Option{
			{Name: "user", Type: bot.User, Positional: true, Required: true, Help: "the person"},
			businessOpt,
		}},
		{Name: "leave", Help: "stop acting for a business yourself (a last owner makes someone else owner first)", Run: leaveBusiness,
			Example: "/business leave business:Bakery", Options: []bot.Option{businessOpt}},
	}}
	c.Subs = append(c.Subs, rightsSubs()...)
	return c
}

var (
	outwardCode = regexp.MustCompile(`^[A-Za-z]{1,2}[0-9][0-9A-Za-z]?$`)
	inwardCode  = regexp.MustCompile(`^[0-9][A-Za-z]{2}$`)
	ordinal     = regexp.MustCompile(`^[0-9](?i:st|nd|rd|th)$`)
)

// postcodeRest joins a postcode's second half typed after a space
// (postcode:CB1 2AB) to its first. "1st", "2nd", "3rd" and "4th" are real
// second halves too, but followed by more words they start the business's
// name: postcode:CB1 1st Choice Plumbing.
func postcodeRest(value, word string, moreText bool) bool {
	return outwardCode.MatchString(value) && inwardCode.MatchString(word) && !(moreText && ordinal.MatchString(word))
}

var postcodeRe = regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?( ?[0-9][A-Z]{2})?$`)

func registerBusiness(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	b := bot.Business{Name: c.Args.String("name"), Sector: c.Args.String("sector"), CreatedAt: c.Bot.Now()}
	if pc := strings.ToUpper(c.Args.String("postcode")); pc != "" {
		if !postcodeRe.MatchString(pc) {
			return bot.Reply{}, bot.Errorf(bot.Invalid, "postcode %q doesn't look like a UK postcode or its first part (e.g. CB1 or CB1 2AB).", pc)
		}
		b.Postcode = pc
	}
	_, after, err := companyEdit(c.Args, bot.Business{})
	if err != nil {
		return bot.Reply{}, err
	}
	b.Form, b.Size, b.Figures, b.YearEnd = after.Form, after.Size, after.Figures, after.YearEnd
	b, err = c.Bot.Store().RegisterBusiness(ctx, c.Community, c.Actor, b, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{
		Title:  fmt.Sprintf("Registered business #%d: %s", b.Number, b.Name),
		Text:   "You are its owner. Next, make a pledge: /pledge add \"Two local apprentices for a year\" theme:apprenticeships target:104 due:2027-06-30",
		Fields: companyFields(b, today(c)),
	}, nil
}

func editBusiness(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n, err := ownedBusiness(ctx, c)
	if err != nil {
		return bot.Reply{}, err
	}
	cur, err := c.Bot.Store().Business(ctx, c.Community, n)
	if err != nil {
		return bot.Reply{}, err
	}
	e, _, err := companyEdit(c.Args, cur)
	if err != nil {
		return bot.Reply{}, err
	}
	if e == (bot.BusinessEdit{}) {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "Say what to change, e.g. /business edit form:company turnover:12m balance-sheet:4m employees:80 year-end:03-31.")
	}
	b, err := c.Bot.Store().EditBusiness(ctx, c.Community, c.Actor, n, e, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	r := bot.Reply{Title: fmt.Sprintf("Business #%d %s updated", b.Number, b.Name), Fields: companyFields(b, today(c))}
	if len(r.Fields) == 0 {
		r.Text = "No company details are recorded now."
	}
	return r, nil
}

func showBusiness(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n := c.Args.Int("business")
	if n == 0 {
		mine, err := c.Bot.Store().BusinessesOf(ctx, c.Community, c.Actor.ID)
		if err != nil {
			return bot.Reply{}, err
		}
		if len(mine) == 0 {
			return bot.Reply{}, bot.Errorf(bot.NotFound, "You are not part of a business yet. Register one with /business register NAME, or give a number: /business show 3.")
		}
		n = mine[0].Number
	}
	b, err := c.Bot.Store().Business(ctx, c.Community, n)
	if err != nil {
		return bot.Reply{}, err
	}
	pledges, err := c.Bot.Store().Pledges(ctx, c.Community, c.Actor, bot.PledgeFilter{Business: n})
	if err != nil {
		return bot.Reply{}, err
	}
	var people []string
	for _, m := range b.Members {
		people = append(people, bot.Mention(m.Who)+" ("+m.Role.String()+")")
	}
	r := bot.Reply{Title: fmt.Sprintf("#%d %s", b.Number, b.Name), Fields: []bot.Field{{Label: "People", Value: strings.Join(people, ", ")}}}
	if b.Sector != "" {
		r.Fields = append(r.Fields, bot.Field{Label: "Sector", Value: b.Sector})
	}
	if b.Postcode != "" {
		r.Fields = append(r.Fields, bot.Field{Label: "Postcode", Value: b.Postcode})
	}
	r.Fields = append(r.Fields, companyFields(b, today(c))...)
	r.Fields = append(r.Fields, bot.Field{Label: "Registered", Value: b.CreatedAt.Format("2 Jan 2006")})
	if b.NeedsOwner {
		r.Fields = append(r.Fields, bot.Field{Label: "Owner", Value: "none: its last owner was erased; an admin can add one with /business add-member"})
	}
	for _, p := range pledges {
		r.Items = append(r.Items, pledgeItem(c, p))
	}
	if len(pledges) == 0 {
		r.Text = "No pledges yet."
	}
	return r, nil
}

func listBusinesses(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	bs, err := c.Bot.Store().Businesses(ctx, c.Community)
	if err != nil {
		return bot.Reply{}, err
	}
	if len(bs) == 0 {
		return bot.Reply{Title: "No businesses yet", Text: "Register the first: /business register NAME sector:S postcode:P"}, nil
	}
	r := bot.Reply{Title: fmt.Sprintf("Businesses (%d)", len(bs))}
	for _, b := range bs {
		var about []string
		for _, s := range []string{b.Sector, b.Postcode} {
			if s != "" {
				about = append(about, s)
			}
		}
		about = append(about, plural(len(b.Members), "person", "people"))
		if b.NeedsOwner {
			about = append(about, "needs an owner")
		}
		r.Items = append(r.Items, bot.Item{Title: fmt.Sprintf("#%d %s", b.Number, b.Name), Text: strings.Join(about, " · ")})
	}
	return r, nil
}

func addMember(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n, err := ownedBusiness(ctx, c)
	if err != nil {
		return bot.Reply{}, err
	}
	who := c.Person(c.Args.String("user"))
	role := bot.RoleMember
	if c.Args.String("role") == "owner" {
		role = bot.RoleOwner
	}
	if err := c.Bot.Store().SetMember(ctx, c.Community, c.Actor, n, who, role, c.Req.ID); err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("%s is now %s of business #%d.", bot.Mention(who), withArticle(role.String()), n)}, nil
}

func removeMember(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	who := c.Person(c.Args.String("user"))
	if who == c.Actor.ID {
		return leaveBusiness(ctx, c) // removing yourself is leaving: any member may
	}
	n, err := ownedBusiness(ctx, c)
	if err != nil {
		return bot.Reply{}, err
	}
	if err := c.Bot.Store().RemoveMember(ctx, c.Community, c.Actor, n, who, c.Req.ID); err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("%s no longer acts for business #%d.", bot.Mention(who), n)}, nil
}

// leaveBusiness takes the caller out of business:N, else out of the one
// business they act for. The store refuses the last owner (a business
// keeps an owner), atomically with the write.
func leaveBusiness(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	mine, err := c.Bot.Store().BusinessesOf(ctx, c.Community, c.Actor.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	b, err := leaving(c.Args.Int("business"), mine)
	if err != nil {
		return bot.Reply{}, err
	}
	if err := c.Bot.Store().RemoveMember(ctx, c.Community, c.Actor, b.Number, c.Actor.ID, c.Req.ID); err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("You no longer act for business #%d %s.", b.Number, b.Name)}, nil
}

// leaving picks the business to leave among the caller's: number n, or
// their only one.
func leaving(n int, mine []bot.Business) (bot.Business, error) {
	var names []string
	for _, b := range mine {
		if b.Number == n {
			return b, nil
		}
		names = append(names, fmt.Sprintf("#%d %s", b.Number, b.Name))
	}
	switch {
	case n != 0:
		return bot.Business{}, bot.Errorf(bot.NotFound, "You don't act for business #%d, so there is nothing to leave.", n)
	case len(mine) == 0:
		return bot.Business{}, bot.Errorf(bot.NotFound, "You don't act for any business here, so there is nothing to leave.")
	case len(mine) == 1:
		return mine[0], nil
	}
	return bot.Business{}, bot.Errorf(bot.Invalid, "You act for %d businesses (%s): say which to leave with business:, e.g. business:%d.",
		len(mine), strings.Join(names, ", "), mine[0].Number)
}

// ownedBusiness is business:N when given, else the one business the caller
// owns. The store checks ownership again atomically with the write.
func ownedBusiness(ctx context.Context, c *bot.Call) (int, error) {
	if n := c.Args.Int("business"); n != 0 {
		return n, nil
	}
	mine, err := c.Bot.Store().BusinessesOf(ctx, c.Community, c.Actor.ID)
	if err != nil {
		return 0, err
	}
	var owned []string
	n := 0
	for _, b := range mine {
		for _, m := range b.Members {
			if m.Who == c.Actor.ID && m.Role == bot.RoleOwner {
				owned = append(owned, fmt.Sprintf("#%d %s", b.Number, b.Name))
				n = b.Number
			}
		}
	}
	switch len(owned) {
	case 0:
		return 0, bot.Errorf(bot.Forbidden, "You don't own a business here. Register one with /business register NAME, or name one with business:N if you are an admin.")
	case 1:
		return n, nil
	}
	return 0, bot.Errorf(bot.Invalid, "You own several businesses (%s): say which with business:N.", strings.Join(owned, ", "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func withArticle(s string) string {
	if strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
