package schedules

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

const (
	listLimit = 50 // overdue pledges and quiet businesses read per digest
	listShown = 25 // lines shown per section before "and N more"
	// Split limits, below every platform's: Slack section text 3000,
	// Discord embed description 4096 and 6000 characters per message.
	itemMax  = 1500
	partMax  = 3500
	partItem = 8
)

// digest sends the weekly digest to every subscribed channel, once per
// channel and ISO week whatever the number of replicas or re-runs.
func (s *Scheduler) digest(ctx context.Context, c string, at time.Time, r *Result) error {
	local := at.In(s.Location(c))
	run := weekPeriod(JobDigest, local)
	if done, err := s.st.RunDone(ctx, c, run); err != nil || done {
		if done {
			return store.ErrRunDone
		}
		return err
	}
	chans, err := s.st.DigestChannels(ctx, c)
	if err != nil {
		return err
	}
	var out []store.Outgoing
	if len(chans) > 0 {
		from, to := digestWeek(local.AddDate(0, 0, -1))
		reply, err := s.build(ctx, c, at, from, to)
		if err != nil {
			return err
		}
		parts := Split(reply)
		for _, ch := range chans {
			for i, p := range parts {
				key := fmt.Sprintf("%s:%s:%s:%s:%d", run, ch.Platform, ch.Workspace, ch.Channel, i+1)
				out = append(out, store.Outgoing{Key: key, Notice: bot.Notice{ID: key, Community: c, To: ch, Reply: p}})
			}
		}
	}
	r.Enqueued, err = s.st.Enqueue(ctx, c, run, runTTL, noticeTTL, out)
	return err
}

// tally counts one week's activity.
type tally struct {
	created, progress, done, withdrawn, lapsed []int // pledge numbers, in order
	updates                                    int
	committed, delivered                       map[string]float64 // by theme
	reports                                    map[string]int     // progress entries by theme
}

func newTally() *tally {
	return &tally{committed: map[string]float64{}, delivered: map[string]float64{}, reports: map[string]int{}}
}

func (t *tally) add(e store.ActivityEvent) {
	switch e.Kind {
	case "created":
		t.created = append(t.created, e.Pledge)
		t.committed[e.Theme] += e.Amount
	case "progress":
		t.updates++
		if !slices.Contains(t.progress, e.Pledge) {
			t.progress = append(t.progress, e.Pledge)
		}
		t.delivered[e.Theme] += e.Amount
		t.reports[e.Theme]++
	case bot.StatusDone:
		t.done = append(t.done, e.Pledge)
	case bot.StatusWithdrawn:
		t.withdrawn = append(t.withdrawn, e.Pledge)
		t.committed[e.Theme] += e.Amount // minus its target
	case "edited":
		t.committed[e.Theme] += e.Amount
	case "moved", bot.EventCorrected:
		// A correction counts in the week it was made, by how far it moved
		// the pledge's progress.
		t.delivered[e.Theme] += e.Amount
	case bot.StatusLapsed:
		t.lapsed = append(t.lapsed, e.Pledge)
	}
}

// round drops the float noise of sums whose entries cancel out (0.1 added,
// then 0.3, then 0.4 taken away): 0, not -0.00.
func (t *tally) round() {
	for _, m := range []map[string]float64{t.committed, t.delivered} {
		for k, v := range m {
			m[k] = math.Round(v*1e9) / 1e9
		}
	}
}

// Preview is /digest preview: the digest of the seven days up to and
// including today, up to this very second.
func (s *Scheduler) Preview(ctx context.Context, c string, now time.Time) (bot.Reply, error) {
	from, _ := digestWeek(now.In(s.Location(c)))
	return s.build(ctx, c, now, from, now.Add(time.Second))
}

