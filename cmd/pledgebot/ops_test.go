package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/metrics"
	"github.com/pledgebot/pledgebot/supervise"
)

// serveApp runs a.serve in the background and returns its base URL and a
// func that stops it and returns serve's error.
func serveApp(t *testing.T, a *app) (base string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- a.serve(ctx, ready) }()
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-errc:
		cancel()
		t.Fatalf("serve: %v", err)
	}
	var once bool
	var err error
	stop = func() error {
		if !once {
			once = true
			cancel()
			err = <-errc
		}
		return err
	}
	t.Cleanup(func() { stop() })
	return base, stop
}

func openTestApp(t *testing.T, yaml string, logs *syncBuffer) *app {
	t.Helper()
	cfg, err := config.Load(writeConfig(t, yaml))
	if err != nil {
		t.Fatal(err)
	}
	a, err := openApp(context.Background(), cfg, logs, slog.LevelInfo, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a
}

func handle(a *app, user, line string) bot.Reply {
	name, rest, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	return a.bot.Handle(context.Background(), bot.Request{From: console.Identity(user), Command: name, Text: rest})
}

type readyBody struct {
	Status     string                      `json:"status"`
	Checks     map[string]string           `json:"checks"`
	Failed     []string                    `json:"failed"`
	Transports map[string]supervise.Status `json:"transports"`
	Info       map[string]string           `json:"info"`
}

func readyz(t *testing.T, base string) (int, readyBody) {
	t.Helper()
	code, body := get(t, base+"/readyz")
	var rb readyBody
	if err := json.Unmarshal([]byte(body), &rb); err != nil {
		t.Fatalf("/readyz body is not JSON: %q", body)
	}
	return code, rb
}

// TestReadinessFollowsRedis stops the bot's Redis under it: /healthz stays
// 200, /readyz turns 503 naming redis, commands are refused as unavailable
// and counted, and once Redis is back /readyz recovers without a restart
// of the bot.
func TestReadinessFollowsRedis(t *testing.T) {
	clearEnv(t)
	r := startRedis(t)
	var logs syncBuffer
	a := openTestApp(t, "redis: {url: \""+r.URL()+"\", prefix: opstest}\nserver: {addr: \"127.0.0.1:0\"}\n", &logs)
	if !strings.Contains(logs.String(), "Redis persistence is off") {
		t.Errorf("no start-up warning about Redis persistence being off:\n%s", logs.String())
	}
	base, stop := serveApp(t, a)

	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz: %d %q", code, body)
	}
	if code, rb := readyz(t, base); code != 200 || rb.Status != "ready" || rb.Checks["redis"] != "ok" {
		t.Fatalf("/readyz with Redis up: %d %+v", code, rb)
	}
	if reply := handle(a, "ann", "/business register Acme Ltd"); reply.Err != nil {
		t.Fatalf("register: %s", reply.Err.Message)
	}

	before := scrape(t, base)
	r.stop()
	code, rb := readyz(t, base)
	if code != http.StatusServiceUnavailable || rb.Status != "not ready" || len(rb.Failed) != 1 || rb.Failed[0] != "redis" || rb.Checks["redis"] == "ok" {
		t.Fatalf("/readyz with Redis stopped: %d %+v", code, rb)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("/healthz with Redis stopped: %d (the process is alive)", code)
	}
	if reply := handle(a, "ann", "/pledge list"); reply.Err == nil || reply.Err.Code != bot.Unavailable {
		t.Fatalf("command with Redis stopped: %+v", reply)
	}
	after := scrape(t, base)
	if after[`pledgebot_commands_total{command="pledge",outcome="unavailable",sub="list"}`] != before[`pledgebot_commands_total{command="pledge",outcome="unavailable",sub="list"}`]+1 {
		t.Errorf("unavailable command not counted")
	}
	if sumPrefix(after, "pledgebot_redis_errors_total") <= sumPrefix(before, "pledgebot_redis_errors_total") {
		t.Errorf("Redis errors not counted")
	}

	r.start()
	waitFor(t, "/readyz to recover", func() bool { code, _ := readyz(t, base); return code == 200 })
	if reply := handle(a, "ann", "/pledge list"); reply.Err != nil {
		t.Fatalf("command after Redis came back: %s", reply.Err.Message)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
}

func sumPrefix(m map[string]float64, prefix string) float64 {
	var n float64
	for k, v := range m {
		if strings.HasPrefix(k, prefix) {
			n += v
		}
	}
	return n
}

// TestPersistenceWarning checks the start-up warning both ways on a real
// server: off, snapshots only, and append-only on.
func TestPersistenceWarning(t *testing.T) {
	r := startRedis(t)
	rdb := redisClient(t, r)
	ctx := context.Background()
	if w := persistenceWarning(ctx, rdb); !strings.Contains(w, "persistence is off") {
		t.Errorf("save \"\" appendonly no: %q", w)
	}
	rdb.ConfigSet(ctx, "save", "3600 1")
	if w := persistenceWarning(ctx, rdb); !strings.Contains(w, "append-only file is off") {
		t.Errorf("snapshots only: %q", w)
	}
	if err := rdb.ConfigSet(ctx, "appendonly", "yes").Err(); err != nil {
		t.Fatal(err)
	}
	if w := persistenceWarning(ctx, rdb); w != "" {
		t.Errorf("appendonly yes: %q", w)
	}
	// Turning the append-only file on starts a rewrite in a child process
	// that writes into the server's temporary folder: let it finish, or
	// the folder's removal races it (the test failed so at times).
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		info := rdb.Info(ctx, "persistence").Val()
		if strings.Contains(info, "aof_rewrite_in_progress:0") && strings.Contains(info, "aof_rewrite_scheduled:0") {
			break
		}
	}
	rdb.ConfigSet(ctx, "appendonly", "no")
}

