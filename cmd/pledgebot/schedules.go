package main

import (
	"context"
	"net/http"
)

func init() { mounts = append(mounts, mountSchedules) }

// mountSchedules runs the cron scheduler (nudges, digest, lapse) inside
// `pledgebot serve`. Every replica runs it; the jobs' exactly-once keys
// make sure each notice goes out once.
func mountSchedules(ctx context.Context, a *app, mux *http.ServeMux) (func(ctx context.Context) error, error) {
	return a.sched.Start, nil
}
