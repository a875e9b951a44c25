package metrics

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"
)

func TestFunctionsCount(t *testing.T) {
	before := testutil.ToFloat64(commands.WithLabelValues("pledge", "add", "ok"))
	Command(bot.CommandEvent{Command: "pledge", Sub: "add", Outcome: "ok", Duration: 3 * time.Millisecond})
	if got := testutil.ToFloat64(commands.WithLabelValues("pledge", "add", "ok")); got != before+1 {
		t.Fatalf("commands: %v, want %v", got, before+1)
	}
	Sent("slack", "ok")
	Sent("myspace", "ok") // unknown platforms share one series
	RateLimited("discord")
	ScheduleRun("digest", 2*time.Second)
	ScheduleRun("digest", -time.Second)
	ScheduleFailed("digest")
	Delivery(bot.SendEvent{Platform: bot.Slack, Outcome: "ok"})
	SetBuild("v1.2.3", "abc")
	for _, c := range []struct {
		name string
		got  prometheus.Collector
		want float64
	}{
		{"sends slack ok", sends.WithLabelValues("slack", "ok"), 1},
		{"sends other ok", sends.WithLabelValues("other", "ok"), 1},
		{"rate limited discord", rateLimited.WithLabelValues("discord"), 1},
		{"schedule runs", scheduleRuns.WithLabelValues("digest"), 2},
		{"schedule failures", scheduleFailures.WithLabelValues("digest"), 1},
		{"deliveries slack ok", deliveries.WithLabelValues("slack", "ok"), 1},
	} {
		if got := testutil.ToFloat64(c.got); got != c.want {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	// The handler serves every Pledgebot family.
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, name := range []string{"pledgebot_commands_total", "pledgebot_command_duration_seconds_bucket",
		"pledgebot_sends_total", "pledgebot_rate_limited_total", "pledgebot_schedule_runs_total",
		"pledgebot_schedule_lag_seconds_bucket", "pledgebot_schedule_failures_total", "pledgebot_deliveries_total",
		`pledgebot_build_info{commit="abc",version="v1.2.3"} 1`, "go_goroutines"} {
		if !strings.Contains(string(body), name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}

func TestRedisHookCountsFailuresOnly(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{redis.Nil, false},
		{context.Canceled, false},
		{errors.New("PB not_found pledge"), false},
		{errors.New("NOSCRIPT No matching script"), false},
		{errors.New("WRONGTYPE Operation against a key holding the wrong kind of value"), true},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
	} {
		if got := redisFailure(tt.err); got != tt.want {
			t.Errorf("redisFailure(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
	// A real client against a closed port counts its failed command.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
	defer rdb.Close()
	rdb.AddHook(RedisHook{})
	before := testutil.ToFloat64(redisErrors.WithLabelValues("ping"))
	if err := rdb.Ping(context.Background()).Err(); err == nil {
		t.Fatal("ping to a closed port succeeded")
	}
	if got := testutil.ToFloat64(redisErrors.WithLabelValues("ping")); got != before+1 {
		t.Fatalf("redis errors: %v, want %v", got, before+1)
	}
	pipe := rdb.Pipeline()
	pipe.Get(context.Background(), "a")
	pipe.Exec(context.Background())
	if got := testutil.ToFloat64(redisErrors.WithLabelValues("get")); got < 1 {
		t.Fatalf("pipeline failure not counted")
	}
}

func TestTransportCounts(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
	defer srv.Close()
	isSend := func(r *http.Request) bool { return r.Method == http.MethodPost }
	c := &http.Client{Transport: Transport("discord", nil, isSend)}
	ok0 := testutil.ToFloat64(sends.WithLabelValues("discord", "ok"))
	rl0 := testutil.ToFloat64(sends.WithLabelValues("discord", "rate_limited"))
	err0 := testutil.ToFloat64(sends.WithLabelValues("discord", "error"))
	limited0 := testutil.ToFloat64(rateLimited.WithLabelValues("discord"))
	do := func(method string) {
		req, _ := http.NewRequest(method, srv.URL, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	do("POST")
	do("GET") // not a send
	status = http.StatusTooManyRequests
	do("POST")
	do("GET") // a 429 on a read still counts as rate limited
	status = http.StatusForbidden
	do("POST")
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"ok", testutil.ToFloat64(sends.WithLabelValues("discord", "ok")) - ok0, 1},
		{"rate_limited", testutil.ToFloat64(sends.WithLabelValues("discord", "rate_limited")) - rl0, 1},
		{"error", testutil.ToFloat64(sends.WithLabelValues("discord", "error")) - err0, 1},
		{"429s", testutil.ToFloat64(rateLimited.WithLabelValues("discord")) - limited0, 2},
	} {
		if c.got != c.want {
			t.Errorf("%s went up by %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestSlackInstallations: the gauge is absent until a count function is
// given, then reports its answer at each scrape, and is left out (not
// zero) while the store fails.
func TestSlackInstallations(t *testing.T) {
	defer SlackInstallations(nil)
	scrape := func() string {
		rec := httptest.NewRecorder()
		Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	if strings.Contains(scrape(), "pledgebot_slack_installations") {
		t.Fatal("reported without distribution")
	}
	n, fail := int64(2), false
	SlackInstallations(func(context.Context) (int64, error) {
		if fail {
			return 0, errors.New("redis down")
		}
		return n, nil
	})
	if !strings.Contains(scrape(), "\npledgebot_slack_installations 2\n") {
		t.Fatal("2 installations not reported")
	}
	n = 3 // a workspace installed on another replica
	if !strings.Contains(scrape(), "\npledgebot_slack_installations 3\n") {
		t.Fatal("the count is not read at each scrape")
	}
	fail = true
	if strings.Contains(scrape(), "pledgebot_slack_installations") {
		t.Fatal("reported while the store fails")
	}
}
