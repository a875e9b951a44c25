package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

var (
	themeOpt      = bot.Option{Name: "theme", Type: bot.Choice, Dynamic: "themes", Help: "what kind of pledge"}
	targetOpt     = bot.Option{Name: "target", Type: bot.Number, Help: "how much, in the pledge's unit"}
	editTargetOpt = bot.Option{Name: "target", Type: bot.Number, Signed: true, Help: "how much, in the pledge's unit (+N or -N raises or lowers it)"}
	unitOpt       = bot.Option{Name: "unit", Max: 40, OneWord: true, Help: "unit of the target: the theme's (default) or one that converts to it, e.g. kg; quote a unit of several words"}
	dueOpt        = bot.Option{Name: "due", Type: bot.Date, Help: "when it should be done"}
	editDueOpt    = bot.Option{Name: "due", Type: bot.Date, Clearable: true, Help: "when it should be done (- removes the date)"}
	visibilityOpt = bot.Option{Name: "visibility", Type: bot.Choice, Choices: []string{bot.Public, bot.Private}, Help: "private pledges are seen only by your business and admins"}
	partnerOpt    = bot.Option{Name: "partner", Max: 100, Suggest: "partners", Help: "the community partner it is made to: its number or name"}
	editPartner   = bot.Option{Name: "partner", Max: 100, Suggest: "partners", Help: "the community partner it is made to: its number or name (none removes it)"}
	statusChoices = []string{bot.StatusActive, bot.StatusDone, bot.StatusWithdrawn, bot.StatusLapsed, "all"}
)

// Pledge is /pledge: make pledges and log progress against them.
func Pledge() *bot.Command {
	// theme: is required unless need: gives it (pledgeNeed says so): the
	// spec cannot say "one of", so it is optional on every platform.
	theme := themeOpt
	theme.Help = "what kind of pledge (need: gives its need's)"
	return &bot.Command{Name: "pledge", Help: "make pledges to your community and log progress", Subs: []*bot.Subcommand{
		{Name: "add", Help: "make a pledge for your business", Run: addPledge,
			Example: `/pledge add "Hire two local apprentices" theme:apprenticeships target:104 due:30/06/2027`, Options: []bot.Option{
				{Name: "text", Positional: true, Rest: true, Required: true, Help: "what you pledge"},
				theme, targetOpt, unitOpt, dueOpt, visibilityOpt, businessOpt, partnerOpt, needOpt,
			}},
		{Name: "list", Help: "list pledges (active and done unless status: says otherwise; mine: those you made or own)", Run: listPledges, Options: []bot.Option{
			{Name: "mine", Type: bot.Choice, Choices: []string{"mine"}, Positional: true, Help: "only pledges you made or of businesses you own"},
			businessOpt,
			{Name: "status", Type: bot.Choice, Choices: statusChoices, Help: "which pledges"},
			themeOpt,
		}},
		{Name: "show", Help: "show a pledge with its history", Run: showPledge, Options: []bot.Option{
			refOpt("pledge", "pledge number"),
		}},
		{Name: "progress", Help: "log progress against a pledge", Run: logProgress, Example: "/pledge progress 1 8 Sam's first two days", Options: []bot.Option{
			refOpt("pledge", "pledge number"),
			// Negative: logProgress points a negative amount to /pledge correct.
			{Name: "amount", Type: bot.Number, Positional: true, Required: true, Negative: true, Help: "how much was delivered, in the pledge's unit"},
			{Name: "note", Positional: true, Rest: true, Help: "what happened"},
		}},
		{Name: "done", Help: "mark a pledge as delivered", Run: completePledge, Options: []bot.Option{
			refOpt("pledge", "pledge number"),
			{Name: "note", Positional: true, Rest: true, Help: "a closing note"},
		}},
		{Name: "edit", Help: "change a pledge's text or options", Run: editPledge, Options: []bot.Option{
			refOpt("pledge", "pledge number"),
			{Name: "text", Positional: true, Rest: true, Help: "new text"},
			themeOpt, editTargetOpt, unitOpt, editDueOpt, visibilityOpt, editPartner,
		}},
		{Name: "withdraw", Help: "withdraw a pledge (asks you to confirm)", Run: withdrawPledge, Options: []bot.Option{
			refOpt("pledge", "pledge number"),
			{Name: "confirm", Type: bot.Choice, Choices: []string{"confirm"}, Positional: true, Help: "type confirm (or yes) to withdraw"},
		}},
		correctSub(), reopenSub(), confirmSub(), querySub(), replySub(), confirmLinkSub(), outcomeSub(),
		snoozeSub(),
	}}
}

