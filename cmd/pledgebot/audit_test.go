package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// TestAuditRetentionTrims: with audit.retention set, serve's trim drops
// entries older than the retention in every community, and keeps the rest.
func TestAuditRetentionTrims(t *testing.T) {
	clearEnv(t)
	r := startRedis(t)
	t.Setenv("REDIS_URL", r.URL())
	cfg, err := config.Load(writeConfig(t, "audit:\n  retention: 24h\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Audit.Retention != 24*time.Hour {
		t.Fatalf("retention %s", cfg.Audit.Retention)
	}
	ctx := context.Background()
	a, err := openApp(ctx, cfg, io.Discard, slog.LevelWarn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	alice := console.Identity("alice")
	do := func(text string) {
		if rep := a.bot.Handle(ctx, bot.Request{From: alice, Command: "pledge", Text: text}); rep.Err != nil {
			t.Fatal(rep.Err.Message)
		}
	}
	if rep := a.bot.Handle(ctx, bot.Request{From: alice, Command: "business", Text: "register Acme"}); rep.Err != nil {
		t.Fatal(rep.Err.Message)
	}
	do("add x theme:carbon target:1000")
	// Pledge writes are the ledger's (kept: the figures need it), so these
	// are s172 records.
	for i := 0; i < 250; i++ {
		if rep := a.bot.Handle(ctx, bot.Request{From: alice, Command: "s172", Text: fmt.Sprintf(`log "Decision %d" b:"staff asked"`, i)}); rep.Err != nil {
			t.Fatal(rep.Err.Message)
		}
	}
	c := a.bot.Tenancy().Community(bot.Console, console.Workspace)
	count := func() int {
		es, err := a.store.Audit(ctx, c, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	if n := count(); n != 252 {
		t.Fatalf("%d audit entries before trimming, want 252", n)
	}
	if trimAudits(ctx, a, time.Now().Add(-24*time.Hour)) == 0 || count() != 252 {
		t.Fatalf("entries within the retention were trimmed: %d left", count())
	}
	trimAudits(ctx, a, time.Now().Add(time.Minute)) // as if a day later
	if n := count(); n != 1 {
		t.Fatalf("%d entries left after trimming all but the ledger's one", n)
	}
}
