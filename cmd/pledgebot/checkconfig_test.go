package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCheckConfigReportsEveryProblem(t *testing.T) {
	clearEnv(t)
	cfg := writeConfig(t, `schedules:
  digest: "0 9 * *"
  nudge:
    stale_days: ten
redis: [a, b]
log: {level: loud}
communities:
  - {id: Town_1}
`)
	var out, errOut strings.Builder
	code := run(t.Context(), []string{"check-config", "--config", cfg}, strings.NewReader(""), &out, &errOut)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out.String(), errOut.String())
	}
	if out.String() != "" {
		t.Errorf("printed on stdout for a bad file:\n%s", out.String())
	}
	want := []string{
		cfg + `: line 4: schedules.nudge.stale_days: "ten" is not a number`,
		cfg + `: line 5: redis: a list where a section goes (indented name: value lines)`,
		cfg + `: schedules.digest: "0 9 * *" is not a five-field cron spec (e.g. "0 9 * * MON")`,
		cfg + `: log.level: must be debug, info, warn or error, not "loud"`,
		cfg + `: communities[0].id: "Town_1": use 1-40 lowercase letters, digits and '-'`,
		"pledgebot: check-config: 5 problems in " + cfg,
	}
	if got := strings.TrimSpace(errOut.String()); got != strings.Join(want, "\n") {
		t.Errorf("stderr:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestCheckConfigUnparsableFile(t *testing.T) {
	clearEnv(t)
	cfg := writeConfig(t, "redis: {url: \n  - ]\n")
	out, code := runCLI("", "check-config", "--config", cfg)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	mustContain(t, out, cfg+": yaml: line", "1 problem in "+cfg)
}

func TestCheckConfigMissingFile(t *testing.T) {
	clearEnv(t)
	out, code := runCLI("", "check-config", "--config", "/nonexistent/pledgebot.yaml")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	mustContain(t, out, "/nonexistent/pledgebot.yaml", "no such file")
}

func TestCheckConfigFlags(t *testing.T) {
	clearEnv(t)
	if out, code := runCLI("", "check-config", "extra"); code == 0 || !strings.Contains(out, `unexpected "extra"`) {
		t.Errorf("stray argument: exit %d:\n%s", code, out)
	}
	if out, code := runCLI("", "check-config", "--frobnicate"); code == 0 || !strings.Contains(out, "Usage: pledgebot check-config") {
		t.Errorf("unknown flag: exit %d:\n%s", code, out)
	}
	out, code := runCLI("", "help", "check-config")
	if code != 0 || !strings.Contains(out, "Usage: pledgebot check-config [--config FILE]") {
		t.Errorf("help check-config does not show its flags:\n%s", out)
	}
}

// With nothing configured, check-config says what plain `pledgebot` would
// do: the console on the embedded store, default themes.
func TestCheckConfigDefaults(t *testing.T) {
	clearEnv(t)
	out, code := runCLI("", "check-config")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	mustContain(t, out, "the environment: OK",
		"adapters:    none configured: plain `pledgebot` opens the console",
		"communities: none configured",
		"themes:      12 (the defaults)",
		"store:       embedded in-memory store",
		`schedules:   digest "0 9 * * MON", nudges "0 10 * * MON-FRI", lapse "0 6 * * *", needs "0 9 * * MON" in Europe/London`)
	if strings.Contains(out, "Using the embedded in-memory store") {
		t.Errorf("check-config opened the store:\n%s", out)
	}
}

// A full configuration is summarised from the file and the environment,
// and nothing is contacted: Redis is a port nobody listens on, and the
// Slack and Discord API URLs point at servers that fail the test if hit.
func TestCheckConfigSummaryConnectsToNothing(t *testing.T) {
	clearEnv(t)
	var hits atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "no", http.StatusTeapot)
	}))
	defer api.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var redisHits atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			redisHits.Add(1)
			c.Close()
		}
	}()
	defer ln.Close()
	t.Setenv("REDIS_URL", fmt.Sprintf("redis://:hunter2hunter2@%s/3", ln.Addr()))
	t.Setenv("SLACK_SIGNING_SECRET", "s3cret")
	t.Setenv("SLACK_BOT_TOKEN", "xoxb-1")
	t.Setenv("SLACK_API_URL", api.URL+"/")
	t.Setenv("DISCORD_BOT_TOKEN", "Bot x")
	t.Setenv("DISCORD_API_URL", api.URL+"/")
	cfg := writeConfig(t, `communities:
  - {id: town-a, workspaces: [slack:T1]}
  - {id: town-b, workspaces: ["discord:42"]}
themes: [{key: carbon, name: carbon reduction, unit: t}]
schedules: {timezone: America/New_York}
server: {addr: "127.0.0.1:9090"}
`)
	out, code := runCLI("", "check-config", "--config", cfg)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	mustContain(t, out, cfg+": OK",
		"adapters:    slack (HTTP endpoints, sends notices); discord (gateway, sends notices); serve listens on 127.0.0.1:9090",
		"communities: 2 (town-a, town-b)",
		"themes:      1\n",
		"store:       Redis at redis://:xxxxx@"+ln.Addr().String()+"/3",
		"in America/New_York")
	if strings.Contains(out, "hunter2") {
		t.Errorf("summary shows the Redis password:\n%s", out)
	}
	if hits.Load() != 0 || redisHits.Load() != 0 {
		t.Errorf("check-config connected: %d API requests, %d Redis connections", hits.Load(), redisHits.Load())
	}
}

// TestCheckConfigSlackDistribution: check-config names what distribution
// lacks, never repeats the key, and says when it is on.
func TestCheckConfigSlackDistribution(t *testing.T) {
	clearEnv(t)
	t.Setenv("SLACK_SIGNING_SECRET", "s3cret")
	t.Setenv("SLACK_CLIENT_ID", "123.456")
	t.Setenv("SLACK_TOKEN_KEY", "c2hvcnQ=") // "short": 5 bytes
	out, code := runCLI("", "check-config")
	if code != 1 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	mustContain(t, out, "slack.client_secret: is required with slack.client_id",
		"slack.token_key: must be 32 bytes once decoded from base64, not 5",
		"2 problems in the environment")
	if strings.Contains(out, "c2hvcnQ") {
		t.Errorf("check-config repeats the key:\n%s", out)
	}
	t.Setenv("SLACK_CLIENT_SECRET", "cs")
	t.Setenv("SLACK_TOKEN_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=") // 32 zero bytes
	out, code = runCLI("", "check-config")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	mustContain(t, out, "slack (HTTP endpoints, installs to many workspaces at /slack/install)")
}