// Each transport is one check: "ok" when up, else its state and reason;
// the body gives the state, reason and since when of each.
func TestReadinessTransports(t *testing.T) {
	var r readiness
	since := time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC)
	states := map[string]supervise.Status{
		"slack-socket":    {State: supervise.Connecting, Since: since},
		"discord-gateway": {State: supervise.Up, Since: since},
	}
	r.Transports(func() map[string]supervise.Status { return states })
	r.Check("redis", func(context.Context) error { return nil })
	if st, _, ok := r.Status(context.Background()); ok || st["slack-socket"] != "connecting" || st["discord-gateway"] != "ok" {
		t.Fatalf("one transport connecting: %v %v", st, ok)
	}
	states["slack-socket"] = supervise.Status{State: supervise.Up, Since: since}
	if st, _, ok := r.Status(context.Background()); !ok || st["redis"] != "ok" {
		t.Fatalf("all up: %v %v", st, ok)
	}
	states["discord-gateway"] = supervise.Status{State: supervise.Failed, Reason: "authentication failed (close code 4004)", Since: since}
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	want := `{"status":"not ready","checks":{"discord-gateway":"failed: authentication failed (close code 4004)","redis":"ok","slack-socket":"ok"},` +
		`"failed":["discord-gateway"],"transports":{"discord-gateway":{"state":"failed","reason":"authentication failed (close code 4004)","since":"2026-12-05T07:00:00Z"},` +
		`"slack-socket":{"state":"up","since":"2026-12-05T07:00:00Z"}}}`
	if rec.Code != 503 || strings.TrimSpace(rec.Body.String()) != want {
		t.Fatalf("/readyz: %d\n%s\nwant\n%s", rec.Code, rec.Body.String(), want)
	}
}

