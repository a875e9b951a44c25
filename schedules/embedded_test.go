package schedules

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

// On the embedded store (what a new user runs first) a notice is delivered
// exactly once, also after a failed send left it pending: the drain pages
// its pending entries by id, which miniredis once refused ("Invalid stream
// ID") and so stopped every later drain.
func TestEmbeddedStoreDeliversNoticeOnce(t *testing.T) {
	cfg := &config.Config{Themes: config.DefaultThemes}
	h := pledgetest.NewWithClient(t, cfg, pledgetest.EmbeddedClient(t))
	e := &env{Harness: h, rec: &recorder{}}
	h.Bot.AddSender(bot.Console, e.rec)
	e.sched = e.newSched(t, "replica-1")
	h.Bot.Register(commands.Nudges(e.sched), commands.Digest(e.sched.Preview))
	ctx := context.Background()
	c := e.Community()
	notice := func(key string) store.Outgoing {
		return store.Outgoing{Key: key, Notice: bot.Notice{ID: key, Community: c,
			To: bot.Recipient{Platform: bot.Console, Workspace: "local", User: "bob"}, Reply: bot.Reply{Title: key, Text: key}}}
	}
	if n, err := e.Store.Enqueue(ctx, c, "", 0, time.Hour, []store.Outgoing{notice("first")}); err != nil || n != 1 {
		t.Fatalf("enqueue: %d %v", n, err)
	}
	if n, err := e.sched.Drain(ctx, c); err != nil || n != 1 {
		t.Fatalf("drain: sent %d (%v), want 1", n, err)
	}
	wantTitles(t, e.rec.take(), "first")

	// Two notices whose first send fails stay pending; the next drain
	// reads them in pages after the first (the call miniredis refused).
	e.Store.Enqueue(ctx, c, "", 0, time.Hour, []store.Outgoing{notice("second"), notice("third")})
	e.rec.fail = func(bot.Notice) error { return errors.New("boom") }
	if n, err := e.sched.Drain(ctx, c); err != nil || n != 0 {
		t.Fatalf("failing drain: sent %d (%v), want 0", n, err)
	}
	e.rec.fail = nil
	if n, err := e.sched.Drain(ctx, c); err != nil || n != 2 {
		t.Fatalf("retry: sent %d (%v), want 2", n, err)
	}
	wantTitles(t, e.rec.take(), "second", "third")
	if n, err := e.sched.Drain(ctx, c); err != nil || n != 0 {
		t.Fatalf("drain after delivery: sent %d (%v), want 0", n, err)
	}
	if n, _ := e.Store.OutboxLen(ctx, c); n != 0 {
		t.Fatalf("outbox holds %d after delivery", n)
	}
}