func addPledge(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	need, key, err := pledgeNeed(ctx, c)
	if err != nil {
		return bot.Reply{}, err
	}
	theme, _ := c.Bot.Theme(c.Community, key)
	p := bot.NewPledge{Business: c.Args.Int("business"), Text: c.Args.String("text"), Theme: theme.Key,
		Unit: theme.Unit, Measure: theme.Measure, Visibility: bot.Public, Need: need.Number, Partner: need.Partner}
	// Amounts are kept in the theme's unit; the pledge remembers the unit
	// it was given in, and the factor to show it that way.
	if p.Factor, p.Unit, err = bot.ConvertUnit(theme, c.Args.String("unit")); err != nil {
		return bot.Reply{}, err
	}
	if v, ok := c.Args.Number("target"); ok {
		p.Target = bot.UnitRound(v * p.Factor)
		if err := bot.CheckShare(theme, p.Target, "target:"+bot.FormatNumber(v)); err != nil {
			return bot.Reply{}, err
		}
	}
	if v := c.Args.String("visibility"); v != "" {
		p.Visibility = v
	}
	if due, ok := c.Args.Date("due"); ok {
		if err := checkDue(c, due); err != nil {
			return bot.Reply{}, err
		}
		p.Due = due
	}
	if c.Args.Has("partner") {
		named, err := resolvePartner(ctx, c, c.Args.String("partner"))
		if err != nil {
			return bot.Reply{}, err
		}
		if need.Partner != 0 && named != need.Partner {
			return bot.Reply{}, bot.Errorf(bot.Invalid, "Need #%d is for partner %s, but partner: names another: leave partner: out, or name that one.",
				need.Number, partnerLabel(ctx, c, need.Partner))
		}
		p.Partner = named
	}
	created, err := c.Bot.Store().AddPledge(ctx, c.Community, c.Actor, p, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{
		Title: fmt.Sprintf("Pledge #%d added for %s", created.Number, created.BusinessName),
		Items: []bot.Item{pledgeItem(c, created)},
	}, nil
}

// pledgeNeed is the need a /pledge add names with need: (or the zero
// Need) and the pledge's theme: theme: when given, which must then be the
// need's, else the need's; without need:, theme: is required.
func pledgeNeed(ctx context.Context, c *bot.Call) (bot.Need, string, error) {
	theme := c.Args.String("theme")
	if !c.Args.Has("need") {
		if theme == "" {
			return bot.Need{}, "", bot.Errorf(bot.Invalid, "missing theme: say what kind of pledge (e.g. theme:volunteering), or pledge against a need with need:N, which gives its theme.")
		}
		return bot.Need{}, theme, nil
	}
	n, err := c.Bot.Store().Need(ctx, c.Community, c.Args.Int("need"))
	if err != nil {
		return bot.Need{}, "", err
	}
	if n.Status == bot.NeedClosed {
		return bot.Need{}, "", bot.Errorf(bot.Conflict, "Need #%d is closed: pledge against an open one (/need list).", n.Number)
	}
	if theme != "" && theme != n.Theme {
		return bot.Need{}, "", bot.Errorf(bot.Invalid, "Need #%d is about %s: leave theme: out, or give theme:%s.", n.Number, n.Theme, n.Theme)
	}
	return n, n.Theme, nil
}

func checkDue(c *bot.Call, due time.Time) error {
	if today := c.Bot.Today(c.Community); due.Before(today) {
		return bot.Errorf(bot.Invalid, "due: %s is in the past; give a date from today (%s) on.", due.Format(bot.DayStyle), today.Format(bot.DayStyle))
	}
	return nil
}

func listPledges(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	f := bot.PledgeFilter{Business: c.Args.Int("business"), Status: c.Args.String("status"), Theme: c.Args.String("theme"), Limit: 50,
		Mine: c.Args.String("mine") != ""}
	ps, err := c.Bot.Store().Pledges(ctx, c.Community, c.Actor, f)
	if err != nil {
		return bot.Reply{}, err
	}
	what := "Pledges"
	if f.Mine {
		what = "Your pledges"
	}
	if len(ps) == 0 && f.Mine {
		return bot.Reply{Title: "No pledges of yours found", Text: "mine lists the pledges you made and those of businesses you own. Make one with /pledge add TEXT theme:THEME, or widen the filter (status:all)."}, nil
	}
	if len(ps) == 0 {
		return bot.Reply{Title: "No pledges found", Text: "Make one with /pledge add TEXT theme:THEME (or need:N), or widen the filter (status:all)."}, nil
	}
	r := bot.Reply{Title: fmt.Sprintf("%s (%d, newest first)", what, len(ps))}
	if len(ps) == f.Limit {
		r.Title = fmt.Sprintf("Latest %d pledges (narrow with business:, theme: or status:)", f.Limit)
		if f.Mine {
			r.Title = fmt.Sprintf("Latest %d of your pledges (narrow with business:, theme: or status:)", f.Limit)
		}
	}
	for _, p := range ps {
		r.Items = append(r.Items, pledgeItem(c, p))
	}
	return r, nil
}

func showPledge(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	p, events, err := c.Bot.Store().Pledge(ctx, c.Community, c.Actor, c.Args.Int("pledge"))
	if err != nil {
		return bot.Reply{}, err
	}
	item := pledgeItem(c, p)
	r := bot.Reply{Title: item.Title, Text: item.Text, Actions: item.Actions}
	if item.Progress != nil {
		r.Fields = append(r.Fields, bot.Field{Label: "Progress", Value: bot.ProgressLine(*item.Progress)})
	}
	if p.Partner != 0 {
		r.Fields = append(r.Fields, bot.Field{Label: "Made to", Value: partnerLabel(ctx, c, p.Partner)})
	}
	if p.Outcome != nil {
		r.Fields = append(r.Fields, outcomeField(p))
	}
	var history []string
	for _, e := range events {
		history = append(history, describeEvent(e, p))
	}
	// (the note of a query in force is the latest query's of its entry)
	if notes := queryNotes(p, events); len(notes) > 0 {
		history = append(history, notes...)
	}
	r.Fields = append(r.Fields, bot.Field{Label: "History", Value: "\n" + strings.Join(history, "\n")})
	return r, nil
}

// describeEvent is one line of a pledge's history, amounts in the pledge's
// own unit.
func describeEvent(e bot.Event, p bot.Pledge) string {
	who := e.By
	if id, err := bot.ParseIdentity(e.By); err == nil {
		who = bot.Mention(id)
	}
	line := e.At.Format(bot.DateStyle) + " " + who + " "
	switch e.Kind {
	case bot.EventCreated:
		line += "made the pledge"
	case bot.EventProgress:
		line += "logged " + bot.FormatAmount(p.Shown(e.Amount), p.Unit)
	case bot.EventCorrected:
		was, _ := strconv.ParseFloat(e.Changes["was"], 64)
		if e.Amount == 0 {
			line += fmt.Sprintf("struck out entry %d (was %s)", e.Entry, bot.FormatAmount(p.Shown(was), p.Unit))
		} else {
			line += fmt.Sprintf("corrected entry %d from %s to %s", e.Entry,
				bot.FormatAmount(p.Shown(was), p.Unit), bot.FormatAmount(p.Shown(e.Amount), p.Unit))
		}
	case bot.EventConfirmed:
		line += fmt.Sprintf("confirmed entry %d", e.Entry)
	case bot.EventQueried:
		line += fmt.Sprintf("queried entry %d", e.Entry)
	case bot.EventReplied:
		line += fmt.Sprintf("replied about entry %d", e.Entry)
	case bot.EventOutcome:
		line += "told its outcome"
	case bot.EventUnlinked:
		line += fmt.Sprintf("deleted partner #%s, which it was made to; it is self-reported now", e.Changes["partner"])
	case bot.EventReopened:
		line += "reopened it"
		if d := e.Changes["due"]; d != "" {
			line += ", due " + shownDate(d)
		}
	case bot.EventDone:
		line += "marked it done"
	case bot.EventWithdrawn:
		line += "withdrew it"
	case bot.EventEdited:
		var parts []string
		for _, f := range []string{"text", "theme", "target", "unit", "due", "visibility", "partner"} {
			if v, ok := e.Changes[f]; ok && v == "" && (f == "due" || f == "partner") {
				parts = append(parts, f+" to none")
			} else if ok && f == "partner" {
				parts = append(parts, "partner to #"+v)
			} else if v, err := strconv.ParseFloat(v, 64); ok && f == "target" && err == nil {
				parts = append(parts, "target to "+bot.FormatAmount(p.Shown(v), p.Unit))
			} else if ok && f == "due" {
				parts = append(parts, "due to "+shownDate(e.Changes[f]))
			} else if ok {
				parts = append(parts, fmt.Sprintf("%s to %q", f, e.Changes[f]))
			}
		}
		line += "changed " + strings.Join(parts, ", ")
	default:
		line += e.Kind
	}
	if e.Note != "" {
		line += ": " + e.Note
	}
	if e.Kind == bot.EventProgress {
		// The number /pledge correct N AMOUNT entry:K takes.
		line += fmt.Sprintf(" (entry %d%s)", e.Entry, checkWord(p, e.Entry))
	}
	return line
}

// shownDate is a stored 2006-01-02 date in the style of every reply.
func shownDate(v string) string {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t.Format(bot.DateStyle)
	}
	return v
}

