package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// TestMigrateVouchedRebuildsOldSums: sums written before the split (no
// dv/da/dq fields) read everything as self-reported; MigrateVouched
// rebuilds them once, to what the live writes keep. By hand: pledge 1
// (partner) logs 10, confirmed, and 5, awaiting; pledge 2 (none) logs 7.
func TestMigrateVouchedRebuildsOldSums(t *testing.T) {
	rdb, prefix := testRedis(t)
	ctx := context.Background()
	s := New(rdb, prefix)
	now := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	const c = "town"
	owner := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "owner"}}
	fb := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "fb"}}
	if _, err := s.RegisterBusiness(ctx, c, owner, bot.Business{Name: "Acme", CreatedAt: now}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterPartner(ctx, c, fb, bot.Partner{Name: "Food Bank", CreatedAt: now}, fb.ID, ""); err != nil {
		t.Fatal(err)
	}
	for _, np := range []bot.NewPledge{{Partner: 1}, {}} {
		np.Business, np.Text, np.Theme, np.Target, np.Factor, np.Visibility = 1, "p", "volunteering", 40, 1, bot.Public
		if _, err := s.AddPledge(ctx, c, owner, np, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []struct {
		n int
		v float64
	}{{1, 10}, {1, 5}, {2, 7}} {
		if _, err := s.LogProgress(ctx, c, owner, p.n, p.v, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.CheckEntry(ctx, c, fb, bot.CheckEntry{Pledge: 1, Entry: 1}, ""); err != nil {
		t.Fatal(err)
	}
	q4 := bot.SummaryFilter{Period: bot.Period{Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		Previous: bot.Period{Start: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}}
	split := func() bot.Vouched {
		cur, _, err := s.Summary(ctx, c, q4, now)
		if err != nil {
			t.Fatal(err)
		}
		return cur.Themes["volunteering"].ToDateBy
	}
	want := bot.Vouched{Confirmed: 10, Awaiting: 5, SelfReported: 7}
	if got := split(); got != want {
		t.Fatalf("kept: %+v, want %+v", got, want)
	}
	// As an earlier release left it: no split fields, no migration done.
	sums := s.base(c) + "sums:2026-10"
	for f := range rdb.HGetAll(ctx, sums).Val() {
		if k, _, _ := strings.Cut(f, ":"); k == "dv" || k == "da" || k == "dq" {
			rdb.HDel(ctx, sums, f)
		}
	}
	rdb.HDel(ctx, s.base(c)+"migrations", "vouched")
	if got := split(); got != (bot.Vouched{SelfReported: 22}) {
		t.Fatalf("old sums: %+v, want all 22 self-reported", got)
	}
	if ran, err := s.MigrateVouched(ctx, c); err != nil || !ran {
		t.Fatalf("MigrateVouched: %v %v", ran, err)
	}
	if got := split(); got != want {
		t.Errorf("migrated: %+v, want %+v", got, want)
	}
	if ran, err := s.MigrateVouched(ctx, c); err != nil || ran {
		t.Errorf("second MigrateVouched ran again: %v %v", ran, err)
	}
	if err := s.RebuildFigures(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got := split(); got != want {
		t.Errorf("rebuilt: %+v, want %+v", got, want)
	}
}
