package main

import (
	"context"
	"net/http"

	"github.com/pledgebot/pledgebot/report"
)

func init() { mounts = append(mounts, mountReports) }

// mountReports serves the council report page. It needs no credentials:
// without reports.secret each community's link secret lives in Redis.
func mountReports(ctx context.Context, a *app, mux *http.ServeMux) (func(context.Context) error, error) {
	mux.Handle("GET /reports/{community}", report.Handler(a.bot, a.log))
	return nil, nil
}