func logProgress(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	amount, _ := c.Args.Number("amount")
	n := c.Args.Int("pledge")
	if amount < 0 {
		// Taking back what was logged is a correction, which history keeps.
		return bot.Reply{}, bot.Errorf(bot.Invalid, "Progress can't be negative: to take back an amount logged by mistake, correct its entry with /pledge correct %d AMOUNT [entry:K] "+
			"(AMOUNT is what it should have been, 0 strikes it; /pledge show %d numbers the entries).", n, n)
	}
	if amount == 0 {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "The amount must be more than 0, e.g. /pledge progress %d 5 \"first five hours\".", n)
	}
	amount, note, err := namedUnit(ctx, c, amount, c.Args.String("note"))
	if err != nil {
		return bot.Reply{}, err
	}
	if err := checkShareAmount(ctx, c, amount); err != nil {
		return bot.Reply{}, err
	}
	p, err := c.Bot.Store().LogProgress(ctx, c.Community, c.Actor, c.Args.Int("pledge"), amount, note, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Logged %s against pledge #%d", bot.FormatAmount(amount, p.Unit), p.Number),
		Items: []bot.Item{pledgeItem(c, p)}}, nil
}

// namedUnit reads "800 kg first van" (an amount, then a note that starts
// with a unit): the amount in the pledge's own unit and the rest of the
// note. Only a named unit costs a round trip, to read the pledge.
func namedUnit(ctx context.Context, c *bot.Call, amount float64, note string) (float64, string, error) {
	word, rest, _ := strings.Cut(note, " ")
	if !bot.UnitWord(word) {
		return amount, note, nil
	}
	converted, err := inPledgeUnit(ctx, c, amount, word)
	if err != nil && everyday[strings.ToLower(word)] {
		// "12 people helped" on an hours pledge: a word of the note.
		return amount, note, nil
	}
	return converted, strings.TrimSpace(rest), err
}

