package commands

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// Limits of the s172 options, in characters.
const (
	maxS172Title = 200
	maxS172Note  = 1000
	maxS172Refs  = 20 // linked pledges per decision
)

// factorShort names each s172(1) factor in a few words, for option help
// and error messages (bot.FactorNames has the statutory wording).
var factorShort = map[string]string{
	"a": "long-term consequences of the decision",
	"b": "interests of employees",
	"c": "relationships with suppliers, customers and others",
	"d": "impact on the community and the environment",
	"e": "reputation for high standards of business conduct",
	"f": "acting fairly as between members",
}

// explainFactors answers /s172 factors: s172(1) word for word, one line
// each for s172(2) and (3), and how to record the factors.
func explainFactors(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	r := bot.Reply{Title: "Companies Act 2006 section 172: duty to promote the success of the company",
		Text: "s172(1): " + bot.Quote(bot.S172Lead+"—")}
	for i, l := range bot.Factors {
		v := bot.FactorNames[l]
		switch {
		case i == len(bot.Factors)-2:
			v += ", and"
		case i < len(bot.Factors)-1:
			v += ","
		default:
			v += "."
		}
		r.Fields = append(r.Fields, bot.Field{Label: "(" + l + ")", Value: bot.Quote(v)})
	}
	r.Fields = append(r.Fields,
		bot.Field{Label: "s172(2)", Value: "for a company whose purposes include others than benefiting its members (a CIC, a charitable company), success means achieving those purposes."},
		bot.Field{Label: "s172(3)", Value: "the duty gives way to any rule requiring directors to consider or act in the interests of the company's creditors."},
		bot.Field{Label: "Who it binds", Value: "the directors of companies (CICs and charitable companies too), not sole traders, partnerships, LLPs or co-operative societies, " +
			"who may keep records here as voluntary good practice."},
		bot.Field{Label: "How to record them",
			Value: "give each factor that was material as its letter with a note, e.g. /s172 log Switch to a local parts supplier " +
				"c:two Cambridge wholesalers, 30-day terms d:fewer delivery miles outcome:approved (a note runs on to the next option). At least one is needed; " +
				"record what was actually weighed, not a tick-box."},
		bot.Field{Label: "Statements", Value: "large companies must publish a section 172(1) statement in their strategic report; " +
			"for other companies it is voluntary. /s172 statement drafts one from your records for the directors to review."})
	// The caller's own businesses: what the section means for each.
	mine, err := c.Bot.Store().BusinessesOf(ctx, c.Community, c.Actor.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	for _, b := range mine {
		switch {
		case b.Form != "" && !bot.IsCompany(b.Form):
			r.Fields = append(r.Fields, bot.Field{Label: b.Name, Value: nonCompanyLine(b.Form) + "."})
		case bot.HasWiderPurposes(b.Form):
			r.Fields = append(r.Fields, bot.Field{Label: b.Name, Value: "as a " + bot.FormName(b.Form) +
				", its success under s172(2) means achieving its purposes, and its records and statement are framed that way."})
		}
	}
	return r, nil
}

// s172Fields are the options log and amend share, in usage order.
func s172Fields() []bot.Option {
	opts := []bot.Option{
		{Name: "date", Type: bot.Date, Past: true, Help: "when the decision was taken (default today)"},
		{Name: "options", Max: maxS172Note, Greedy: true, Help: "the options considered"},
		{Name: "stakeholders", Max: maxS172Note, Greedy: true, Help: "groups affected, from your register: staff, suppliers (/s172 stakeholders)"},
		{Name: "heard", Max: maxS172Note, Greedy: true, Help: "how their views were heard and what the board heard"},
		{Name: "principal", Type: bot.Choice, Choices: []string{"yes", "no"}, Help: "yes: a principal decision, for the statement"},
		{Name: "directors", Max: 300, Greedy: true, Help: "who decided: names or roles, e.g. the board, MD and FD"},
		{Name: "meeting", Type: bot.Date, Past: true, Help: "date of the board meeting that decided"},
	}
	for _, l := range bot.Factors {
		opts = append(opts, bot.Option{Name: l, Max: maxS172Note, Greedy: true, Help: "(" + l + ") " + factorShort[l] + ": how it was weighed"})
	}
	return append(opts,
		bot.Option{Name: "tradeoffs", Max: maxS172Note, Greedy: true, Help: "trade-offs accepted"},
		bot.Option{Name: "outcome", Max: maxS172Note, Greedy: true, Help: "what was decided"},
		bot.Option{Name: "followups", Max: maxS172Note, Greedy: true, Help: "follow-up actions"},
		bot.Option{Name: "review", Type: bot.Date, Help: "when to review the decision (not before its date)"},
		bot.Option{Name: "pledge", Max: 200, Help: "linked pledge numbers: 7 or 7,9"},
		bot.Option{Name: "confidentiality", Type: bot.Choice, Choices: []string{bot.Board, bot.Shareable},
			Help: "board (default): your business and admins only; shareable: anyone in the network"},
	)
}

// S172 is /s172: decision records and a draft section 172(1) statement.
func S172() *bot.Command {
	logOpts := append([]bot.Option{{Name: "title", Positional: true, Rest: true, Required: true, Max: maxS172Title, Help: "the decision"}},
		s172Fields()...)
	logOpts = append(logOpts, businessOpt)
	amendOpts := append([]bot.Option{refOpt("decision", "decision number"),
		{Name: "title", Max: maxS172Title, Greedy: true, Help: "a new title"}}, s172Fields()...)
	return &bot.Command{Name: "s172", Help: "record how decisions had regard to the s172(1) factors (a)-(f)", Subs: []*bot.Subcommand{
		{Name: "log", Help: "record a decision and the s172(1) factors a:-f: that were material (see /s172 factors)", Run: logDecision, Options: logOpts, OptionHint: factorHint},
		{Name: "list", Help: "list decision records", Run: listDecisions, Options: []bot.Option{
			{Name: "year", Max: 4, Help: "decisions taken in this year, e.g. 2026"},
			{Name: "factor", Type: bot.Choice, Choices: bot.Factors, Help: "decisions that weighed this s172(1) factor"},
			businessOpt,
		}},
		{Name: "show", Help: "show a decision with its original text and every amendment", Run: showDecision, Options: []bot.Option{
			refOpt("decision", "decision number"),
		}},
		{Name: "amend", Help: "amend a decision; the original is kept (a single - clears a text or factor)", Run: amendDecision,
			Options: amendOpts, OptionHint: factorHint},
		{Name: "factors", Help: "what the s172(1) factors (a) to (f) mean and how to record them", Run: explainFactors},
		{Private: true, Name: "statement", Help: "draft a s172(1) statement for a financial year from your records", Run: s172Statement, Options: []bot.Option{
			{Name: "year-end", Type: bot.Date, Past: true, Help: "last day of the financial year (default: your year end, else the last 12 months)"},
			businessOpt,
		}},
		stakeholdersSub(),
	}}
}

// factorHint explains a mistyped factor letter, e.g. g:.
func factorHint(name string) string {
	if len(name) == 1 && name[0] >= 'a' && name[0] <= 'z' {
		return fmt.Sprintf("there is no factor %s: in s172(1): the factors are a: to f: (%s; see /s172 factors)", name, factorList())
	}
	return ""
}

// factorList is "a long-term consequences ..., b interests of employees, ...".
func factorList() string {
	parts := make([]string, len(bot.Factors))
	for i, l := range bot.Factors {
		parts[i] = l + " " + factorShort[l]
	}
	return strings.Join(parts, ", ")
}

// clearable fields may be emptied in an amendment with "-".
var clearable = map[string]bool{"options": true, "stakeholders": true, "heard": true, "tradeoffs": true, "outcome": true,
	"followups": true, "pledge": true, "directors": true, "a": true, "b": true, "c": true, "d": true, "e": true, "f": true}

// storedName maps an option to the record field it writes: heard: keeps
// the field "stakeholders" that free text had before the register, and
// stakeholders: (register names, resolved by resolveGroups) writes
// "groups".
var storedName = map[string]string{"title": "title", "options": "options", "stakeholders": "groups", "heard": "stakeholders",
	"a": "a", "b": "b", "c": "c", "d": "d", "e": "e", "f": "f", "tradeoffs": "tradeoffs", "outcome": "outcome",
	"followups": "followups", "confidentiality": "confidentiality", "principal": "principal", "directors": "directors"}

// decisionChanges reads the s172 options of a call into field changes in
// the store's string form (bot.DecisionFields.Changes). For a new record
// (amend false) it fills defaults and checks the record is whole; for an
// amendment it returns only what was named. today is the caller's date.
func decisionChanges(args *bot.Args, today time.Time, amend bool) (map[string]string, error) {
	ch := map[string]string{}
	for _, name := range []string{"title", "options", "stakeholders", "heard", "a", "b", "c", "d", "e", "f", "tradeoffs", "outcome", "followups",
		"confidentiality", "principal", "directors"} {
		if !args.Has(name) {
			continue
		}
		v := strings.TrimSpace(args.String(name))
		if amend && v == "-" && clearable[name] {
			v = ""
		} else if v == "-" {
			return nil, bot.Errorf(bot.Invalid, "%s: needs a real value, not -.", name)
		}
		ch[storedName[name]] = v
	}
	if m, ok := args.Date("meeting"); ok {
		if m.After(today) {
			return nil, bot.Errorf(bot.Invalid, "meeting: %s is in the future; record decisions once they are taken.", m.Format(bot.DayStyle))
		}
		ch["meeting"] = m.Format(time.DateOnly)
	}
	var date, review time.Time
	if d, ok := args.Date("date"); ok {
		if d.After(today) {
			return nil, bot.Errorf(bot.Invalid, "date: %s is in the future; record decisions once they are taken.", d.Format(bot.DayStyle))
		}
		date = d
		ch["date"] = d.Format(time.DateOnly)
	} else if !amend {
		date = today
		ch["date"] = today.Format(time.DateOnly)
	}
	if r, ok := args.Date("review"); ok {
		review = r
		ch["review"] = r.Format(time.DateOnly)
	}
	if !date.IsZero() && !review.IsZero() && review.Before(date) {
		return nil, bot.Errorf(bot.Invalid, "review: %s is before the decision date %s; give a review date on or after it.",
			review.Format(bot.DayStyle), date.Format(bot.DayStyle))
	}
	if args.Has("pledge") {
		v := strings.TrimSpace(args.String("pledge"))
		if amend && v == "-" {
			v = ""
		}
		refs, err := parsePledgeRefs(v)
		if err != nil {
			return nil, err
		}
		ch["pledges"] = bot.JoinRefs(refs)
	}
	if amend {
		if len(ch) == 0 {
			return nil, bot.Errorf(bot.Invalid, "Say what to amend, e.g. /s172 amend N outcome:\"approved with a 6-month trial\".")
		}
		return ch, nil
	}
	if _, ok := ch["confidentiality"]; !ok {
		ch["confidentiality"] = bot.Board
	}
	if !slices.ContainsFunc(bot.Factors, func(l string) bool { return ch[l] != "" }) {
		return nil, bot.Errorf(bot.Invalid, "Say which s172(1) factors were material, each as its letter with a note, "+
			"e.g. c:\"two Cambridge wholesalers, 30-day terms\" d:\"fewer delivery miles\". The factors: %s.", factorList())
	}
	return ch, nil
}

// parsePledgeRefs reads "7", "#7" or "7,9" (spaces allowed), without
// duplicates. "" is no pledges.
func parsePledgeRefs(s string) ([]int, error) {
	var out []int
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	for _, part := range strings.Split(s, ",") {
		p := strings.TrimPrefix(strings.TrimSpace(part), "#")
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > bot.MaxRef || strings.HasPrefix(p, "+") {
			return nil, bot.Errorf(bot.Invalid, "pledge: takes pledge numbers like 7 or 7,9, not %q.", clipText(part, 40))
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) > maxS172Refs {
		return nil, bot.Errorf(bot.Invalid, "pledge: links at most %d pledges to one decision.", maxS172Refs)
	}
	return out, nil
}

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// today is the community's date, as decision dates are stored.
func today(c *bot.Call) time.Time { return c.Bot.Today(c.Community) }

func logDecision(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	ch, err := decisionChanges(c.Args, today(c), false)
	if err != nil {
		return bot.Reply{}, err
	}
	if ch["groups"], err = resolveGroups(ctx, c, c.Args.Int("business"), ch["groups"]); err != nil {
		return bot.Reply{}, err
	}
	if ch["groups"] == "" {
		delete(ch, "groups") // absent, not empty: records keep only what was said
	}
	d, err := c.Bot.Store().LogDecision(ctx, c.Community, c.Actor, c.Args.Int("business"), bot.FieldsFrom(ch), c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	r := bot.Reply{Title: fmt.Sprintf("Decision #%d recorded for %s", d.Number, d.BusinessName), Items: []bot.Item{decisionItem(d)}}
	if d.Current.Confidentiality == bot.Board {
		r.Text = "Board record: only your business and admins can see it. Amend it with /s172 amend " + strconv.Itoa(d.Number) + " ..."
	}
	if voluntary(d) {
		r.Text = strings.TrimSpace(nonCompanyLine(d.BusinessForm) + ". " + r.Text)
	}
	return r, nil
}

func amendDecision(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	ch, err := decisionChanges(c.Args, today(c), true)
	if err != nil {
		return bot.Reply{}, err
	}
	if v, ok := ch["groups"]; ok && v != "" {
		d, err := c.Bot.Store().Decision(ctx, c.Community, c.Actor, c.Args.Int("decision"))
		if err != nil {
			return bot.Reply{}, err
		}
		if ch["groups"], err = resolveGroups(ctx, c, d.Business, v); err != nil {
			return bot.Reply{}, err
		}
	}
	d, err := c.Bot.Store().AmendDecision(ctx, c.Community, c.Actor, c.Args.Int("decision"), ch, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Decision #%d amended (amendment %d; the original is kept)", d.Number, len(d.Amendments)),
		Items: []bot.Item{decisionItem(d)}}, nil
}

func listDecisions(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	f := bot.DecisionFilter{Business: c.Args.Int("business"), Factor: c.Args.String("factor"), Limit: 50}
	if y := c.Args.String("year"); y != "" {
		year, err := strconv.Atoi(y)
		if err != nil || year < 2000 || year > 2100 {
			return bot.Reply{}, bot.Errorf(bot.Invalid, "year: must be a year like 2026, not %q.", y)
		}
		f.From = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		f.To = time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	ds, err := c.Bot.Store().Decisions(ctx, c.Community, c.Actor, f)
	if err != nil {
		return bot.Reply{}, err
	}
	if len(ds) == 0 {
		return bot.Reply{Title: "No decision records found", Text: "Record one with /s172 log TITLE c:\"how suppliers were weighed\" (see /help s172)."}, nil
	}
	r := bot.Reply{Title: fmt.Sprintf("Decision records (%d, newest first)", len(ds))}
	if len(ds) == f.Limit {
		r.Title = fmt.Sprintf("Latest %d decision records (narrow with year:, factor: or business:)", f.Limit)
	}
	for _, d := range ds {
		r.Items = append(r.Items, decisionItem(d))
	}
	return r, nil
}

func showDecision(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	d, err := c.Bot.Store().Decision(ctx, c.Community, c.Actor, c.Args.Int("decision"))
	if err != nil {
		return bot.Reply{}, err
	}
	cur := d.Current
	r := bot.Reply{Title: fmt.Sprintf("Decision #%d: %s", d.Number, cur.Title),
		Text: fmt.Sprintf("%s (#%d) · %s · logged by %s on %s", d.BusinessName, d.Business, cur.Confidentiality,
			mentionOr(d.CreatedBy), d.CreatedAt.Format("2 Jan 2006 15:04"))}
	if voluntary(d) {
		r.Text += "\n" + nonCompanyLine(d.BusinessForm) + "."
	}
	if len(d.Amendments) > 0 {
		r.Text += fmt.Sprintf("\nThe values shown are current, after %s; each amended field's first value and every amendment are listed too.",
			plural(len(d.Amendments), "amendment", "amendments"))
	}
	r.Fields = fieldLines(cur)
	// Each field is shown once: the current values above, then for an
	// amended record only what the amendments changed, as first logged.
	if len(d.Amendments) > 0 {
		orig, changed := d.Original.Changes(), map[string]bool{}
		for _, a := range d.Amendments {
			for k := range a.Changes {
				changed[k] = true
			}
		}
		var lines []string
		for _, k := range fieldOrder {
			if !changed[k] {
				continue
			}
			if v := orig[k]; v != "" {
				lines = append(lines, fieldLabel(k)+": "+fieldValue(k, v))
			} else {
				lines = append(lines, fieldLabel(k)+": (not given)")
			}
		}
		r.Items = append(r.Items, bot.Item{Title: "As first logged (fields amended since)", Text: strings.Join(lines, "\n")})
	}
	for i, a := range d.Amendments {
		who := a.By
		if id, err := bot.ParseIdentity(a.By); err == nil {
			who = bot.Mention(id)
		}
		r.Items = append(r.Items, bot.Item{
			Title: fmt.Sprintf("Amendment %d by %s on %s", i+1, who, a.At.Format("2 Jan 2006 15:04")),
			Text:  strings.Join(changeLines(a.Changes), "\n")})
	}
	r.Actions = []bot.Action{{Label: "Amend", Command: fmt.Sprintf("s172 amend %d", d.Number)}}
	return r, nil
}

// voluntary reports whether a record belongs to a business recorded as
// not being a company: s172 does not bind it.
func voluntary(d bot.Decision) bool { return d.BusinessForm != "" && !bot.IsCompany(d.BusinessForm) }

// mentionOr names a person, or says they were erased (pledgebot erase-member).
func mentionOr(id bot.Identity) string {
	if !id.Valid() {
		return "(erased)"
	}
	return bot.Mention(id)
}

// fieldOrder and fieldLabels say how a record's fields are shown.
var fieldOrder = []string{"title", "date", "principal", "meeting", "directors", "options", "groups", "stakeholders", "a", "b", "c", "d", "e", "f",
	"tradeoffs", "outcome", "followups", "review", "pledges", "confidentiality"}

var fieldLabels = map[string]string{"title": "Title", "date": "Decision date", "options": "Options considered",
	"principal": "Principal decision", "meeting": "Board meeting", "directors": "Decided by", "groups": "Stakeholder groups",
	"stakeholders": "How their views were heard", "tradeoffs": "Trade-offs accepted", "outcome": "Outcome",
	"followups": "Follow-up actions", "review": "Review date", "pledges": "Linked pledges", "confidentiality": "Confidentiality"}

func fieldLabel(name string) string {
	if bot.IsFactor(name) {
		return "(" + name + ") " + bot.FactorNames[name]
	}
	return fieldLabels[name]
}

func fieldLines(f bot.DecisionFields) []bot.Field {
	ch := f.Changes()
	var out []bot.Field
	for _, k := range fieldOrder {
		if v := ch[k]; v != "" && k != "title" {
			out = append(out, bot.Field{Label: fieldLabel(k), Value: fieldValue(k, v)})
		}
	}
	return out
}

func changeLines(ch map[string]string) []string {
	var out []string
	for _, k := range fieldOrder {
		v, ok := ch[k]
		if !ok {
			continue
		}
		if v == "" {
			out = append(out, fieldLabel(k)+": (cleared)")
		} else {
			out = append(out, fieldLabel(k)+": "+fieldValue(k, v))
		}
	}
	return out
}

func fieldValue(k, v string) string {
	switch k {
	case "pledges":
		return "#" + strings.ReplaceAll(v, ",", ", #")
	case "date", "review", "meeting":
		return shownDate(v)
	case "groups":
		return strings.ReplaceAll(v, ",", ", ")
	}
	return v
}

// decisionItem is how lists show a decision.
func decisionItem(d bot.Decision) bot.Item {
	cur := d.Current
	about := []string{fmt.Sprintf("%s (#%d)", d.BusinessName, d.Business), cur.Date.Format(bot.DayStyle)}
	var letters []string
	for _, l := range bot.Factors {
		if cur.HasFactor(l) {
			letters = append(letters, "("+l+")")
		}
	}
	about = append(about, "factors "+strings.Join(letters, " "))
	if cur.Outcome != "" {
		about = append(about, "outcome: "+clipText(cur.Outcome, 80))
	}
	if !cur.Review.IsZero() {
		about = append(about, "review "+cur.Review.Format(bot.DayStyle))
	}
	if cur.Principal == "yes" {
		about = append(about, "principal decision")
	}
	about = append(about, cur.Confidentiality)
	if voluntary(d) {
		about = append(about, voluntaryLabel)
	}
	if n := len(d.Amendments); n > 0 {
		about = append(about, "amended "+plural(n, "time", "times"))
	}
	return bot.Item{Title: fmt.Sprintf("#%d %s", d.Number, cur.Title), Text: strings.Join(about, " · "), Ref: fmt.Sprintf("#%d", d.Number),
		Actions: []bot.Action{{Label: "Show", Command: fmt.Sprintf("s172 show %d", d.Number)}}}
}

// statementBusiness is business:N when the caller may act for it, else the
// caller's only business. Admins may draft for any business.
func statementBusiness(ctx context.Context, c *bot.Call) (bot.Business, error) {
	n := c.Args.Int("business")
	mine, err := c.Bot.Store().BusinessesOf(ctx, c.Community, c.Actor.ID)
	if err != nil {
		return bot.Business{}, err
	}
	for _, b := range mine {
		if b.Number == n || (n == 0 && len(mine) == 1) {
			return b, nil
		}
	}
	admin, err := c.HasRole(ctx, bot.RoleAdmin)
	if err != nil {
		return bot.Business{}, err
	}
	switch {
	case n != 0 && admin:
		return c.Bot.Store().Business(ctx, c.Community, n)
	case n != 0:
		return bot.Business{}, bot.Errorf(bot.Forbidden, "Only the owners and members of business #%d (or an admin) can draft its statement.", n)
	case len(mine) == 0:
		return bot.Business{}, bot.Errorf(bot.Invalid, "You are not part of a business; name one with business:N.")
	}
	var names []string
	for _, b := range mine {
		names = append(names, fmt.Sprintf("#%d %s", b.Number, b.Name))
	}
	return bot.Business{}, bot.Errorf(bot.Invalid, "You belong to several businesses (%s): say which with business:N.", strings.Join(names, ", "))
}

// maxStatementDecisions bounds one statement's records, and
// maxStatementPledgeLookups how many linked pledges it reads to cite by text.
const (
	maxStatementDecisions     = 500
	maxStatementPledgeLookups = 100
)

func s172Statement(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	biz, err := statementBusiness(ctx, c)
	if err != nil {
		return bot.Reply{}, err
	}
	end, basis := statementYearEnd(c, biz)
	from, to := bot.FinancialYear(end)
	if basis == lastTwelveMonths {
		from = to.AddDate(-1, 0, 1)
	}
	ds, err := c.Bot.Store().Decisions(ctx, c.Community, c.Actor, bot.DecisionFilter{Business: biz.Number, From: from, To: to, Limit: maxStatementDecisions, History: true})
	if err != nil {
		return bot.Reply{}, err
	}
	_, groups, err := c.Bot.Store().Stakeholders(ctx, c.Community, c.Actor, biz.Number)
	if err != nil {
		return bot.Reply{}, err
	}
	pledges, err := statementPledges(ctx, c, ds)
	if err != nil {
		return bot.Reply{}, err
	}
	st := BuildStatement(StatementInput{Business: biz, From: from, To: to, Basis: basis, Drafted: c.Bot.Now(), Decisions: ds,
		Pledges: pledges, Stakeholders: groups, Truncated: len(ds) == maxStatementDecisions})
	text := fmt.Sprintf("Built from %s for the financial year %s to %s (%s). It is a DRAFT for the directors to review, not a final statement.",
		plural(len(ds), "decision record", "decision records"), from.Format("2 Jan 2006"), to.Format("2 Jan 2006"), basis)
	if !bot.IsCompany(biz.Form) && biz.Form != "" {
		text = nonCompanyLine(biz.Form) + ". " + text
	}
	if len(st.Missing) > 0 {
		text += " No recorded consideration in the year of " + plural(len(st.Missing), "matter", "matters") + ": " + strings.Join(st.Missing, ", ") + "."
	}
	title := fmt.Sprintf("Draft section 172(1) statement for %s", biz.Name)
	if !bot.IsCompany(biz.Form) && biz.Form != "" {
		title = fmt.Sprintf("Draft voluntary record of decisions for %s", biz.Name)
	}
	return bot.Reply{Title: title, Text: text,
		File: &bot.File{Name: "statement.md", Type: "text/markdown", Content: []byte(st.Markdown)}}, nil
}

const lastTwelveMonths = "the last 12 months: no year end is set, so give year-end: or set one with /business edit year-end:MM-DD"

// statementYearEnd picks the financial year's last day and says why:
// year-end: as given, else the business's latest year end, else today.
func statementYearEnd(c *bot.Call, biz bot.Business) (time.Time, string) {
	if d, ok := c.Args.Date("year-end"); ok {
		return d, "the year end you gave"
	}
	if !biz.YearEnd.IsZero() {
		return biz.YearEnd.Latest(today(c)), "the business's latest year end, " + biz.YearEnd.String()
	}
	return today(c), lastTwelveMonths
}

// statementPledges reads the texts of the pledges decisions link to.
func statementPledges(ctx context.Context, c *bot.Call, ds []bot.Decision) (map[int]string, error) {
	pledges := map[int]string{}
	for _, d := range ds {
		for _, n := range d.Current.Pledges {
			if _, seen := pledges[n]; seen {
				continue
			}
			pledges[n] = ""
			if len(pledges) > maxStatementPledgeLookups {
				continue // cited by number only: bounds the statement's round trips
			}
			// A pledge made private since it was linked stays cited by number.
			if p, _, err := c.Bot.Store().Pledge(ctx, c.Community, c.Actor, n); err == nil {
				pledges[n] = p.Text
			} else if bot.ErrorCode(err) == bot.Unavailable || bot.ErrorCode(err) == bot.Internal {
				return nil, err
			}
		}
	}
	return pledges, nil
}
