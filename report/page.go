package report

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/summary"
)

//go:embed page.html.tmpl confirm.html.tmpl
var assets embed.FS

var page = template.Must(template.New("page.html.tmpl").Funcs(template.FuncMap{
	"amount": bot.FormatAmount,
	"num":    bot.FormatNumber, // an amount in the table, whose Unit column names its unit
	"delta":  func(cur, prev int) string { return summary.Delta(float64(cur - prev)) },
	"pct": func(p bot.Progress) int {
		return p.Percent()
	},
}).ParseFS(assets, "page.html.tmpl"))

// MaxPledges bounds the public pledge table.
const MaxPledges = 200

// viewer is who the page reads pledges as: a person in no business, so the
// store itself leaves private pledges out.
var viewer = bot.Actor{ID: bot.Identity{Platform: "web", Workspace: "report", User: "viewer"}}

var communityRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,80}$`)

const refusal = "This report link is invalid or has expired. Ask a council member or coordinator for a new one (/summary link).\n"

// Handler serves GET /reports/{community}?token=... Without a valid token
// it answers 403 and reads nothing but the link secret.
func Handler(b *bot.Bot, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Referrer-Policy", "no-referrer") // the token is in the URL
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		community := r.PathValue("community")
		token := r.URL.Query().Get("token")
		if !communityRe.MatchString(community) || token == "" {
			http.Error(w, refusal, http.StatusForbidden)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		secret, err := Secret(ctx, b, community, false)
		if err != nil {
			log.Error("report secret", "community", community, "err", err)
			http.Error(w, "The report is unavailable right now; please try again later.\n", http.StatusServiceUnavailable)
			return
		}
		claims, err := Verify(secret, token, community, b.Now())
		if err != nil {
			http.Error(w, refusal, http.StatusForbidden)
			return
		}
		body, err := render(ctx, b, claims)
		if err != nil {
			log.Error("report page", "community", community, "err", err)
			http.Error(w, "The report is unavailable right now; please try again later.\n", http.StatusServiceUnavailable)
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	})
}

// view is what the template shows. Figures are rounded by the rule in
// bot/text.go (bot.FormatNumber, bot.RoundPercent), like every surface.
type view struct {
	Network  string // the community's display name, else its id
	Summary  *summary.Summary
	Span     string
	PrevSpan string
	Rate     string
	Chart    chart
	Totals   []totalRow // total themes: committed against delivered to date
	Rates    []rateRow  // rate themes: latest values, never summed
	Proxy    bool       // some theme has an indicative £ figure
	Vouched  []vouchedRow
	Pledges  []pledgeRow
	More     bool
	Cases    []caseRow // outcomes of public pledges told in the period
	Expires  time.Time
}

type totalRow struct {
	summary.Row
	Percent    string // delivered to date of committed, "63%"; "" without a commitment
	Indicative string // "£1,234.5", "" without a proxy
	ProxyValue string // "£10 per 3 hours"
	Source     string
}

// vouchedRow is one line of delivered by who says so, confirmed first:
// a total theme's (or a unit's total) amounts delivered to date or in the
// period, or a rate theme's businesses reporting.
type vouchedRow struct {
	Name, Unit, Figure                         string
	Confirmed, Awaiting, Queried, SelfReported string
}

func amountRow(name, unit, figure string, v bot.Vouched) vouchedRow {
	a := func(f float64) string { return bot.FormatAmount(f, unit) }
	return vouchedRow{name, unit, figure, a(v.Confirmed), a(v.Awaiting), a(v.Queried), a(v.SelfReported)}
}

// rateRow is a rate theme's line: its live pledges, the businesses
// holding them, and of those businesses (each once, by its latest value)
// how many report, how many met their target, median and range.
type rateRow struct {
	Name, Unit                     string
	Pledges, Businesses, Reporting int
	Met                            string // "" while none reports
	Median, Range                  string
}

// caseRow is a short case study: a public pledge with its partner's
// outcome.
type caseRow struct {
	bot.Pledge
	PartnerName string
}

// MaxCases bounds the case studies a page shows, newest first.
const MaxCases = 20

type pledgeRow struct {
	bot.Pledge
	ThemeName string
	Progress  bot.Progress
}

func render(ctx context.Context, b *bot.Bot, c Claims) ([]byte, error) {
	f, err := summary.Filter(b, c.Community, c.Period, c.Theme, c.Area, b.Now())
	if err != nil {
		return nil, err
	}
	s, err := summary.Build(ctx, b, c.Community, f)
	if err != nil {
		return nil, err
	}
	v := newView(s, time.Unix(c.Expires, 0).UTC())
	v.Network = b.Tenancy().Name(c.Community)
	inArea, err := areaOf(ctx, b, c.Community, f)
	if err != nil {
		return nil, err
	}
	if v.Pledges, v.More, err = publicPledges(ctx, b, c.Community, f, inArea); err != nil {
		return nil, err
	}
	if v.Cases, err = caseStudies(ctx, b, c.Community, f, inArea); err != nil {
		return nil, err
	}
	return v.execute()
}

// RenderSummary is the report page of a summary without its table of
// public pledges: the page's figures as a council reads them. The network
// is named by its id.
func RenderSummary(s *summary.Summary, expires time.Time) ([]byte, error) {
	return newView(s, expires).execute()
}

func newView(s *summary.Summary, expires time.Time) view {
	v := view{Network: s.Community, Summary: s, Span: summary.Span(s.Filter.Period), PrevSpan: summary.Span(s.Filter.Previous),
		Expires: expires, Rate: "n/a", Proxy: s.HasProxy()}
	if r, ok := bot.RoundPercent(float64(s.Totals.Done), float64(s.Totals.Done+s.Totals.Lapsed)); ok {
		v.Rate = strconv.Itoa(r) + "%"
	}
	var totals []summary.Row
	for _, r := range s.Themes {
		if r.Theme.IsRate() {
			st, u := r.Cur.Rate, r.Theme.Unit
			rr := rateRow{Name: r.Theme.Name, Unit: u, Pledges: st.Pledges, Businesses: st.Businesses, Reporting: st.Reporting}
			if st.Reporting > 0 {
				rr.Met, rr.Median = strconv.Itoa(st.Met), bot.FormatRate(st.Median, u)
				rr.Range = bot.FormatRate(st.Min, u) + " to " + bot.FormatRate(st.Max, u)
			}
			v.Rates = append(v.Rates, rr)
			if st.Reporting > 0 {
				b, i := st.By, strconv.Itoa
				v.Vouched = append(v.Vouched, vouchedRow{r.Theme.Name, u, "businesses reporting",
					i(b.Confirmed), i(b.Awaiting), i(b.Queried), i(b.SelfReported)})
			}
			continue
		}
		totals = append(totals, r)
		tr := totalRow{Row: r}
		if p, ok := r.DeliveredPct(); ok {
			tr.Percent = strconv.Itoa(p) + "%"
		}
		if gbp, ok := r.Indicative(); ok {
			p := r.Theme.Proxy
			tr.Indicative, tr.Source = "£"+bot.FormatNumber(gbp), summary.ProxySource(p)
			tr.ProxyValue = "£" + bot.FormatNumber(p.Value) + " per " + bot.FormatAmount(p.Per, r.Theme.Unit)
		}
		v.Totals = append(v.Totals, tr)
		v.Vouched = append(v.Vouched, amountRow(r.Theme.Name, r.Theme.Unit, "delivered to date", r.Cur.ToDateBy),
			amountRow(r.Theme.Name, r.Theme.Unit, "delivered in period", r.Cur.DeliveredBy))
	}
	for _, u := range s.VouchedTotals() {
		name := "All themes in " + u.Unit
		if u.Unit == "" {
			name = "All themes counted"
		}
		v.Vouched = append(v.Vouched, amountRow(name, u.Unit, "delivered to date", u.ToDate),
			amountRow(name, u.Unit, "delivered in period", u.Delivered))
	}
	v.Chart = newChart(totals)
	return v
}

func (v view) execute() ([]byte, error) {
	var buf bytes.Buffer
	if err := page.Execute(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// areaOf tells, for an area filter, which businesses are in the area;
// nil without one.
func areaOf(ctx context.Context, b *bot.Bot, community string, f bot.SummaryFilter) (map[int]bool, error) {
	if f.Area == "" {
		return nil, nil
	}
	bs, err := b.Store().Businesses(ctx, community)
	if err != nil {
		return nil, err
	}
	inArea := map[int]bool{}
	for _, biz := range bs {
		// (the one rule, as the store's counters apply it: area_scopes in
		// store/lua/figures.lua)
		inArea[biz.Number] = bot.InArea(biz.Postcode, f.Area)
	}
	return inArea, nil
}

// caseStudies lists the public pledges, in the summary's theme and area,
// whose partner told their outcome within the period, newest first.
func caseStudies(ctx context.Context, b *bot.Bot, community string, f bot.SummaryFilter, inArea map[int]bool) ([]caseRow, error) {
	ps, err := b.Store().Pledges(ctx, community, viewer, bot.PledgeFilter{Status: "all", Theme: f.Theme, Limit: MaxCases,
		OutcomeFrom: f.Period.Start, OutcomeTo: f.Period.End})
	if err != nil {
		return nil, err
	}
	names := map[int]string{}
	var out []caseRow
	for _, p := range ps {
		if p.Visibility != bot.Public || p.Outcome == nil || p.Partner == 0 || (inArea != nil && !inArea[p.Business]) {
			continue
		}
		if _, ok := names[p.Partner]; !ok {
			pt, err := b.Store().Partner(ctx, community, p.Partner)
			if err != nil && bot.ErrorCode(err) != bot.NotFound {
				return nil, err
			}
			names[p.Partner] = pt.Name
		}
		out = append(out, caseRow{Pledge: p, PartnerName: names[p.Partner]})
	}
	return out, nil
}

// publicPledges lists public pledges (active and done), filtered like the
// summary by theme and area.
func publicPledges(ctx context.Context, b *bot.Bot, community string, f bot.SummaryFilter, inArea map[int]bool) ([]pledgeRow, bool, error) {
	ps, err := b.Store().Pledges(ctx, community, viewer, bot.PledgeFilter{Theme: f.Theme, Limit: MaxPledges + 1})
	if err != nil {
		return nil, false, err
	}
	var out []pledgeRow
	for _, p := range ps {
		if p.Visibility != bot.Public || (inArea != nil && !inArea[p.Business]) {
			continue
		}
		name := p.Theme
		if t, ok := b.Theme(community, p.Theme); ok {
			name = t.Name
		}
		out = append(out, pledgeRow{Pledge: p, ThemeName: name, Progress: bot.Progress{Done: p.Shown(p.Progress), Target: p.Shown(p.Target), Unit: p.Unit}})
	}
	more := len(out) > MaxPledges
	if more {
		out = out[:MaxPledges]
	}
	return out, more, nil
}
