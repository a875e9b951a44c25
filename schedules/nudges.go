package schedules

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// Nudge groups, in the order a message lists them.
const (
	groupSoon    = "Due soon"
	groupOverdue = "Overdue"
	groupQuiet   = "Quiet"
	groupLapsed  = "Lapsed"
)

var groupOrder = []string{groupSoon, groupOverdue, groupQuiet, groupLapsed}

// staleWindow is how far back the stale range reaches beyond StaleDays: a
// pledge is nudged once when its quiet spell crosses the threshold, and the
// window covers sweeps skipped at weekends or while replicas were down.
const staleWindow = 7 * 24 * time.Hour

// lapseTellFor is how long a lapsed pledge waits for its owners' nudge
// messages: a long weekend and a missed day.
const lapseTellFor = 5 * 24 * time.Hour

// nudgeItem is one pledge in one person's nudge message.
type nudgeItem struct {
	group string
	key   string // notice key: decided once (store.NudgeKey)
	p     store.NudgeCandidate
	line  string // what is up with it: "Due tomorrow (Wed 25 Nov 2026)"
}

// nudgee is one person's message to be: who, their local date, what.
type nudgee struct {
	who   bot.Identity
	date  string
	items []nudgeItem
}

// nudges is the sweep: it reads only the pledges in the due and stale time
// windows and the lapses still to be told, and sends each person at most
// one message a day listing every pledge it is about. A community sweep
// (the nudges job) nudges everyone on the community's time and those whose
// own time has come; a tick (every few minutes) only the latter.
func (s *Scheduler) nudges(ctx context.Context, c string, at time.Time, r *Result) error {
	return s.sweep(ctx, c, at, true, r)
}

func (s *Scheduler) sweep(ctx context.Context, c string, at time.Time, community bool, r *Result) error {
	if community {
		if reason := s.quietTime(at.In(s.Location(c))); reason != "" {
			r.Skipped = reason
			community = false
		}
	}
	// A replica that reads just before another enqueues retries with what
	// the other decided; a third loss in a row is worth an error.
	for try := 0; ; try++ {
		people, lapsed, err := s.planNudges(ctx, c, at, community, bot.Identity{})
		if err != nil {
			return err
		}
		msgs := make([]store.NudgeMessage, 0, len(people))
		for _, p := range people {
			msgs = append(msgs, s.nudgeMessage(c, p))
		}
		n, err := s.st.EnqueueNudges(ctx, c, noticeTTL, msgs)
		if errors.Is(err, store.ErrNudgeRace) && try < 2 {
			continue
		}
		if err != nil {
			return err
		}
		r.Enqueued += n
		if len(msgs) == 0 && r.Skipped == "" {
			r.Skipped = "nothing new to send: each person hears once a day, of each pledge once a period"
		}
		return s.st.Told(ctx, c, lapsed)
	}
}

// Tick nudges the people whose own nudge time (/nudges time, /nudges
// timezone) has come, then sends what waits in the outbox. Start runs it
// every tickEvery.
func (s *Scheduler) Tick(ctx context.Context, c string, at time.Time) (Result, error) {
	r := Result{Job: "nudge-tick", Community: c, At: at}
	own, err := s.st.HasOwnNudgeTimes(ctx, c)
	if err != nil || !own {
		return r, err
	}
	if err := s.sweep(ctx, c, at, false, &r); err != nil {
		return r, err
	}
	r.Sent, err = s.Drain(ctx, c)
	return r, err
}

// planNudges decides who hears about what now: per person, the pledges
// they make or own that are due soon, overdue or quiet, and the lapses of
// the businesses they own, each not yet told to them. It also returns the
// lapsed pledges that have waited long enough to leave the list. With
// only set, it plans that person's message whatever their setting and
// whether or not they had one today (/nudges shows it). community says
// whether people on the community's time are due now.
func (s *Scheduler) planNudges(ctx context.Context, c string, at time.Time, community bool, only bot.Identity) ([]nudgee, []int, error) {
	local := at.In(s.Location(c))
	n := s.cfg.Nudge
	today := day(local)
	// One day's margin each side: a person's own time zone may be a day
	// ahead of or behind the community's.
	staleTo := at.Add(-time.Duration(n.StaleDays) * 24 * time.Hour)
	cands, people, err := s.st.NudgeCandidates(ctx, c,
		today.AddDate(0, 0, -s.cfg.LapseGraceDays-1), today.AddDate(0, 0, max(n.DueSoonDays, 3)+1),
		staleTo.Add(-staleWindow), staleTo)
	if err != nil {
		return nil, nil, err
	}
	byWho := map[bot.Identity]*nudgee{}
	var order []bot.Identity
	var told []int
	for _, p := range cands {
		if p.Source == "lapsed" && p.ClosedAt.Before(at.Add(-lapseTellFor)) {
			told = append(told, p.Number)
		}
		for _, who := range recipients(p) {
			pe := people[who]
			plocal, due := s.due(c, pe.When, at, community)
			date := plocal.Format(time.DateOnly)
			if only != (bot.Identity{}) {
				if who != only {
					continue
				}
			} else if !due || !store.NudgesAllowed(pe.Pref, at) || pe.Nudged == date {
				continue
			}
			it, ok := s.classify(p, who, plocal, at)
			if !ok {
				continue
			}
			m := byWho[who]
			if m == nil {
				m = &nudgee{who: who, date: date}
				byWho[who] = m
				order = append(order, who)
			}
			m.items = append(m.items, it)
		}
	}
	out := make([]nudgee, 0, len(order))
	for _, who := range order {
		m := byWho[who]
		slices.SortStableFunc(m.items, func(a, b nudgeItem) int {
			if d := slices.Index(groupOrder, a.group) - slices.Index(groupOrder, b.group); d != 0 {
				return d
			}
			if d := a.p.Due.Compare(b.p.Due); d != 0 && a.group != groupQuiet {
				return d
			}
			return a.p.Number - b.p.Number
		})
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b nudgee) int { return strings.Compare(a.who.Key(), b.who.Key()) })
	return out, told, nil
}