// everyday unit spellings are also ordinary words: when the pledge's
// theme does not count in them, they start the note instead of naming a
// unit ("12 people helped", "3 h").
var everyday = map[string]bool{"people": true, "person": true, "persons": true, "h": true, "t": true, "pc": true, "min": true}

// inPledgeUnit converts an amount given in unit to the pledge's own unit,
// or refuses a unit its theme does not count in.
func inPledgeUnit(ctx context.Context, c *bot.Call, amount float64, unit string) (float64, error) {
	p, _, err := c.Bot.Store().Pledge(ctx, c.Community, c.Actor, c.Args.Int("pledge"))
	if err != nil {
		return 0, err
	}
	factor, _, err := bot.ConvertUnit(pledgeTheme(c, p), unit)
	if err != nil {
		return 0, bot.Errorf(bot.Invalid, "Pledge #%d counts %s, not %s: give the amount in %s.",
			p.Number, unitOr(p.Unit), unit, unitOr(p.Unit))
	}
	pf := p.Factor
	if pf <= 0 {
		pf = 1
	}
	return bot.UnitRound(amount * factor / pf), nil
}

// checkShareAmount refuses an amount for pledge N (progress, or a
// correction) that its theme can't take: over 100 on a share
// (bot.CheckShare). A share's units all convert at factor 1, so the
// amount, in the pledge's unit, is the share itself; one from 0 to 100 is
// no theme's problem and costs no round trip to read the pledge.
func checkShareAmount(ctx context.Context, c *bot.Call, amount float64) error {
	if bot.InShareRange(amount) {
		return nil
	}
	p, _, err := c.Bot.Store().Pledge(ctx, c.Community, c.Actor, c.Args.Int("pledge"))
	if err != nil {
		return err
	}
	return bot.CheckShare(pledgeTheme(c, p), amount, bot.FormatNumber(amount))
}

