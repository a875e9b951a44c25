package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

// A replica whose migrations failed at start-up (Redis away, say) tries
// them again while it serves, until they pass: scripts read pledges by
// their short field names, so a pledge left under long names reads as
// missing until then.
func TestServeRetriesFailedMigrations(t *testing.T) {
	pledgetest.SkipOnEmbedded(t, "migrations run on a real Redis only")
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Redis = testRedis(prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a, err := openApp(ctx, cfg, io.Discard, slog.LevelWarn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !a.migrated {
		t.Fatal("migrations on an empty prefix did not pass")
	}
	// What a failed start leaves: a community whose pledge keeps its long
	// names and whose short-names migration has not run.
	base := prefix + ":{town}:"
	rdb.SAdd(ctx, prefix+":communities", "town")
	rdb.HSet(ctx, base+"pledge:1", "business", "1", "theme", "volunteering", "target", "40", "unit", "hours",
		"status", "active", "progress", "0", "text", "Volunteer")
	rdb.Set(ctx, base+"seq:pledge", 1, 0)
	a.migrated = false

	done := make(chan error, 1)
	go func() { done <- a.remigrate(10 * time.Millisecond)(ctx) }()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !a.migrated {
		t.Fatal("remigrate returned before the migrations passed")
	}
	got, err := store.ReadPackedPledge(ctx, rdb, base, 1)
	if err != nil || got["t"] != "volunteering" || got["g"] != "40" || got["theme"] != "" {
		t.Fatalf("pledge 1 after the retry: %v (%v), want it packed with short names only", got, err)
	}
}
