package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/report"
	"github.com/pledgebot/pledgebot/summary"
)

var (
	periodOpt = bot.Option{Name: "period", Max: 12, Help: "2026-Q4, 2026, 2026-11 or last-30d (default: this quarter)"}
	areaOpt   = bot.Option{Name: "area", Max: 4, Help: "postcode area or district, e.g. CB or CB1"}
)

// DefaultLinkDays is how long a report link works unless days: says.
const DefaultLinkDays = 7

// MaxLinkDays bounds days: so a leaked link cannot live for ever.
const MaxLinkDays = 90

// Summary is /summary: what the network committed and delivered, for
// councils and coordinators. Only counts and amounts: no pledge text.
func Summary() *bot.Command {
	filter := []bot.Option{periodOpt, themeOpt, areaOpt}
	return &bot.Command{Name: "summary", Help: "totals for councils: pledges made and delivered, by theme and period", Subs: []*bot.Subcommand{
		{Name: "show", Default: true, MinRole: bot.RoleCouncil, Run: showSummary, Options: filter,
			Help: "businesses taking part, pledges made/live/active/done/lapsed, committed against delivered to date by theme, change on the previous period"},
		{Private: true, Name: "export", MinRole: bot.RoleCouncil, Run: exportSummary,
			Help: "the summary as a CSV or JSON file", Options: append([]bot.Option{
				{Name: "format", Type: bot.Choice, Choices: []string{"csv", "json"}, Help: "file format (default csv)"},
			}, filter...)},
		{Name: "link", MinRole: bot.RoleCouncil, Run: summaryLink,
			Help: "a link to the report page that expires (default 7 days)", Options: append([]bot.Option{
				{Name: "days", Type: bot.Number, Help: fmt.Sprintf("how many days the link works (1-%d)", MaxLinkDays)},
			}, filter...)},
	}}
}

func buildSummary(ctx context.Context, c *bot.Call) (*summary.Summary, error) {
	f, err := summary.Filter(c.Bot, c.Community, c.Args.String("period"), c.Args.String("theme"), c.Args.String("area"), c.Bot.Now())
	if err != nil {
		return nil, err
	}
	return summary.Build(ctx, c.Bot, c.Community, f)
}

func showSummary(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	s, err := buildSummary(ctx, c)
	if err != nil {
		return bot.Reply{}, err
	}
	return s.Reply(), nil
}

func exportSummary(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	s, err := buildSummary(ctx, c)
	if err != nil {
		return bot.Reply{}, err
	}
	format := c.Args.String("format")
	if format == "" {
		format = "csv"
	}
	f := s.File(format)
	return bot.Reply{Title: "Summary export: " + s.Heading(), Text: fmt.Sprintf("%s, %s. %s Every column is described in docs/guide.md (Export columns).", f.Name, bot.Count(len(s.Themes), "theme", "themes"), exportColumns), File: f}, nil
}

// exportColumns says in the reply itself what the period columns mean
// (issue 15: described in the reply, not only in the docs).
const exportColumns = "live: pledges made before the period ended and not done or lapsed before it began; " +
	"committed: their targets; delivered: progress logged within the period; " +
	"delivered_to_date: progress logged on the live pledges up to the period's end; " +
	"delivered_pct: delivered_to_date as a share of committed. " +
	"Rate themes: rate_pledges: their live pledges; rate_businesses: the businesses holding them, each counted once; " +
	"rate_reporting, rate_met: of those businesses, how many report a value and how many met their target; " +
	"rate_median, rate_min, rate_max: the median, least and greatest of the latest value each business reported."

func summaryLink(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	days := float64(DefaultLinkDays)
	if v, ok := c.Args.Number("days"); ok {
		if v < 1 || v > MaxLinkDays || v != float64(int(v)) {
			return bot.Reply{}, bot.Errorf(bot.Invalid, "days:%s: give a whole number of days from 1 to %d.", bot.FormatNumber(v), MaxLinkDays)
		}
		days = v
	}
	// Check the filter now so a link never leads to an error page.
	f, err := summary.Filter(c.Bot, c.Community, c.Args.String("period"), c.Args.String("theme"), c.Args.String("area"), c.Bot.Now())
	if err != nil {
		return bot.Reply{}, err
	}
	expires := c.Bot.Now().Add(time.Duration(days) * 24 * time.Hour)
	url, err := report.Link(ctx, c.Bot, report.Claims{Community: c.Community, Expires: expires.Unix(),
		Period: f.Period.Label, Theme: f.Theme, Area: f.Area})
	if err != nil {
		return bot.Reply{}, err
	}
	r := bot.Reply{Title: "Report link for " + f.Period.Label,
		Text: fmt.Sprintf("%s\nAnyone with this link can see the report (totals and public pledges) until %s UTC. Share it with care.",
			url, expires.UTC().Format("2 Jan 2006 15:04"))}
	if c.Bot.Reports().BaseURL == "" {
		r.Text += "\nThis is a path on the bot's web server: set PLEDGEBOT_PUBLIC_URL (reports.base_url) for a full link."
	}
	return r, nil
}
