package main

import (
	"context"
	"net/http"
	"time"
)

func init() { mounts = append(mounts, mountAuditTrim) }

// auditTrimEvery is how often serve trims the audit trail; retention is
// counted in days, so an hour is fine-grained enough.
const auditTrimEvery = time.Hour

// mountAuditTrim trims every community's audit stream to audit.retention,
// at start and then hourly. Every replica may do it: trimming to a time is
// idempotent.
func mountAuditTrim(ctx context.Context, a *app, mux *http.ServeMux) (func(context.Context) error, error) {
	keep := a.cfg.Audit.Retention
	if keep == 0 {
		return nil, nil
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
	}, nil
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