// pledgeTheme is the theme a pledge counts in: its community's, or, for a
// theme no longer configured, what the pledge itself recorded.
func pledgeTheme(c *bot.Call, p bot.Pledge) bot.Theme {
	if t, ok := c.Bot.Theme(c.Community, p.Theme); ok {
		return t
	}
	t := bot.Theme{Key: p.Theme, Unit: p.Unit}
	if p.Rate {
		t.Measure = bot.MeasureRate
	}
	return t
}

func unitOr(u string) string {
	if u == "" {
		return "amounts"
	}
	return u
}

func completePledge(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	p, err := c.Bot.Store().CompletePledge(ctx, c.Community, c.Actor, c.Args.Int("pledge"), c.Args.String("note"), c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Pledge #%d is done. Thank you!", p.Number), Items: []bot.Item{pledgeItem(c, p)}}, nil
}

func editPledge(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	var e bot.PledgeEdit
	changed := false
	str := func(name string) *string {
		if !c.Args.Has(name) {
			return nil
		}
		changed = true
		v := c.Args.String(name)
		return &v
	}
	e.Text, e.Theme, e.Unit, e.Visibility = str("text"), str("theme"), str("unit"), str("visibility")
	if e.Theme != nil {
		t, _ := c.Bot.Theme(c.Community, *e.Theme)
		e.Measure = &t.Measure
	}
	if c.Args.Has("theme") || c.Args.Has("unit") || c.Args.Has("target") {
		if err := editAmounts(ctx, c, &e); err != nil {
			return bot.Reply{}, err
		}
		changed = true
	}
	if v, ok := c.Args.Date("due"); ok {
		// due:- (the zero time) removes the date, and with it the reminders.
		if !v.IsZero() {
			if err := checkDue(c, v); err != nil {
				return bot.Reply{}, err
			}
		}
		e.Due, changed = &v, true
	}
	if c.Args.Has("partner") {
		n, err := resolvePartner(ctx, c, c.Args.String("partner"))
		if err != nil {
			return bot.Reply{}, err
		}
		e.Partner, changed = &n, true
	}
	if !changed {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "Say what to change, e.g. /pledge edit %d target:3 due:2027-09-30.", c.Args.Int("pledge"))
	}
	p, err := c.Bot.Store().EditPledge(ctx, c.Community, c.Actor, c.Args.Int("pledge"), e, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Pledge #%d updated", p.Number), Items: []bot.Item{pledgeItem(c, p)}}, nil
}

// editAmounts works out what an edit of theme:, unit: or target: stores.
// Amounts are kept in the theme's unit and shown in the pledge's, so:
//   - a move to a theme counted in another unit must give target: (and
//     unit: unless it is the new theme's own), and is refused once
//     progress is logged (it could not be read in the new unit);
//   - unit: alone re-expresses the same amounts (the factor changes, the
//     stored amounts don't), and must convert to the theme's unit;
//   - target:N is in the pledge's unit (the one given with it, if any);
//     target:+N or -N raises or lowers the current target, never below 0,
//     and is refused when there is no target to raise or lower.
func editAmounts(ctx context.Context, c *bot.Call, e *bot.PledgeEdit) error {
	n := c.Args.Int("pledge")
	cur, _, err := c.Bot.Store().Pledge(ctx, c.Community, c.Actor, n)
	if err != nil {
		return err
	}
	oldTheme := pledgeTheme(c, cur)
	theme, factor, unit := oldTheme, cur.Factor, cur.Unit
	if factor <= 0 {
		factor = 1 // made before units converted: amounts as stored
	}
	moved := c.Args.Has("theme") && c.Args.String("theme") != cur.Theme
	if moved {
		theme, _ = c.Bot.Theme(c.Community, c.Args.String("theme"))
		// Like with like: "£" on sponsorship is "£ local spend" on buy-local.
		if !bot.SameUnit(oldTheme, theme) {
			if cur.Progress != 0 {
				return bot.Errorf(bot.Conflict, "Pledge #%d has %s logged, counted in %s; %s is counted in %s, so it can't move there. Correct its progress to 0 first, or withdraw it and make a new pledge.",
					n, bot.FormatAmount(cur.Shown(cur.Progress), cur.Unit), oldTheme.Unit, theme.Key, theme.Unit)
			}
			if _, ok := c.Args.Number("target"); !ok {
				return bot.Errorf(bot.Invalid, "%s is counted in %s, not %s: give the target in it too, e.g. /pledge edit %d theme:%s target:3 (add unit: if it is not in %s).",
					theme.Key, theme.Unit, oldTheme.Unit, n, theme.Key, theme.Unit)
			}
			unit = "" // the new theme's own unit unless unit: says otherwise
		} else if _, canon, err := bot.ConvertUnit(oldTheme, unit); err == nil && canon == oldTheme.Unit {
			unit = "" // in the old theme's own unit: now in the new one's
		}
	}
	if c.Args.Has("unit") {
		unit = c.Args.String("unit")
	}
	if moved || c.Args.Has("unit") {
		if factor, unit, err = bot.ConvertUnit(theme, unit); err != nil {
			return err
		}
		e.Unit, e.Factor = &unit, &factor
	}
	if v, ok := c.Args.Number("target"); ok {
		t := bot.UnitRound(v * factor)
		if err := bot.CheckShare(theme, t, "target:"+bot.FormatNumber(v)); err != nil {
			return err
		}
		e.Target = &t
	}
	if d, ok := c.Args.Delta("target"); ok {
		shown := bot.Pledge{Factor: factor}
		now := shown.Shown(cur.Target)
		switch next := bot.UnitRound(now + d); {
		case d < 0 && cur.Target == 0:
			return bot.Errorf(bot.Invalid, "Pledge #%d has no target yet, so target:%s can't lower it: give one, e.g. target:%s.", n, bot.FormatNumber(d), bot.FormatNumber(-d))
		case cur.Target == 0:
			// Raising nothing by N would silently mean N (issue 15).
			return bot.Errorf(bot.Invalid, "Pledge #%d has no target yet, so target:+%s can't raise it: give one, e.g. target:%s.", n, bot.FormatNumber(d), bot.FormatNumber(d))
		case next < 0:
			return bot.Errorf(bot.Invalid, "target:%s would take the target of pledge #%d below 0: it is %s. Lower it by at most %s (target:-%s), or give the new target as target:N.",
				bot.FormatNumber(d), n, bot.FormatAmount(now, unit), bot.FormatNumber(now), bot.FormatNumber(now))
		case next > bot.MaxNumber:
			return bot.Errorf(bot.Invalid, "target:+%s would take the target of pledge #%d over %g.", bot.FormatNumber(d), n, bot.MaxNumber)
		default:
			t := bot.UnitRound(next * factor)
			what := fmt.Sprintf("target:%s (making it %s)", signed(d), bot.FormatNumber(next))
			if err := bot.CheckShare(theme, t, what); err != nil {
				return err
			}
			e.Target = &t
		}
	}
	return nil
}

// signed is a change as typed: +20, -20.
func signed(d float64) string {
	if d > 0 {
		return "+" + bot.FormatNumber(d)
	}
	return bot.FormatNumber(d)
}

func withdrawPledge(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	n := c.Args.Int("pledge")
	if c.Args.String("confirm") == "" {
		p, _, err := c.Bot.Store().Pledge(ctx, c.Community, c.Actor, n)
		if err != nil {
			return bot.Reply{}, err
		}
		// Asking to confirm what would then be refused wastes a step.
		switch p.Status {
		case bot.StatusActive:
		case bot.StatusWithdrawn:
			return bot.Reply{}, bot.Errorf(bot.Conflict, "Pledge #%d is already withdrawn.", n)
		default:
			return bot.Reply{}, bot.Errorf(bot.Conflict, "Pledge #%d is %s, so it can't be withdrawn.", n, p.Status)
		}
		return bot.Reply{
			Title:   fmt.Sprintf("Withdraw pledge #%d %q?", n, p.Text),
			Text:    "It will no longer count towards the network's totals.",
			Actions: []bot.Action{{Label: "Withdraw", Command: fmt.Sprintf("pledge withdraw %d confirm", n), Style: "danger"}},
		}, nil
	}
	p, err := c.Bot.Store().WithdrawPledge(ctx, c.Community, c.Actor, n, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Pledge #%d withdrawn.", p.Number)}, nil
}

// pledgeItem is how every command shows a pledge.
func pledgeItem(c *bot.Call, p bot.Pledge) bot.Item { return c.Bot.PledgeItem(c.Community, p) }
