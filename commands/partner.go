package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

var (
	partnerRefOpt = bot.Option{Name: "partner", Type: bot.Ref, Help: "which partner, when you act for several"}
	partnerRoles  = []string{bot.RolePartnerOwner.String(), bot.RolePartnerMember.String()}
)

// Partner is /partner: community partners (charities, schools, clubs,
// community groups, council services) that pledges are made to, and the
// people who act for them. Its people hold the roles partner-owner and
// partner-member; the store checks them atomically with each write.
func Partner() *bot.Command {
	return &bot.Command{Name: "partner", Help: "community partners that pledges are made to, and their people", Subs: []*bot.Subcommand{
		{Name: "register", Help: "register a community partner; you become its partner-owner", Run: registerPartner, Options: []bot.Option{
			{Name: "name", Positional: true, Rest: true, Required: true, Max: 100, IsName: true, Help: "the partner's name"},
			{Name: "area", Max: 8, Then: postcodeRest, Help: "postcode or its first part it serves, e.g. CB1 or CB1 2AB"},
			{Name: "about", Max: 300, Greedy: true, Help: "what the partner does, in a sentence"},
			{Name: "owner", Type: bot.User, Help: "register it for this person, who becomes its partner-owner (admins and coordinators)"},
		}},
		{Name: "list", Help: "list the community partners in this network", Run: listPartners},
		{Name: "show", Help: "show a partner, its people and the pledges made to it (yours if no number)", Run: showPartner, Options: []bot.Option{
			{Name: "partner", Type: bot.Ref, Positional: true, Help: "partner number"},
		}},
		{Name: "add-member", Help: "let a person act for your partner", Run: addPartnerMember, Options: []bot.Option{
			{Name: "user", Type: bot.User, Positional: true, Required: true, Help: "the person"},
			{Name: "role", Type: bot.Choice, Choices: partnerRoles, Help: "partner-owner can manage its people (default partner-member)"},
			partnerRefOpt,
		}},
		{Name: "remove-member", Help: "stop a person acting for your partner", Run: removePartnerMember, Options: []bot.Option{
			{Name: "user", Type: bot.User, Positional: true, Required: true, Help: "the person"},
			partnerRefOpt,
		}},
		{Name: "leave", Help: "stop acting for a partner yourself", Run: leavePartner, Options: []bot.Option{partnerRefOpt}},
		{Private: true, Name: "export", Help: "download everything stored about a partner as JSON: its people, the pledges made to it, their entries, confirmations and outcomes (partner-owners, admins, coordinators)",
			Run: exportPartner, Options: []bot.Option{{Name: "partner", Type: bot.Ref, Positional: true, Help: "partner number (default: yours)"}}},
	}}
}

// newPartner reads a parsed /partner register into the partner to store.
func newPartner(args *bot.Args, now time.Time) (bot.Partner, error) {
	p := bot.Partner{Name: args.String("name"), About: args.String("about"), CreatedAt: now}
	if area := strings.ToUpper(args.String("area")); area != "" {
		if !postcodeRe.MatchString(area) {
			return bot.Partner{}, bot.Errorf(bot.Invalid, "area %q doesn't look like a UK postcode or its first part (e.g. CB1 or CB1 2AB).", area)
		}
		p.Area = area
	}
	return p, nil
}

