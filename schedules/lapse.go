package schedules

import (
	"context"
	"time"
)

// lapse marks active pledges more than LapseGraceDays past due as lapsed.
// Their owners hear in their next nudge message (the nudge sweep reads
// the lapses still to be told), so a lapse never adds a message of its
// own. Lapsing is idempotent by itself (a lapsed pledge leaves the due
// index), so concurrent runs are harmless.
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
	_, err = s.st.Enqueue(ctx, c, datePeriod(JobLapse, local), runTTL, noticeTTL, nil)
	return err
}