// digestWeek is the seven whole local days ending with the day of last:
// from its first midnight to the midnight after it. A scheduled digest
// reports the seven days before the day it is sent, so weeks follow each
// other without gap or overlap and the label names exactly seven days.
func digestWeek(last time.Time) (from, to time.Time) {
	y, m, d := last.Date()
	to = time.Date(y, m, d+1, 0, 0, 0, 0, last.Location())
	return to.AddDate(0, 0, -7), to
}

// build makes the digest of the week [start, end) as seen at at, as one
// reply (sends split it with Split); the week before starts seven days
// earlier. Overdue and quiet are as of at.
func (s *Scheduler) build(ctx context.Context, c string, at, start, end time.Time) (bot.Reply, error) {
	local := at.In(s.Location(c))
	start = start.In(local.Location())
	prev := start.AddDate(0, 0, -7)
	lastDay := end.Add(-time.Second).In(local.Location())
	quietBefore := local.AddDate(0, 0, -7*s.cfg.QuietWeeks)
	d, err := s.st.DigestData(ctx, c, prev, end, day(local), quietBefore, listLimit)
	if err != nil {
		return bot.Reply{}, err
	}
	this, last := newTally(), newTally()
	for _, e := range d.Events {
		if e.At.Before(start) {
			last.add(e)
		} else {
			this.add(e)
		}
	}
	this.round()
	last.round()
	r := bot.Reply{Title: fmt.Sprintf("Weekly digest: %s to %s", start.Format("2 Jan"), lastDay.Format(bot.DateStyle))}
	vs := func(a, b int) string { return fmt.Sprintf("%d (week before: %d)", a, b) }
	r.Fields = []bot.Field{
		{Label: "New pledges", Value: vs(len(this.created), len(last.created))},
		{Label: "Progress updates", Value: fmt.Sprintf("%d on %s (week before: %d)", this.updates, bot.Count(len(this.progress), "pledge", "pledges"), last.updates)},
		{Label: "Completed", Value: vs(len(this.done), len(last.done))},
		{Label: "Overdue now", Value: fmt.Sprint(d.OverdueCount)},
		{Label: fmt.Sprintf("Quiet for %d+ weeks", s.cfg.QuietWeeks), Value: bot.Count(d.QuietCount, "business", "businesses")},
	}
	label := func(n int) string { return s.pledgeLabel(c, d, n) }
	section := func(title string, ns []int, line func(int) string, total int) {
		if len(ns) == 0 {
			return
		}
		var lines []string
		for _, n := range ns[:min(len(ns), listShown)] {
			lines = append(lines, line(n))
		}
		if more := total - min(len(ns), listShown); more > 0 {
			lines = append(lines, fmt.Sprintf("… and %d more", more))
		}
		r.Items = append(r.Items, bot.Item{Title: title, Text: strings.Join(lines, "\n")})
	}
	section("New pledges", this.created, label, len(this.created))
	section("Progress logged", this.progress, func(n int) string {
		p := d.Pledges[n]
		return label(n) + " · " + bot.ProgressLine(bot.Progress{Done: p.Progress, Target: p.Target, Unit: p.Unit})
	}, len(this.progress))
	section("Completed", this.done, label, len(this.done))
	section("Lapsed (past due, no completion)", this.lapsed, label, len(this.lapsed))
	section("Overdue", d.Overdue, func(n int) string {
		return label(n) + " · was due " + d.Pledges[n].Due.Format("2 Jan")
	}, d.OverdueCount)
	section(fmt.Sprintf("Quiet for %d+ weeks", s.cfg.QuietWeeks), d.Quiet, func(b int) string {
		return fmt.Sprintf("%s (#%d)", d.Names[b], b)
	}, d.QuietCount)
	// Whether the week saw anything happen: the quiet-week line's test.
	// Overdue and quiet businesses, open needs and the running totals are
	// standing information, shown in any week.
	active := len(this.created)+len(this.progress)+len(this.done)+len(this.withdrawn)+len(this.lapsed) > 0
	if s.decisions != nil {
		titles, confidential, err := s.decisions.S172Decisions(ctx, c, start, end)
		if err != nil {
			return bot.Reply{}, err
		}
		if n := len(titles) + confidential; n > 0 {
			active = true
			r.Fields = append(r.Fields, bot.Field{Label: "s172 decisions logged", Value: fmt.Sprint(n)})
			if confidential > 0 {
				titles = append(titles, bot.Count(confidential, "confidential decision", "confidential decisions")+" (titles not shared)")
			}
			r.Items = append(r.Items, bot.Item{Title: "s172 decisions logged", Text: strings.Join(titles, "\n")})
		}
	}
	needs, metThisWeek, err := s.needItems(ctx, c, start, end)
	if err != nil {
		return bot.Reply{}, err
	}
	r.Items = append(r.Items, needs...)
	active = active || metThisWeek
	if t := s.themeLines(c, d, this, last); t != "" {
		r.Items = append(r.Items, bot.Item{Title: "Totals by theme (this week, week before)", Text: t})
	}
	if !active {
		r.Text = "A quiet week: nothing was pledged, logged or completed."
	}
	return r, nil
}