func registerPartner(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	p, err := newPartner(c.Args, c.Bot.Now())
	if err != nil {
		return bot.Reply{}, err
	}
	owner := c.Actor.ID
	if c.Args.Has("owner") {
		owner = c.Person(c.Args.String("owner"))
	}
	p, err = c.Bot.Store().RegisterPartner(ctx, c.Community, c.Actor, p, owner, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	r := bot.Reply{Title: fmt.Sprintf("Registered partner #%d: %s", p.Number, p.Name),
		Text: fmt.Sprintf("You are its partner-owner. Add its people with /partner add-member @person; businesses name it in their pledges with partner:%d.", p.Number)}
	if owner != c.Actor.ID {
		r.Text = fmt.Sprintf("%s is its partner-owner. Businesses name it in their pledges with partner:%d.", bot.Mention(owner), p.Number)
	}
	return r, nil
}

func listPartners(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	ps, err := c.Bot.Store().Partners(ctx, c.Community)
	if err != nil {
		return bot.Reply{}, err
	}
	if len(ps) == 0 {
		return bot.Reply{Title: "No community partners yet", Text: "Register the first: /partner register NAME area:POSTCODE about:TEXT"}, nil
	}
	r := bot.Reply{Title: fmt.Sprintf("Community partners (%d)", len(ps))}
	for _, p := range ps {
		var about []string
		if p.Area != "" {
			about = append(about, p.Area)
		}
		if p.About != "" {
			about = append(about, p.About)
		}
		about = append(about, plural(len(p.Members), "person", "people"))
		if p.NeedsOwner {
			about = append(about, "needs a partner-owner")
		}
		r.Items = append(r.Items, bot.Item{Title: fmt.Sprintf("#%d %s", p.Number, p.Name), Text: strings.Join(about, " · ")})
	}
	return r, nil
}

func showPartner(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n := c.Args.Int("partner")
	if n == 0 {
		mine, err := c.Bot.Store().PartnersOf(ctx, c.Community, c.Actor.ID)
		if err != nil {
			return bot.Reply{}, err
		}
		if len(mine) == 0 {
			return bot.Reply{}, bot.Errorf(bot.NotFound, "You don't act for a community partner. Give a number: /partner show 3, or see them all with /partner list.")
		}
		n = mine[0].Number
	}
	p, err := c.Bot.Store().Partner(ctx, c.Community, n)
	if err != nil {
		return bot.Reply{}, err
	}
	pledges, err := c.Bot.Store().Pledges(ctx, c.Community, c.Actor, bot.PledgeFilter{Partner: n, Status: "all"})
	if err != nil {
		return bot.Reply{}, err
	}
	var people []string
	for _, m := range p.Members {
		people = append(people, bot.Mention(m.Who)+" ("+m.Role.String()+")")
	}
	r := bot.Reply{Title: fmt.Sprintf("#%d %s", p.Number, p.Name), Fields: []bot.Field{{Label: "People", Value: strings.Join(people, ", ")}}}
	if p.Area != "" {
		r.Fields = append(r.Fields, bot.Field{Label: "Area", Value: p.Area})
	}
	if p.About != "" {
		r.Fields = append(r.Fields, bot.Field{Label: "About", Value: p.About})
	}
	r.Fields = append(r.Fields, bot.Field{Label: "Registered", Value: p.CreatedAt.Format("2 Jan 2006")})
	if p.NeedsOwner {
		r.Fields = append(r.Fields, bot.Field{Label: "Partner-owner", Value: "none: its last partner-owner was erased; an admin or coordinator can add one with /partner add-member"})
	}
	for _, pl := range pledges {
		r.Items = append(r.Items, pledgeItem(c, pl))
	}
	if len(pledges) == 0 {
		r.Text = "No pledges made to it yet."
	}
	return r, nil
}

func addPartnerMember(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n, err := ownedPartner(ctx, c)
	if err != nil {
		return bot.Reply{}, err
	}
	who := c.Person(c.Args.String("user"))
	role := bot.RolePartnerMember
	if c.Args.String("role") == bot.RolePartnerOwner.String() {
		role = bot.RolePartnerOwner
	}
	if err := c.Bot.Store().SetPartnerMember(ctx, c.Community, c.Actor, n, who, role, c.Req.ID); err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("%s is now %s of partner #%d.", bot.Mention(who), withArticle(role.String()), n)}, nil
}

func removePartnerMember(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n, err := ownedPartner(ctx, c)
	if err != nil {
		return bot.Reply{}, err
	}
	who := c.Person(c.Args.String("user"))
	if err := c.Bot.Store().RemovePartnerMember(ctx, c.Community, c.Actor, n, who, c.Req.ID); err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("%s no longer acts for partner #%d.", bot.Mention(who), n)}, nil
}

func leavePartner(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n, err := myPartner(ctx, c, false)
	if err != nil {
		return bot.Reply{}, err
	}
	if err := c.Bot.Store().RemovePartnerMember(ctx, c.Community, c.Actor, n, c.Actor.ID, c.Req.ID); err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("You no longer act for partner #%d.", n)}, nil
}

func exportPartner(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n, err := ownedPartner(ctx, c)
	if err != nil {
		return bot.Reply{}, err
	}
	x, err := c.Bot.Store().ExportPartner(ctx, c.Community, c.Actor, n)
	if err != nil {
		return bot.Reply{}, err
	}
	return jsonFile(fmt.Sprintf("Everything stored about partner #%d %s", x.Partner.Number, x.Partner.Name),
		fmt.Sprintf("%s and %s made to it.", plural(len(x.Partner.Members), "person", "people"), plural(len(x.Pledges), "pledge", "pledges")),
		fmt.Sprintf("partner-%d.json", x.Partner.Number), x)
}

// ownedPartner is partner:N when given, else the one partner the caller is
// partner-owner of. The store checks the role again atomically with the
// write, and lets admins and coordinators act on any partner they name.
func ownedPartner(ctx context.Context, c *bot.Call) (int, error) { return myPartner(ctx, c, true) }

// myPartner is partner:N when given, else the one partner the caller acts
// for (as partner-owner when owner is set).
func myPartner(ctx context.Context, c *bot.Call, owner bool) (int, error) {
	if n := c.Args.Int("partner"); n != 0 {
		return n, nil
	}
	mine, err := c.Bot.Store().PartnersOf(ctx, c.Community, c.Actor.ID)
	if err != nil {
		return 0, err
	}
	var found []string
	n := 0
	for _, p := range mine {
		for _, m := range p.Members {
			if m.Who == c.Actor.ID && (!owner || m.Role == bot.RolePartnerOwner) {
				found = append(found, fmt.Sprintf("#%d %s", p.Number, p.Name))
				n = p.Number
			}
		}
	}
	switch {
	case len(found) == 1:
		return n, nil
	case len(found) > 1:
		return 0, bot.Errorf(bot.Invalid, "You act for several partners (%s): say which with partner:N.", strings.Join(found, ", "))
	case owner:
		return 0, bot.Errorf(bot.Forbidden, "You are not partner-owner of a community partner here. Register one with /partner register NAME, or name one with partner:N if you are an admin or coordinator.")
	}
	return 0, bot.Errorf(bot.NotFound, "You don't act for a community partner here.")
}
