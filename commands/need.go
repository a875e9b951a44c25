package commands

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

var (
	needStatuses = []string{bot.NeedOpen, bot.NeedMet, bot.NeedClosed, "all"}
	needAreaOpt  = bot.Option{Name: "area", Max: 8, Then: postcodeRest, Help: "the postcode area or district it is for, e.g. CB1"}
	needOpt      = bot.Option{Name: "need", Type: bot.Ref, Help: "the need it answers (/need list); its theme and partner go with it, so theme: may be left out"}
	// areaFilterRe is what /need list takes as area: (as /summary does).
	areaFilterRe = regexp.MustCompile(`^[A-Z]{1,2}([0-9][0-9A-Z]?)?$`)
)

// Need is /need: what a community partner, a coordinator or the council
// says the community needs, for businesses to pledge against with
// /pledge add ... need:N. Who may post and close is checked by the store,
// atomically with the write.
func Need() *bot.Command {
	theme := themeOpt
	theme.Required = true
	target := targetOpt
	target.Required, target.Help = true, "how much is needed, in the theme's unit or unit:"
	return &bot.Command{Name: "need", Help: "what your community needs, for businesses to pledge for", Subs: []*bot.Subcommand{
		{Name: "post", Help: "post what your community needs (a partner's people, coordinators, the council)", Run: postNeed,
			Example: `/need post "Volunteers for the Saturday food bank shift" theme:volunteering target:40 area:CB1 due:31/03/2027`,
			Options: []bot.Option{
				{Name: "text", Positional: true, Rest: true, Required: true, Max: 300, Help: "what is needed"},
				theme, target, unitOpt, needAreaOpt, dueOpt,
				{Name: "partner", Max: 100, Suggest: "partners", Help: "the partner it is for: yours by default (coordinators and the council may name any)"},
			}},
		{Name: "list", Help: "list needs (open ones unless status: says otherwise)", Run: listNeeds, Options: []bot.Option{
			themeOpt,
			{Name: "area", Max: 4, Help: "postcode area or district, e.g. CB or CB1"},
			{Name: "status", Type: bot.Choice, Choices: needStatuses, Help: "which needs"},
		}},
		{Name: "show", Help: "show a need: pledged and delivered against its target, delivered split by who says so", Run: showNeed, Options: []bot.Option{
			refOpt("need", "need number"),
		}},
		{Name: "close", Help: "close a need (its partner, its poster, coordinators, admins)", Run: closeNeed, Options: []bot.Option{
			refOpt("need", "need number"),
		}},
	}}
}

// newNeed reads a parsed /need post of the given theme, the partner
// aside.
func newNeed(args *bot.Args, theme bot.Theme, today time.Time) (bot.Need, error) {
	if theme.Measure == bot.MeasureRate {
		return bot.Need{}, bot.Errorf(bot.Invalid, "%s is a share a business reports about itself, not an amount a community needs: pick a theme that adds up, e.g. volunteering.", theme.Key)
	}
	n := bot.Need{Text: args.String("text"), Theme: theme.Key}
	var err error
	if n.Factor, n.Unit, err = bot.ConvertUnit(theme, args.String("unit")); err != nil {
		return bot.Need{}, err
	}
	v, _ := args.Number("target")
	if n.Target = bot.UnitRound(v * n.Factor); n.Target <= 0 {
		return bot.Need{}, bot.Errorf(bot.Invalid, "target: say how much is needed, more than 0.")
	}
	if area := strings.ToUpper(args.String("area")); area != "" {
		if !postcodeRe.MatchString(area) {
			return bot.Need{}, bot.Errorf(bot.Invalid, "area %q doesn't look like a UK postcode or its first part (e.g. CB1).", clipText(area, 10))
		}
		n.Area = area
	}
	if due, ok := args.Date("due"); ok {
		if due.Before(today) {
			return bot.Need{}, bot.Errorf(bot.Invalid, "due: %s is in the past; give a date from today (%s) on.", due.Format(bot.DayStyle), today.Format(bot.DayStyle))
		}
		n.Due = due
	}
	return n, nil
}

func postNeed(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	theme, _ := c.Bot.Theme(c.Community, c.Args.String("theme"))
	n, err := newNeed(c.Args, theme, c.Bot.Today(c.Community))
	if err != nil {
		return bot.Reply{}, err
	}
	if n.Partner, err = needPartner(ctx, c); err != nil {
		return bot.Reply{}, err
	}
	n, err = c.Bot.Store().PostNeed(ctx, c.Community, c.Actor, n, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Need #%d posted", n.Number), Items: []bot.Item{needItem(ctx, c, n)},
		Text: fmt.Sprintf("Businesses pledge for it with /pledge add TEXT need:%d.", n.Number)}, nil
}

// needPartner is partner: when given, else the one partner the poster
// acts for, else none (which the store allows coordinators, the council
// and admins only).
func needPartner(ctx context.Context, c *bot.Call) (int, error) {
	if c.Args.Has("partner") {
		return resolvePartner(ctx, c, c.Args.String("partner"))
	}
	mine, err := c.Bot.Store().PartnersOf(ctx, c.Community, c.Actor.ID)
	if err != nil || len(mine) == 0 {
		return 0, err
	}
	if len(mine) > 1 {
		return 0, bot.Errorf(bot.Invalid, "You act for several partners (%s): say which with partner:N.", candidates(mine))
	}
	return mine[0].Number, nil
}

