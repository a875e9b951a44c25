// Package metrics exposes Pledgebot's Prometheus metrics on a registry of
// its own (nothing leaks in from other libraries' default registrations).
//
// The core (package bot) never imports this package: it reports through
// bot.Options.Observe and ObserveSend, which Command and Delivery below
// implement. Adapters and schedules call the small functions in this file
// directly:
//
//	metrics.Transport("slack", next, isSend) // wraps an API client: counts sends and 429s
//	metrics.Sent("slack", "ok")          // one platform API call that posts a message
//	metrics.RateLimited("discord")       // the platform answered 429
//	metrics.ScheduleRun("digest", lag)   // a scheduled job started, lag after its due time
//	metrics.ScheduleFailed("digest")     // a scheduled job ended in error
//	metrics.SlackInstallations(count)    // pledgebot_slack_installations from the store at each scrape
//
// Label values must come from small fixed sets (platform names, job names,
// the outcome words documented on each function), never from user input,
// so the number of series stays bounded.
package metrics

import (
	"net/http"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every Pledgebot metric plus the Go runtime and process
// collectors. It is built by newRegistry from the lists below and in
// transport.go, so everything it holds is named in one place.
var Registry = newRegistry()

var (
	commands = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pledgebot_commands_total",
		Help: "Commands handled, by command, subcommand and outcome (ok, invalid, not_found, forbidden, conflict, unavailable, internal, panic).",
	}, []string{"command", "sub", "outcome"})
	commandSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "pledgebot_command_duration_seconds",
		Help:    "Time to handle a command, from the adapter handing it over to the reply being ready.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"command"})
	deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pledgebot_deliveries_total",
		Help: "Notices (nudges, digests) passed to bot.Deliver, by platform and outcome (ok, no_adapter, held, or an error code).",
	}, []string{"platform", "outcome"})
	sends = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pledgebot_sends_total",
		Help: "Outbound platform API calls that post a message (replies, notices, digest parts), by platform and outcome.",
	}, []string{"platform", "outcome"})
	rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pledgebot_rate_limited_total",
		Help: "HTTP 429 answers from a chat platform, by platform.",
	}, []string{"platform"})
	redisErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pledgebot_redis_errors_total",
		Help: "Redis commands that failed (connection lost, timeout, server error), by Redis command name. Script refusals and missing keys are not errors.",
	}, []string{"cmd"})
	scheduleRuns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pledgebot_schedule_runs_total",
		Help: "Scheduled job runs started, by job.",
	}, []string{"job"})
	scheduleFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pledgebot_schedule_failures_total",
		Help: "Scheduled job runs that ended in error, by job.",
	}, []string{"job"})
	scheduleLag = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "pledgebot_schedule_lag_seconds",
		Help:    "How late a scheduled job started after its due time.",
		Buckets: []float64{.01, .1, .5, 1, 5, 15, 60, 300, 900, 3600},
	}, []string{"job"})
	buildInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "pledgebot_build_info",
		Help: "Always 1; labels say which build is running.",
	}, []string{"version", "commit"})
)

func newRegistry() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(commands, commandSeconds, deliveries, sends, rateLimited, redisErrors,
		scheduleRuns, scheduleFailures, scheduleLag, buildInfo,
		transportUp, transportReconnects, ackFailures, slackInstalls,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// Handler serves the registry in the Prometheus text format (GET /metrics).
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}

// Command counts one handled command; pass it as bot.Options.Observe.
func Command(e bot.CommandEvent) {
	commands.WithLabelValues(e.Command, e.Sub, e.Outcome).Inc()
	commandSeconds.WithLabelValues(e.Command).Observe(e.Duration.Seconds())
}

// Delivery counts one bot.Deliver call; pass it as bot.Options.ObserveSend.
func Delivery(e bot.SendEvent) {
	deliveries.WithLabelValues(platformLabel(string(e.Platform)), e.Outcome).Inc()
}

// Sent counts one outbound request that posts or edits a message.
// platform is "slack", "discord" or "console"; outcome is "ok", "error" or
// "rate_limited" (answered 429). Clients wrapped with Transport are
// counted already; call Sent only for sends made another way.
func Sent(platform, outcome string) {
	sends.WithLabelValues(platformLabel(platform), outcome).Inc()
}

// RateLimited counts one 429 answer from a platform.
func RateLimited(platform string) {
	rateLimited.WithLabelValues(platformLabel(platform)).Inc()
}

// ScheduleRun counts one start of a scheduled job; lag is how long after
// its due time it started (0 or negative counts as 0).
func ScheduleRun(job string, lag time.Duration) {
	scheduleRuns.WithLabelValues(job).Inc()
	scheduleLag.WithLabelValues(job).Observe(max(lag, 0).Seconds())
}

// ScheduleFailed counts a scheduled job run that ended in error.
func ScheduleFailed(job string) {
	scheduleFailures.WithLabelValues(job).Inc()
}

// RedisError counts one failed Redis command by its name ("evalsha").
func RedisError(cmd string) {
	redisErrors.WithLabelValues(cmd).Inc()
}

// SetBuild records the running build in pledgebot_build_info.
func SetBuild(version, commit string) {
	buildInfo.Reset()
	buildInfo.WithLabelValues(version, commit).Set(1)
}

// platformLabel keeps the platform label to the known platforms.
func platformLabel(p string) string {
	switch bot.Platform(p) {
	case bot.Slack, bot.Discord, bot.Console:
		return p
	}
	return "other"
}