// recipients are who hears about a pledge: its business's owners and its
// maker while a member, each once; of a lapse, the owners.
func recipients(p store.NudgeCandidate) []bot.Identity {
	out := slices.Clone(p.Owners)
	if p.Maker != (bot.Identity{}) && !slices.Contains(out, p.Maker) {
		out = append(out, p.Maker)
	}
	return out
}

// classify says what a pledge's item in who's message is, with local their
// wall time now; false when there is nothing to say, or it was said.
func (s *Scheduler) classify(p store.NudgeCandidate, who bot.Identity, local, at time.Time) (nudgeItem, bool) {
	n := s.cfg.Nudge
	today := day(local)
	// "Due tomorrow" covers the days until the next sweep day, so a pledge
	// due on a Sunday is nudged on the Friday before.
	tomorrow := max(n.DueTomorrowDays, s.daysToNextSweep(local))
	days := int(p.Due.Sub(today).Hours() / 24)
	it := nudgeItem{p: p}
	var what string
	switch {
	case p.Source == "lapsed":
		it.group, what = groupLapsed, fmt.Sprintf("lapsed:%d", p.ClosedAt.Unix())
		it.line = fmt.Sprintf("Lapsed: it passed its due date (%s) and no longer counts as active. "+
			"If it is still going, reopen it with a new due date: /pledge reopen %d due:YYYY-MM-DD", dateText(p.Due), p.Number)
	case p.SnoozeUntil.After(at):
		return it, false
	case p.Source == "stale":
		it.group, what = groupQuiet, fmt.Sprintf("stale:%d", p.UpdatedAt.Unix())
		quiet := today.Sub(day(p.UpdatedAt.In(local.Location()))).Hours() / 24
		it.line = fmt.Sprintf("No progress for %d days", int(quiet))
	case days < 0:
		y, w := local.ISOWeek()
		it.group, what = groupOverdue, fmt.Sprintf("overdue:%d-W%02d", y, w)
		it.line = "Was due " + dateText(p.Due)
	case days == 0:
		it.group, what, it.line = groupSoon, "tomorrow:"+p.Due.Format(time.DateOnly), "Due today"
	case days == 1:
		it.group, what, it.line = groupSoon, "tomorrow:"+p.Due.Format(time.DateOnly), "Due tomorrow ("+dateText(p.Due)+")"
	case days <= tomorrow:
		it.group, what, it.line = groupSoon, "tomorrow:"+p.Due.Format(time.DateOnly), "Due "+dateText(p.Due)
	case days <= n.DueSoonDays:
		it.group, what = groupSoon, "soon:"+p.Due.Format(time.DateOnly)
		it.line = fmt.Sprintf("Due in %d days (%s)", days, dateText(p.Due))
	default:
		return it, false
	}
	key, field := store.NudgeKey(p.Number, what, who)
	// Release 0361339 named no person (only the maker was nudged): its
	// decision stands for the period, so an upgrade nudges nobody twice.
	if p.Decided[field] || p.Decided[what] {
		return it, false
	}
	it.key = key
	return it, true
}

// dateText is the one date style of chat replies.
func dateText(t time.Time) string { return t.Format("Mon 2 Jan 2006") }

// quietTime says why no nudges may go out at a local time, "" if they may.
func (s *Scheduler) quietTime(local time.Time) string {
	if !s.cfg.Nudge.Weekends && (local.Weekday() == time.Saturday || local.Weekday() == time.Sunday) {
		return "no nudges at weekends (schedules.nudge.weekends)"
	}
	if m := local.Hour()*60 + local.Minute(); m < s.from || m >= s.to {
		return "outside nudge hours " + s.cfg.Nudge.From + "-" + s.cfg.Nudge.Until
	}
	return ""
}

func (s *Scheduler) daysToNextSweep(local time.Time) int {
	if s.cfg.Nudge.Weekends {
		return 1
	}
	switch local.Weekday() {
	case time.Friday:
		return 3
	case time.Saturday:
		return 2
	}
	return 1
}