// TestMetricsAfterCommands runs commands and reads them back from /metrics.
func TestMetricsAfterCommands(t *testing.T) {
	clearEnv(t)
	var logs syncBuffer
	a := openTestApp(t, "server: {addr: \"127.0.0.1:0\"}\n", &logs)
	base, stop := serveApp(t, a)
	before := scrape(t, base)
	handle(a, "ann", "/business register Acme")
	handle(a, "ann", `/pledge add "Hire two" theme:apprenticeships target:2`)
	handle(a, "ann", `/pledge add "Bad" theme:nosuch target:2`)
	handle(a, "ann", "/nosuchcommand")
	a.bot.Deliver(context.Background(), bot.Notice{To: bot.Recipient{Platform: bot.Slack}})
	after := scrape(t, base)
	for series, delta := range map[string]float64{
		`pledgebot_commands_total{command="business",outcome="ok",sub="register"}`: 1,
		`pledgebot_commands_total{command="pledge",outcome="ok",sub="add"}`:        1,
		`pledgebot_commands_total{command="pledge",outcome="invalid",sub="add"}`:   1,
		`pledgebot_commands_total{command="unknown",outcome="not_found",sub=""}`:   1,
		`pledgebot_command_duration_seconds_count{command="pledge"}`:               2,
		`pledgebot_deliveries_total{outcome="no_adapter",platform="slack"}`:        1,
	} {
		if got := after[series] - before[series]; got != delta {
			t.Errorf("%s went up by %v, want %v", series, got, delta)
		}
	}
	if after[`pledgebot_build_info{commit="unknown",version="dev"}`] != 1 {
		t.Errorf("no pledgebot_build_info")
	}
	if strings.Contains(logs.String(), "Hire two") {
		t.Errorf("message text reached the info log:\n%s", logs.String())
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// TestServeBadConfig: a bad file stops start-up with the field named and
// nothing served.
func TestServeBadConfig(t *testing.T) {
	clearEnv(t)
	path := writeConfig(t, "server: {addr: \"127.0.0.1:0\"}\nschedules: {timezone: Mars/Olympus}\nlog: {levl: debug}\n")
	var stdout, stderr syncBuffer
	code := run(context.Background(), []string{"serve", "--config", path}, strings.NewReader(""), &stdout, &stderr)
	if code == 0 {
		t.Fatalf("exit 0 with a bad config")
	}
	if !strings.Contains(stderr.String(), `unknown field "levl" in log`) {
		t.Errorf("stderr does not name the bad field:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "serving") {
		t.Errorf("started serving with a bad config:\n%s", stderr.String())
	}
	path = writeConfig(t, "server: {addr: \"127.0.0.1:0\"}\nschedules: {timezone: Mars/Olympus}\n")
	code = run(context.Background(), []string{"serve", "--config", path}, strings.NewReader(""), &stdout, &stderr)
	if code == 0 || !strings.Contains(stderr.String(), "schedules.timezone") {
		t.Errorf("bad timezone: exit %d:\n%s", code, stderr.String())
	}
}

func TestVersion(t *testing.T) {
	var out, errb syncBuffer
	if code := run(context.Background(), []string{"version"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(out.String(), "pledgebot dev (commit ") {
		t.Fatalf("version: %q", out.String())
	}
}

func TestDiscordSendRequests(t *testing.T) {
	for _, tt := range []struct {
		method, path string
		want         bool
	}{
		{"POST", "/api/v10/channels/1/messages", true},
		{"POST", "/api/v10/interactions/1/tok/callback", true},
		{"POST", "/api/v10/webhooks/1/tok", true},
		{"PATCH", "/api/v10/webhooks/1/tok/messages/@original", true},
		{"POST", "/api/v10/users/@me/channels", false},
		{"PUT", "/api/v10/applications/1/commands", false},
		{"GET", "/api/v10/channels/1/messages", false},
		{"GET", "/api/v10/gateway/bot", false},
	} {
		r, _ := http.NewRequest(tt.method, "https://discord.com"+tt.path, nil)
		if got := discordSend(r); got != tt.want {
			t.Errorf("%s %s: send %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestSlackSendRequests(t *testing.T) {
	for _, tt := range []struct {
		method, url string
		want        bool
	}{
		{"POST", "https://slack.com/api/chat.postMessage", true},
		{"POST", "https://slack.com/api/chat.postEphemeral", true},
		{"POST", "https://slack.com/api/chat.update", true},
		{"POST", "https://hooks.slack.com/commands/T1/123/abc", true},
		{"POST", "https://hooks.slack.com/actions/T1/123/abc", true},
		{"POST", "https://slack.com/api/views.publish", false},
		{"POST", "https://slack.com/api/conversations.open", false},
		{"GET", "https://slack.com/api/chat.postMessage", false},
	} {
		r, _ := http.NewRequest(tt.method, tt.url, nil)
		if got := slackSend(r); got != tt.want {
			t.Errorf("%s %s: send %v, want %v", tt.method, tt.url, got, tt.want)
		}
	}
}

// Slack's traffic counts in the same metrics as Discord's.
func TestSlackClientIsCounted(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	count := func(name string, labels map[string]string) float64 {
		mfs, err := metrics.Registry.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() != name {
				continue
			}
			for _, m := range mf.GetMetric() {
				match := true
				for _, l := range m.GetLabel() {
					if v, ok := labels[l.GetName()]; ok && v != l.GetValue() {
						match = false
					}
				}
				if match {
					return m.GetCounter().GetValue()
				}
			}
		}
		return 0
	}
	ok0 := count("pledgebot_sends_total", map[string]string{"platform": "slack", "outcome": "ok"})
	limited0 := count("pledgebot_rate_limited_total", map[string]string{"platform": "slack"})
	c := slackHTTPClient()
	for _, s := range []int{http.StatusOK, http.StatusTooManyRequests} {
		status = s
		resp, err := c.Post(srv.URL+"/api/chat.postMessage", "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got := count("pledgebot_sends_total", map[string]string{"platform": "slack", "outcome": "ok"}) - ok0; got != 1 {
		t.Errorf("slack sends ok counted %v, want 1", got)
	}
	if got := count("pledgebot_rate_limited_total", map[string]string{"platform": "slack"}) - limited0; got != 1 {
		t.Errorf("slack 429s counted %v, want 1", got)
	}
}
