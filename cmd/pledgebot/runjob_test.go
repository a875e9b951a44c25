package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
)

func TestRunJob(t *testing.T) {
	cfg, _, _ := cliRedis(t)
	// A pledge due on the first Tuesday at least two days ahead; the sweep
	// runs as if on the Monday before, 10:00 London time.
	due := time.Now().UTC().AddDate(0, 0, 2)
	for due.Weekday() != time.Tuesday {
		due = due.AddDate(0, 0, 1)
	}
	monday := due.AddDate(0, 0, -1).Format(time.DateOnly) + "T10:00:00Z"
	if out, code := runCLI(fmt.Sprintf("/business register Acme\n/pledge add \"Hire two\" theme:apprenticeships target:2 due:%s\n/digest subscribe\n",
		due.Format(time.DateOnly)), "console", "--config", cfg, "--user", "alice"); code != 0 {
		t.Fatalf("console: %s", out)
	}
	out, code := runCLI("", "run-job", "nudges", "--config", cfg, "--at", monday, "--community", "console-local")
	if code != 0 || !strings.Contains(out, "[to alice] Your pledges") || !strings.Contains(out, "Due tomorrow") || !strings.Contains(out, "1 enqueued, 1 sent") {
		t.Fatalf("run-job nudges (%d):\n%s", code, out)
	}
	if out, _ := runCLI("", "run-job", "--config", cfg, "--at", monday, "nudges"); !strings.Contains(out, "skipped (nothing new to send") || strings.Contains(out, "[to alice]") {
		t.Fatalf("second run-job nudges:\n%s", out)
	}
	out, code = runCLI("", "run-job", "digest", "--config", cfg, "--at", monday)
	if code != 0 || !strings.Contains(out, "[#console] Weekly digest") || !strings.Contains(out, "#1 Hire two · Acme") {
		t.Fatalf("run-job digest (%d):\n%s", code, out)
	}
	if out, code := runCLI("", "run-job", "lapse", "--config", cfg); code != 0 || !strings.Contains(out, "0 lapsed") {
		t.Fatalf("run-job lapse (%d):\n%s", code, out)
	}
	for _, args := range [][]string{
		{"run-job"},
		{"run-job", "sweep"},
		{"run-job", "digest", "--at", "monday"},
		{"run-job", "digest", "--community", "{x}"},
		{"run-job", "digest", "nudges"},
	} {
		if out, code := runCLI("", append(args, "--config", cfg)...); code == 0 {
			t.Errorf("%v succeeded:\n%s", args, out)
		}
	}
}

// serve starts the scheduler through its mount and stops with the server.
func TestServeMountsSchedules(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Redis.URL, cfg.Redis.ClusterURL, cfg.Server.Addr, cfg.Server.ShutdownTimeout = "", "", "127.0.0.1:0", 5*time.Second
	var logs bytes.Buffer
	a, err := openApp(context.Background(), cfg, &logs, slog.LevelInfo, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ready) }()
	<-ready
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, logs.String())
	}
	if a.sched == nil {
		t.Fatal("no scheduler wired")
	}
}

// run-job needs sends alice (coordinator and Acme's owner, opted in) the
// need in the theme Acme pledges in, once a week.
func TestRunJobNeeds(t *testing.T) {
	cfg, rdb, prefix := cliRedis(t)
	rdb.SAdd(context.Background(), prefix+":{console-local}:role:coordinator", "console:local:alice")
	if out, code := runCLI("/business register Acme postcode:CB1 2AB\n/pledge add \"Hire two\" theme:apprenticeships target:2\n"+
		"/need post \"Two apprentices\" theme:apprenticeships target:104 area:CB4\n/need post \"Painting\" theme:volunteering target:8\n/nudges needs on\n",
		"console", "--config", cfg, "--user", "alice"); code != 0 || !strings.Contains(out, "Needs near you are on") {
		t.Fatalf("console (%d): %s", code, out)
	}
	out, code := runCLI("", "run-job", "needs", "--config", cfg, "--at", "2026-11-30T09:00:00Z")
	if code != 0 || !strings.Contains(out, "[to alice] Needs near you (1)") || !strings.Contains(out, "Need #1: Two apprentices") ||
		strings.Contains(out, "Painting") || !strings.Contains(out, "1 enqueued, 1 sent") {
		t.Fatalf("run-job needs (%d):\n%s", code, out)
	}
	if out, _ := runCLI("", "run-job", "needs", "--config", cfg, "--at", "2026-12-01T09:00:00Z"); !strings.Contains(out, "skipped (already ran") || strings.Contains(out, "[to alice]") {
		t.Fatalf("second run-job needs:\n%s", out)
	}
}
