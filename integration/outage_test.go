package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/redis/go-redis/v9"
)

func harnessOn(t *testing.T, s *Server) *pledgetest.Harness {
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr(), DialTimeout: 300 * time.Millisecond,
		ReadTimeout: time.Second, WriteTimeout: time.Second, MaxRetries: 1})
	t.Cleanup(func() { rdb.Close() })
	return pledgetest.NewWithClient(t, &config.Config{Themes: config.DefaultThemes}, rdb)
}

// TestRedisOutageIsReportedAndRecovered stops Redis under a running bot:
// users are told nothing was saved, and the bot recovers by itself when
// Redis returns.
func TestRedisOutageIsReportedAndRecovered(t *testing.T) {
	s := StartRedis(t)
	h := harnessOn(t, s)
	h.MustDo("alice", "/business register Acme")
	h.MustDo("alice", "/pledge add x theme:carbon target:5")

	s.Stop()
	for _, line := range []string{"/pledge progress 1 1", "/pledge list", "/business register Other"} {
		msg := h.MustFail("alice", line, bot.Unavailable)
		if !strings.Contains(msg, "nothing was saved") {
			t.Fatalf("%s: unclear message %q", line, msg)
		}
	}
	if r := h.Reply("alice", "/help"); r.Err != nil {
		t.Fatalf("help needs no Redis but failed: %s", r.Err.Message)
	}

	s.Start(t) // an empty Redis: no data, no cached scripts
	deadline := time.Now().Add(10 * time.Second)
	for h.Reply("alice", "/business register Again").Err != nil {
		if time.Now().After(deadline) {
			t.Fatal("bot did not recover after Redis came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestAcknowledgedWritesSurviveRedisRestart: with append-only persistence,
// every command that got a success reply is there after Redis restarts.
func TestAcknowledgedWritesSurviveRedisRestart(t *testing.T) {
	s := StartRedis(t, "--appendonly", "yes", "--appendfsync", "always")
	h := harnessOn(t, s)
	h.MustDo("alice", "/business register Acme")
	acked := 0
	for i := 0; i < 50; i++ {
		if h.Reply("alice", `/pledge add "pledge" theme:volunteering target:10`).Err == nil {
			acked++
		}
		if i%10 == 0 {
			h.Reply("alice", "/pledge progress 1 1")
		}
	}
	s.Stop()
	s.Start(t)
	deadline := time.Now().Add(10 * time.Second)
	var r bot.Reply
	for {
		r = h.Reply("alice", "/pledge list status:all")
		if r.Err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r.Err != nil {
		t.Fatal(r.Err.Message)
	}
	if len(r.Items) != acked {
		t.Fatalf("%d pledges after restart, %d were acknowledged", len(r.Items), acked)
	}
	if !strings.Contains(h.Do("alice", "/pledge show 1"), "50% (5 of 10 hours)") {
		t.Fatalf("progress lost: %s", h.Do("alice", "/pledge show 1"))
	}
}
