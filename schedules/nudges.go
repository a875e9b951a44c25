package schedules

import (
	"context"
	"fmt"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// Nudge kinds.
const (
	nudgeSoon     = "soon"
	nudgeTomorrow = "tomorrow"
	nudgeOverdue  = "overdue"
	nudgeStale    = "stale"
)

// staleWindow is how far back the stale range reaches beyond StaleDays: a
// pledge is nudged once when its quiet spell crosses the threshold, and the
// window covers sweeps skipped at weekends or while replicas were down.
const staleWindow = 7 * 24 * time.Hour

// nudges is the sweep: it reads only the pledges in the due and stale time
// windows, decides one nudge per pledge at most, and enqueues them.
func (s *Scheduler) nudges(ctx context.Context, c string, at time.Time, r *Result) error {
	local := at.In(s.Location(c))
	if reason := s.quietTime(local); reason != "" {
		r.Skipped = reason
		return nil
	}
	told, err := s.tellLapsed(ctx, c, at)
	if err != nil {
		return err
	}
	r.Enqueued += told
	run := datePeriod(JobNudges, local)
	if done, err := s.st.RunDone(ctx, c, run); err != nil || done {
		if done {
			return store.ErrRunDone
		}
		return err
	}
	n := s.cfg.Nudge
	today := day(local)
	// "Due tomorrow" covers the days until the next sweep day, so a pledge
	// due on a Sunday is nudged on the Friday before.
	tomorrow := max(n.DueTomorrowDays, s.daysToNextSweep(local))
	staleTo := at.Add(-time.Duration(n.StaleDays) * 24 * time.Hour)
	cands, err := s.st.NudgeCandidates(ctx, c,
		today.AddDate(0, 0, -s.cfg.LapseGraceDays), today.AddDate(0, 0, max(n.DueSoonDays, tomorrow)),
		staleTo.Add(-staleWindow), staleTo)
	if err != nil {
		return err
	}
	var out []store.Outgoing
	for _, p := range cands {
		if !p.OwnerOK || !store.NudgesAllowed(p.Pref, at) || p.SnoozeUntil.After(at) {
			continue
		}
		kind, key := "", ""
		days := int(p.Due.Sub(today).Hours() / 24)
		switch {
		case p.Source == "stale":
			kind, key = nudgeStale, fmt.Sprintf("nudge:%d:stale:%d", p.Number, p.UpdatedAt.Unix())
		case days < 0:
			y, w := local.ISOWeek()
			kind, key = nudgeOverdue, fmt.Sprintf("nudge:%d:overdue:%d-W%02d", p.Number, y, w)
		case days <= tomorrow:
			kind, key = nudgeTomorrow, fmt.Sprintf("nudge:%d:tomorrow:%s", p.Number, p.Due.Format(time.DateOnly))
		case days <= n.DueSoonDays:
			kind, key = nudgeSoon, fmt.Sprintf("nudge:%d:soon:%s", p.Number, p.Due.Format(time.DateOnly))
		default:
			continue
		}
		out = append(out, store.Outgoing{Key: key, Notice: bot.Notice{ID: key, Community: c,
			To:    bot.Recipient{Platform: p.Owner.Platform, Workspace: p.Owner.Workspace, User: p.Owner.User},
			Reply: nudgeReply(kind, p, days, n.StaleDays)}})
	}
	sent, err := s.st.Enqueue(ctx, c, run, runTTL, noticeTTL, out)
	r.Enqueued += sent
	return err
}

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

func nudgeReply(kind string, p store.NudgeCandidate, days, staleDays int) bot.Reply {
	due := p.Due.Format("Monday 2 January")
	var title string
	switch kind {
	case nudgeSoon:
		title = fmt.Sprintf("Pledge #%d is due in %d days (%s)", p.Number, days, due)
	case nudgeTomorrow:
		switch days {
		case 0:
			title = fmt.Sprintf("Pledge #%d is due today", p.Number)
		case 1:
			title = fmt.Sprintf("Pledge #%d is due tomorrow (%s)", p.Number, due)
		default:
			title = fmt.Sprintf("Pledge #%d is due on %s", p.Number, due)
		}
	case nudgeOverdue:
		title = fmt.Sprintf("Pledge #%d was due on %s", p.Number, due)
	case nudgeStale:
		title = fmt.Sprintf("No progress on pledge #%d for %d days", p.Number, staleDays)
	}
	return bot.Reply{
		Title: title,
		Text:  "How is it going? Log what you have done, mark it done, or snooze these reminders for a week.",
		Items: []bot.Item{{Title: fmt.Sprintf("#%d %s", p.Number, p.Text),
			Progress: &bot.Progress{Done: p.Progress, Target: p.Target, Unit: p.Unit}}},
		Actions: []bot.Action{
			{Label: "Log progress", Command: fmt.Sprintf("pledge progress %d", p.Number), Style: "primary"},
			{Label: "Mark done", Command: fmt.Sprintf("pledge done %d", p.Number)},
			{Label: "Snooze a week", Command: fmt.Sprintf("pledge snooze %d 7d", p.Number)},
		},
	}
}
