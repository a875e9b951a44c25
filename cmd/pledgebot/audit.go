package main

import (
	"context"
	"time"
)

// auditTrimEvery is how often serve trims the audit trail; retention is
// counted in days, so an hour is fine-grained enough.
const auditTrimEvery = time.Hour

// auditTrim is serve's task that trims every community's audit list to
// audit.retention, at start and then hourly, or nil when audit.retention
// is unset. Every replica may do it: trimming to a time is idempotent.
func (a *app) auditTrim() func(context.Context) error {
	keep := a.cfg.Audit.Retention
	if keep == 0 {
		return nil
	}
	return func(ctx context.Context) error {
		tick := time.NewTicker(auditTrimEvery)
		defer tick.Stop()
		for {
			trimAudits(ctx, a, time.Now().Add(-keep))
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	}
}

// trimAudits drops audit entries older than before in every community and
// returns how many communities it trimmed.
func trimAudits(ctx context.Context, a *app, before time.Time) int {
	cs, err := a.sched.Communities(ctx)
	if err != nil {
		a.log.Warn("audit trim: could not list communities", "err", err)
		return 0
	}
	n := 0
	for _, c := range cs {
		if err := a.store.TrimAudit(ctx, c, before); err != nil {
			a.log.Warn("audit trim failed", "community", c, "err", err)
			continue
		}
		n++
	}
	return n
}