// needListArea is /need list's area: upper-cased, a postcode area or
// district, or "" for every area.
func needListArea(args *bot.Args) (string, error) {
	area := strings.ToUpper(strings.TrimSpace(args.String("area")))
	if area != "" && !areaFilterRe.MatchString(area) {
		return "", bot.Errorf(bot.Invalid, "area:%s: give a postcode area or district, e.g. CB or CB1.", clipText(area, 10))
	}
	return area, nil
}

func listNeeds(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	area, err := needListArea(c.Args)
	if err != nil {
		return bot.Reply{}, err
	}
	status := c.Args.String("status")
	if status == "" {
		status = bot.NeedOpen
	}
	all, err := c.Bot.Store().Needs(ctx, c.Community)
	if err != nil {
		return bot.Reply{}, err
	}
	var r bot.Reply
	for _, n := range all {
		if (status == "all" || n.State() == status) && (c.Args.String("theme") == "" || n.Theme == c.Args.String("theme")) && bot.InArea(n.Area, area) {
			r.Items = append(r.Items, needItem(ctx, c, n))
		}
	}
	if len(r.Items) == 0 {
		return bot.Reply{Title: "No needs found", Text: "Widen the filter (status:all), or post one with /need post TEXT theme:THEME target:AMOUNT."}, nil
	}
	r.Title = fmt.Sprintf("Needs (%d, newest first)", len(r.Items))
	return r, nil
}

func showNeed(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n, err := c.Bot.Store().Need(ctx, c.Community, c.Args.Int("need"))
	if err != nil {
		return bot.Reply{}, err
	}
	it := needItem(ctx, c, n)
	r := bot.Reply{Title: it.Title, Text: it.Text}
	f := n.Figures()
	r.Fields = append(r.Fields,
		bot.Field{Label: "Target", Value: bot.FormatAmount(n.Shown(n.Target), n.Unit)},
		bot.Field{Label: "Pledged", Value: ofTarget(n, f.Pledged)},
		bot.Field{Label: "Delivered", Value: ofTarget(n, f.Delivered)},
		// Delivered by who says so, the summaries' split (bot.Vouched): the
		// four parts add up to delivered.
		bot.Field{Label: "Confirmed", Value: ofTarget(n, f.By.Confirmed) + " (by its partner)"},
		bot.Field{Label: "Awaiting confirmation", Value: ofTarget(n, f.By.Awaiting)},
		bot.Field{Label: "Queried", Value: ofTarget(n, f.By.Queried)},
		bot.Field{Label: "Self-reported", Value: ofTarget(n, f.By.SelfReported) + " (pledges naming no partner)"},
		bot.Field{Label: "Status", Value: n.State()})
	private := 0
	for _, p := range n.Pledges {
		if p.Private {
			private++
			continue
		}
		r.Items = append(r.Items, bot.Item{Title: fmt.Sprintf("Pledge #%d · %s", p.Number, p.BusinessName),
			Text: fmt.Sprintf("%s · target %s · delivered %s", p.Status, bot.FormatAmount(n.Shown(p.Target), n.Unit), bot.FormatAmount(n.Shown(p.Delivered), n.Unit))})
	}
	if private > 0 {
		r.Fields = append(r.Fields, bot.Field{Label: "Private pledges", Value: fmt.Sprintf("%d (counted above, not listed)", private)})
	}
	if len(n.Pledges) == 0 && n.State() == bot.NeedOpen {
		r.Fields = append(r.Fields, bot.Field{Label: "Pledges", Value: fmt.Sprintf("none yet: /pledge add TEXT need:%d", n.Number)})
	}
	return r, nil
}

// ofTarget is "12 hours (30% of 40 hours)", in the need's unit, the
// percentage by the one rounding rule (bot.RoundPercent: half away from
// zero; whether the need is met is its status, not this figure).
func ofTarget(n bot.Need, amount float64) string {
	pct, _ := bot.RoundPercent(amount, n.Target)
	return fmt.Sprintf("%s (%d%% of %s)", bot.FormatAmount(n.Shown(amount), n.Unit), pct, bot.FormatAmount(n.Shown(n.Target), n.Unit))
}

func closeNeed(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n, err := c.Bot.Store().CloseNeed(ctx, c.Community, c.Actor, c.Args.Int("need"), c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Need #%d closed", n.Number), Text: "It takes no more pledges; those made against it stay.",
		Items: []bot.Item{needItem(ctx, c, n)}}, nil
}

// needItem is how a need shows in lists: its number, text, theme, partner,
// area, due date, and delivered against its target.
func needItem(ctx context.Context, c *bot.Call, n bot.Need) bot.Item {
	about := []string{n.Theme}
	if n.Partner != 0 {
		about = append(about, "for "+partnerLabel(ctx, c, n.Partner))
	}
	if n.Area != "" {
		about = append(about, n.Area)
	}
	if !n.Due.IsZero() {
		about = append(about, "due "+n.Due.Format(bot.DateStyle))
	}
	about = append(about, fmt.Sprintf("%s of %s delivered", bot.FormatAmount(n.Shown(n.Figures().Delivered), n.Unit),
		bot.FormatAmount(n.Shown(n.Target), n.Unit)), n.State())
	return bot.Item{Title: fmt.Sprintf("Need #%d: %s", n.Number, n.Text), Text: strings.Join(about, " · ")}
}
