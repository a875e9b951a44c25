package schedules

import (
	"context"
	"fmt"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// lapse marks active pledges more than LapseGraceDays past due as lapsed,
// and tells each lapsed pledge's business owners (honouring their nudge
// settings and nudge hours). Lapsing is idempotent by itself (a lapsed pledge leaves the
// due index), so concurrent runs are harmless; a pledge stays to be told
// until its notices are in the outbox, each once by its key.
func (s *Scheduler) lapse(ctx context.Context, c string, at time.Time, r *Result) error {
	local := at.In(s.Location(c))
	cutoff := day(local).AddDate(0, 0, -s.cfg.LapseGraceDays)
	ns, err := s.st.LapseDue(ctx, c, cutoff, at)
	r.Lapsed = len(ns)
	if err != nil {
		return err
	}
	if len(ns) > 0 {
		s.log.Info("pledges lapsed", "community", c, "count", len(ns), "due_before", cutoff.Format(time.DateOnly))
	}
	// Owners are told within nudge hours: here when the lapse check runs
	// in them, else by the next nudge sweep.
	if s.quietTime(local) == "" {
		if r.Enqueued, err = s.tellLapsed(ctx, c, at); err != nil {
			return err
		}
	}
	_, err = s.st.Enqueue(ctx, c, datePeriod(JobLapse, local), runTTL, noticeTTL, nil)
	return err
}

// tellLapsed tells the owners of every lapsed pledge not yet told, this
// run's and any an earlier run lapsed but failed to tell: each notice's
// key (pledge, when it lapsed, owner) makes a retry send it once.
func (s *Scheduler) tellLapsed(ctx context.Context, c string, at time.Time) (int, error) {
	ns, err := s.st.UntoldLapses(ctx, c)
	if err != nil || len(ns) == 0 {
		return 0, err
	}
	lapsed, err := s.st.LapsedOwners(ctx, c, ns)
	if err != nil {
		return 0, err
	}
	var out []store.Outgoing
	for _, p := range lapsed {
		for _, o := range p.Owners {
			if !store.NudgesAllowed(o.Pref, at) {
				continue
			}
			key := fmt.Sprintf("lapsed:%d:%d:%s", p.Number, p.ClosedAt.Unix(), o.Who.Key())
			out = append(out, store.Outgoing{Key: key, Notice: bot.Notice{ID: key, Community: c,
				To: bot.Recipient{Platform: o.Who.Platform, Workspace: o.Who.Workspace, User: o.Who.User},
				Reply: bot.Reply{
					Title: fmt.Sprintf("Pledge #%d has lapsed", p.Number),
					Text: fmt.Sprintf("It passed its due date and no longer counts as active. If it is still going, "+
						"reopen it with a new due date: /pledge reopen %d due:YYYY-MM-DD", p.Number),
					Items: []bot.Item{{Title: fmt.Sprintf("#%d %s", p.Number, p.Text)}},
				}}})
		}
	}
	n, err := s.st.Enqueue(ctx, c, "", 0, noticeTTL, out)
	if err != nil {
		return n, err
	}
	return n, s.st.Told(ctx, c, ns)
}
