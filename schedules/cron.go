package schedules

import (
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule is a job's cron schedule in a community's time zone. The zone
// goes in as CRON_TZ, so cron computes each firing in local wall time: a
// Monday 09:00 digest fires at 09:00 on both sides of a clock change.
func (s *Scheduler) Schedule(job, community string) (cron.Schedule, error) {
	return cron.ParseStandard("CRON_TZ=" + s.tzName(community) + " " + s.specs[job])
}

// catchUpLookback is how far back a restarted replica looks for a missed
// firing of each job: last week's digest is still worth sending late, a
// nudge sweep or lapse check only the same day.
var catchUpLookback = map[string]time.Duration{
	JobDigest: 7 * 24 * time.Hour,
	JobNudges: 24 * time.Hour,
	JobLapse:  24 * time.Hour,
	JobNeeds:  24 * time.Hour,
}

// lastFire is the latest firing of sched in (now-lookback, now], or zero.
func lastFire(sched cron.Schedule, now time.Time, lookback time.Duration) time.Time {
	var last time.Time
	for t, i := now.Add(-lookback), 0; i < 100000; i++ {
		next := sched.Next(t)
		if next.IsZero() || next.After(now) {
			break
		}
		last, t = next, next
	}
	return last
}

// CatchUp runs, for every community, each job's latest firing that no
// replica has run yet, as if at that time: a replica that was down sends
// last week's digest once, late. Nudges are only caught up while nudges may
// go out now.
func (s *Scheduler) CatchUp(ctx context.Context) ([]Result, error) {
	now := s.now()
	cs, err := s.Communities(ctx)
	if err != nil {
		return nil, err
	}
	var out []Result
	for _, c := range cs {
		for _, job := range Jobs {
			sched, err := s.Schedule(job, c)
			if err != nil {
				return out, err
			}
			at := lastFire(sched, now, catchUpLookback[job])
			if at.IsZero() || (job == JobNudges && s.quietTime(now.In(s.Location(c))) != "") {
				continue
			}
			r, err := s.Run(ctx, job, c, at)
			if err != nil {
				s.log.Error("catch-up failed", "job", job, "community", c, "err", err)
				continue
			}
			if r.Skipped == "" {
				s.log.Info("caught up a missed run", "result", r.String())
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// drainEvery is how often a serving replica sends what others left behind.
const drainEvery = 30 * time.Second

// Start runs the cron scheduler until ctx ends: one entry per job and time
// zone, each running the job for that zone's communities. Overlapping runs
// of an entry are skipped. It first catches up missed runs, drains the
// outboxes every drainEvery, and nudges people on their own time every
// tickEvery.
func (s *Scheduler) Start(ctx context.Context) error {
	logger := cronLogger{s.log}
	cr := cron.New(cron.WithLocation(s.def), cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	zones := map[string]bool{s.cfg.Timezone: true}
	for _, tz := range s.cfg.Timezones {
		zones[tz] = true
	}
	for tz := range zones {
		for _, job := range Jobs {
			if _, err := cr.AddFunc("CRON_TZ="+tz+" "+s.specs[job], func() { s.fire(ctx, job, tz) }); err != nil {
				return err
			}
		}
	}
	if _, err := s.CatchUp(ctx); err != nil {
		s.log.Error("catch-up failed", "err", err)
	}
	cr.Start()
	defer func() { <-cr.Stop().Done() }()
	tick := time.NewTicker(drainEvery)
	defer tick.Stop()
	own := time.NewTicker(tickEvery)
	defer own.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			s.drainAll(ctx)
		case <-own.C:
			s.tickAll(ctx)
		}
	}
}

// tickAll nudges, in every community, the people whose own time has come.
func (s *Scheduler) tickAll(ctx context.Context) {
	cs, err := s.Communities(ctx)
	if err != nil {
		s.log.Error("nudge tick: listing communities failed", "err", err)
		return
	}
	for _, c := range cs {
		if r, err := s.Tick(ctx, c, s.now()); err != nil {
			s.log.Error("nudge tick failed", "community", c, "err", err)
		} else if r.Enqueued > 0 {
			s.log.Info("nudge tick", "result", r.String())
		}
	}
}

// fire runs a job for every community in time zone tz.
func (s *Scheduler) fire(ctx context.Context, job, tz string) {
	at := s.now()
	cs, err := s.Communities(ctx)
	if err != nil {
		s.log.Error("scheduled job: listing communities failed", "job", job, "err", err)
		return
	}
	for _, c := range cs {
		if s.tzName(c) != tz {
			continue
		}
		r, err := s.Run(ctx, job, c, at)
		if err != nil {
			s.log.Error("scheduled job failed", "job", job, "community", c, "err", err)
			continue
		}
		s.log.Info("scheduled job", "result", r.String())
	}
}

func (s *Scheduler) drainAll(ctx context.Context) {
	cs, err := s.Communities(ctx)
	if err != nil {
		s.log.Error("drain: listing communities failed", "err", err)
		return
	}
	for _, c := range cs {
		if n, err := s.Drain(ctx, c); err != nil {
			s.log.Error("drain failed", "community", c, "err", err)
		} else if n > 0 {
			s.log.Info("sent pending notices", "community", c, "count", n)
		}
	}
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