// pledgeLabel names a pledge for a channel: private pledges keep their
// text to their business.
func (s *Scheduler) pledgeLabel(c string, d store.DigestData, n int) string {
	p, ok := d.Pledges[n]
	if !ok {
		return fmt.Sprintf("#%d", n)
	}
	text := p.Text
	if p.Visibility == bot.Private {
		text = "(a private pledge)"
	}
	return fmt.Sprintf("#%d %s · %s", n, text, d.Names[p.Business])
}

func (s *Scheduler) themeLines(c string, d store.DigestData, this, last *tally) string {
	var lines []string
	var units []struct {
		unit string
		by   bot.Vouched
	}
	at := map[string]int{}
	for _, t := range s.bot.Themes(c) {
		w := ThemeWeek{Committed: d.Totals["committed:"+t.Key], Delivered: d.Totals["delivered:"+t.Key],
			By:            Vouched(d.Totals, t.Key),
			ThisCommitted: this.committed[t.Key], LastCommitted: last.committed[t.Key],
			ThisDelivered: this.delivered[t.Key], LastDelivered: last.delivered[t.Key],
			ThisReports: this.reports[t.Key], LastReports: last.reports[t.Key]}
		if l := ThemeLine(t, w); l != "" {
			lines = append(lines, l)
			if !t.IsRate() {
				i, ok := at[t.Unit]
				if !ok {
					i, at[t.Unit] = len(units), len(units)
					units = append(units, struct {
						unit string
						by   bot.Vouched
					}{unit: t.Unit})
				}
				units[i].by = units[i].by.Add(w.By)
			}
		}
	}
	// In total, a unit at a time: amounts in different units never add up.
	for _, u := range units {
		name := "in " + u.unit
		if u.unit == "" {
			name = "counted"
		}
		lines = append(lines, "All themes "+name+", delivered by who says so: "+u.by.Line(u.unit))
	}
	return strings.Join(lines, "\n")
}

// Vouched splits a theme's delivered running total by who says so (the
// digest's totals: confirmed, awaiting, queried; self-reported the rest).
func Vouched(totals map[string]float64, theme string) bot.Vouched {
	v := bot.Vouched{Confirmed: totals["confirmed:"+theme], Awaiting: totals["awaiting:"+theme], Queried: totals["queried:"+theme]}
	v.SelfReported = math.Round((totals["delivered:"+theme]-v.Confirmed-v.Awaiting-v.Queried)*1e9) / 1e9
	return v
}

// ThemeWeek is what the digest knows of one theme: its running totals now
// and the week's and the week before's changes to them, from the
// activity entries, and how many progress reports each week logged.
type ThemeWeek struct {
	Committed, Delivered         float64
	By                           bot.Vouched // Delivered by who says so
	ThisCommitted, LastCommitted float64
	ThisDelivered, LastDelivered float64
	ThisReports, LastReports     int
}

