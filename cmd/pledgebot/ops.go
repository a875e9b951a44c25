package main

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/metrics"
	"github.com/pledgebot/pledgebot/supervise"
	"github.com/redis/go-redis/v9"
)

// mountOps adds the operator endpoints: /readyz (Redis reachable and
// every transport up; see docs/readyz.md) and /metrics (Prometheus).
// /healthz, which only says the process is alive, is in serve.go.
func (a *app) mountOps(mux *http.ServeMux, transports *supervise.Supervisor) {
	a.ready.Check("redis", a.store.Ping)
	a.ready.Transports(transports.Status)
	if a.cfg.Slack.Distributed() {
		a.ready.Info("slack-installations", a.slackInstallsLine)
		metrics.SlackInstallations(a.store.CountSlackInstalls)
	}
	mux.Handle("GET /readyz", &a.ready)
	mux.Handle("GET /metrics", metrics.Handler())
	v, commit := buildVersion()
	metrics.SetBuild(v, commit)
}

// persistenceWarning says what a restart of Redis would lose, or "" when
// Redis keeps its data (append-only file on). It asks CONFIG GET first and
// falls back to INFO persistence where CONFIG is disabled (managed Redis
// services often rename it).
func persistenceWarning(ctx context.Context, rdb redis.UniversalClient) string {
	cfg, err := rdb.ConfigGet(ctx, "appendonly").Result()
	if err == nil {
		if cfg["appendonly"] == "yes" {
			return ""
		}
		save, _ := rdb.ConfigGet(ctx, "save").Result()
		if strings.TrimSpace(save["save"]) == "" {
			return "Redis persistence is off (appendonly no, no save points): every pledge is lost when Redis restarts. Set appendonly yes."
		}
		return "Redis append-only file is off: changes since the last snapshot are lost if Redis stops suddenly. Set appendonly yes."
	}
	info, err := rdb.Info(ctx, "persistence").Result()
	if err != nil {
		return "" // cannot tell; the store works, so do not cry wolf
	}
	if strings.Contains(info, "aof_enabled:1") {
		return ""
	}
	return "Redis append-only file looks off (INFO persistence: aof_enabled:0) and CONFIG is disabled, so save points could not be checked: data may be lost when Redis restarts. Set appendonly yes."
}

// discordSend tells which Discord API requests post or edit a message
// (channel messages, interaction callbacks, webhook follow-ups), for
// pledgebot_sends_total.
// slackSend says whether a Slack request posts or edits a message: the
// Web API's chat methods, and posts to a response_url (whose path starts
// /commands/ or /actions/).
func slackSend(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	p := r.URL.Path
	for _, m := range []string{"/chat.postMessage", "/chat.postEphemeral", "/chat.update"} {
		if strings.HasSuffix(p, m) {
			return true
		}
	}
	return strings.HasPrefix(p, "/commands/") || strings.HasPrefix(p, "/actions/")
}

// slackHTTPClient is the Slack adapter's client for the Web API and
// response_url posts, counted in pledgebot_sends_total and
// pledgebot_rate_limited_total like Discord's.
func slackHTTPClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: metrics.Transport("slack", nil, slackSend)}
}

func discordSend(r *http.Request) bool {
	if r.Method != http.MethodPost && r.Method != http.MethodPatch {
		return false
	}
	p := r.URL.Path
	return strings.Contains(p, "/messages") || strings.HasSuffix(p, "/callback") || strings.Contains(p, "/webhooks/")
}
