package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/supervise"
)

// both is serve with Slack over Socket Mode and the Discord gateway, each
// against its fake, with a backoff of milliseconds.
type both struct {
	t       *testing.T
	base    string
	stop    func() error
	slack   *fakeSlackSocket
	discord *fakeDiscordGateway
	logs    *syncBuffer
	n       int
}

func serveBoth(t *testing.T, setup ...func(*both)) *both {
	clearEnv(t)
	b := &both{t: t, slack: newFakeSlackSocket(t), discord: newFakeDiscordGateway(t), logs: &syncBuffer{}}
	for _, f := range setup {
		f(b)
	}
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Redis = config.Redis{}
	cfg.Server.Addr = "127.0.0.1:0"
	cfg.Slack = config.Slack{AppToken: "xapp-1-test", BotToken: "xoxb-test", APIURL: b.slack.srv.URL + "/api/"}
	cfg.Discord = config.Discord{BotToken: "gateway-token", APIURL: b.discord.srv.URL + "/api/v10"}
	a, err := openApp(context.Background(), cfg, b.logs, slog.LevelInfo, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	a.backoff = supervise.Backoff{Min: 5 * time.Millisecond, Max: 50 * time.Millisecond}
	a.socketPing = time.Hour // the fake sends no pings
	b.base, b.stop = serveApp(t, a)
	return b
}

// check waits until /readyz names transport with a text starting prefix.
func (b *both) check(transport, prefix string) {
	b.t.Helper()
	var last string
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, rb := readyz(b.t, b.base)
		if last = rb.Checks[transport]; strings.HasPrefix(last, prefix) {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s is %q, want %q…; log:\n%s", transport, last, prefix, b.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// slackRound registers n businesses over Socket Mode, one envelope each,
// and returns the envelope ids.
func (b *both) slackRound(n int) []string {
	b.t.Helper()
	var ids []string
	for range n {
		b.n++
		id := fmt.Sprintf("env-%d", b.n)
		b.slack.command(id, fmt.Sprintf("US%d", b.n), "/business", fmt.Sprintf("register Slack Shop %d", b.n))
		if got := recvT(b.t, b.slack.acked, "ack of "+id); got != id {
			b.t.Fatalf("ack of %s, want %s", got, id)
		}
		ids = append(ids, id)
	}
	return ids
}

// discordRound registers n businesses over the gateway, one interaction
// each, and returns the interaction ids.
func (b *both) discordRound(n int) []string {
	b.t.Helper()
	var ids []string
	for range n {
		b.n++
		id := fmt.Sprint(900000 + b.n)
		b.discord.register(id, fmt.Sprint(5000+b.n), fmt.Sprintf("Discord Shop %d", b.n))
		if got := recvT(b.t, b.discord.answered, "answer to "+id); got != id {
			b.t.Fatalf("answer to %s, want %s", got, id)
		}
		ids = append(ids, id)
	}
	return ids
}

// Each transport in turn is broken (its connection dropped and new ones
// refused) while the other carries traffic; /readyz and the metrics say
// which is down and why; the broken one recovers by itself; and every
// command sent is answered exactly once, with one business each.
func TestBothTransportsEachBrokenInTurn(t *testing.T) {
	b := serveBoth(t)
	b.check("slack-socket", "ok")
	b.check("discord-gateway", "ok")
	slackIDs := b.slackRound(2)
	discordIDs := b.discordRound(2)

	// Slack down: dropped, and apps.connections.open failing.
	b.slack.setRefuse("503")
	b.slack.drop()
	b.check("slack-socket", "reconnecting: ")
	if m := scrape(t, b.base); m[`pledgebot_transport_up{transport="slack-socket"}`] != 0 || m[`pledgebot_transport_up{transport="discord-gateway"}`] != 1 {
		t.Errorf("transport_up while Slack is down: slack %v, discord %v", m[`pledgebot_transport_up{transport="slack-socket"}`], m[`pledgebot_transport_up{transport="discord-gateway"}`])
	}
	code, rb := readyz(t, b.base)
	if code != 503 || rb.Checks["discord-gateway"] != "ok" || rb.Transports["slack-socket"].Since.IsZero() {
		t.Fatalf("/readyz while Slack is down: %d %+v", code, rb)
	}
	discordIDs = append(discordIDs, b.discordRound(3)...)
	b.slack.setRefuse("")
	recvT(t, b.slack.opened, "a new Slack socket")
	b.check("slack-socket", "ok")
	slackIDs = append(slackIDs, b.slackRound(2)...)

	// Discord down: dropped, and GET /gateway failing.
	b.discord.setDown(true)
	b.discord.drop()
	b.check("discord-gateway", "reconnecting: ")
	if _, rb := readyz(t, b.base); rb.Checks["slack-socket"] != "ok" {
		t.Fatalf("/readyz while Discord is down: %+v", rb)
	}
	slackIDs = append(slackIDs, b.slackRound(3)...)
	b.discord.setDown(false)
	b.check("discord-gateway", "ok")
	discordIDs = append(discordIDs, b.discordRound(2)...)

	if m := scrape(t, b.base); m[`pledgebot_transport_reconnects_total{reason="lost",transport="slack-socket"}`] < 1 ||
		m[`pledgebot_transport_reconnects_total{reason="lost",transport="discord-gateway"}`] < 1 {
		t.Errorf("reconnects not counted: %v", m)
	}
	if err := b.stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}

	// Nothing lost or doubled: one ack or answer per command, and the
	// businesses numbered 1..n on each platform without gap or repeat.
	for i, id := range slackIDs {
		acks := b.slack.ackOf(id)
		want := fmt.Sprintf("Registered business #%d:", i+1)
		if len(acks) != 1 || !strings.Contains(string(acks[0]), want) {
			t.Errorf("Slack %s: %d acks %s, want one saying %q", id, len(acks), acks, want)
		}
	}
	for i, id := range discordIDs {
		answers := b.discord.answersOf(id)
		want := fmt.Sprintf("Registered business #%d:", i+1)
		if len(answers) != 1 || !strings.Contains(answers[0], want) {
			t.Errorf("Discord %s: %d answers %v, want one saying %q", id, len(answers), answers, want)
		}
	}
	logs := b.logs.String()
	for _, want := range []string{"slack-socket: reconnecting; retrying", "discord-gateway: reconnecting; retrying", "stopped cleanly"} {
		if strings.Count(logs, want) != 1 {
			t.Errorf("log has %q %d times, want once:\n%s", want, strings.Count(logs, want), logs)
		}
	}
}

// A transport refused for good stops alone, says why in plain words, and
// the other keeps serving; when none is left, serve stops and its last log
// line says why (not "stopped cleanly").
func TestPermanentFailuresStopOnlyTheirTransport(t *testing.T) {
	b := serveBoth(t)
	b.check("slack-socket", "ok")
	b.check("discord-gateway", "ok")

	b.slack.setRefuse("invalid_auth")
	b.slack.drop()
	b.check("slack-socket", "failed: Slack refused SLACK_APP_TOKEN (invalid_auth)")
	b.discordRound(2)
	if _, rb := readyz(t, b.base); rb.Transports["slack-socket"].State != supervise.Failed {
		t.Fatalf("/readyz: %+v", rb)
	}

	b.discord.refuseNext(4004)
	b.discord.drop()
	waitFor(t, "serve to stop by itself", func() bool { return strings.Contains(b.logs.String(), "msg=\"stopped: ") })
	err := b.stop()
	if err == nil || !strings.Contains(err.Error(), "every chat transport has stopped for good") ||
		!strings.Contains(err.Error(), "discord-gateway: authentication failed (close code 4004)") ||
		!strings.Contains(err.Error(), "slack-socket: Slack refused SLACK_APP_TOKEN") {
		t.Fatalf("serve: %v", err)
	}
	logs := strings.TrimSpace(b.logs.String())
	last := logs[strings.LastIndexByte(logs, '\n')+1:]
	if !strings.Contains(last, "stopped: every chat transport has stopped for good") || strings.Contains(logs, "stopped cleanly") {
		t.Errorf("last log line %q; log:\n%s", last, logs)
	}
	if n := strings.Count(logs, "slack-socket: stopped for good"); n != 1 {
		t.Errorf("Slack's permanent failure logged %d times:\n%s", n, logs)
	}
}

// At start-up too: a Slack that cannot be reached is retried and a Discord
// token refused stops only the gateway; Slack serves once it answers.
func TestStartUpFailuresStopNothingElse(t *testing.T) {
	b := serveBoth(t, func(b *both) {
		b.slack.setRefuse("503")
		b.discord.refuseNext(4004)
	})
	b.check("discord-gateway", "failed: authentication failed (close code 4004)")
	b.check("slack-socket", "connecting: ")
	b.slack.setRefuse("")
	b.check("slack-socket", "ok")
	ids := b.slackRound(2)
	if err := b.stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	for _, id := range ids {
		if n := len(b.slack.ackOf(id)); n != 1 {
			t.Errorf("%s acked %d times", id, n)
		}
	}
	if n := strings.Count(b.logs.String(), "slack-socket: connecting; retrying"); n != 1 {
		t.Errorf("Slack's outage at start logged %d times, want once:\n%s", n, b.logs.String())
	}
}
