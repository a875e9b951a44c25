package main

import (
	"net/http"

	"github.com/pledgebot/pledgebot/report"
)

// mountReports serves the council report page. It needs no credentials:
// without reports.secret each community's link secret lives in Redis.
func (a *app) mountReports(mux *http.ServeMux) {
	mux.Handle("GET /reports/{community}", report.Handler(a.bot, a.log))
	// A partner outside the chat confirms progress through a signed link.
	confirm := report.ConfirmHandler(a.bot, a.log)
	mux.Handle("GET /confirm/{community}", confirm)
	mux.Handle("POST /confirm/{community}", confirm)
}