// ThemeLine is a theme's line in the digest, "" when it has nothing to
// show. Amounts follow the rounding rule (bot.FormatNumber). A rate
// theme's values are never summed: its line counts the reports logged.
func ThemeLine(t bot.Theme, w ThemeWeek) string {
	if t.IsRate() {
		if w.ThisReports == 0 && w.LastReports == 0 {
			return ""
		}
		return fmt.Sprintf("%s: %s logged (week before: %d)", t.Name,
			bot.Count(w.ThisReports, "report", "reports"), w.LastReports)
	}
	if w.Committed == 0 && w.Delivered == 0 && w.ThisCommitted == 0 && w.LastCommitted == 0 &&
		w.ThisDelivered == 0 && w.LastDelivered == 0 {
		return ""
	}
	// (self-reported is what the partners' parts leave of delivered)
	by := w.By
	by.SelfReported = math.Round((w.Delivered-by.Confirmed-by.Awaiting-by.Queried)*1e9) / 1e9
	return fmt.Sprintf("%s: committed %s (%s, %s) · delivered %s (%s, %s): %s", t.Name,
		bot.FormatAmount(w.Committed, t.Unit), signed(w.ThisCommitted), signed(w.LastCommitted),
		bot.FormatAmount(w.Delivered, t.Unit), signed(w.ThisDelivered), signed(w.LastDelivered), by.Line(t.Unit))
}

// signed is a change by the rounding rule, "+0" when it rounds to nothing.
func signed(f float64) string {
	if f = bot.RoundAmount(f); f < 0 {
		return "-" + bot.FormatNumber(-f)
	}
	return "+" + bot.FormatNumber(f)
}

// Split cuts a long reply into parts that fit every platform's message
// limits: long item texts are cut at line ends, and parts hold at most
// partItem items and partMax characters. Nothing is dropped.
func Split(r bot.Reply) []bot.Reply {
	var items []bot.Item
	for _, it := range r.Items {
		chunks := chunkLines(it.Text, itemMax)
		for i, ch := range chunks {
			piece := it
			piece.Text = ch
			if i > 0 {
				piece.Title, piece.Actions = it.Title+" (continued)", nil
			}
			items = append(items, piece)
		}
	}
	first := r
	first.Items = nil
	parts := []bot.Reply{first}
	size := len(r.Title) + len(r.Text)
	for _, f := range r.Fields {
		size += len(f.Label) + len(f.Value)
	}
	for _, it := range items {
		cur := &parts[len(parts)-1]
		n := len(it.Title) + len(it.Text)
		if len(cur.Items) >= partItem || (len(cur.Items) > 0 && size+n > partMax) {
			parts = append(parts, bot.Reply{Title: r.Title})
			cur, size = &parts[len(parts)-1], len(r.Title)
		}
		cur.Items = append(cur.Items, it)
		size += n
	}
	if len(parts) > 1 {
		for i := range parts {
			parts[i].Title = fmt.Sprintf("%s (%d of %d)", r.Title, i+1, len(parts))
		}
	}
	return parts
}

// chunkLines cuts text at line ends into chunks of at most max bytes; a
// single longer line is cut at a rune boundary.
func chunkLines(text string, max int) []string {
	if len(text) <= max {
		return []string{text}
	}
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, line := range strings.Split(text, "\n") {
		for len(line) > max {
			cut := max
			for cut > 0 && !utf8Start(line[cut]) {
				cut--
			}
			flush()
			out = append(out, line[:cut])
			line = line[cut:]
		}
		if cur.Len() > 0 && cur.Len()+1+len(line) > max {
			flush()
		}
		if cur.Len() > 0 {
			cur.WriteByte('\n')
		}
		cur.WriteString(line)
	}
	flush()
	return out
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
