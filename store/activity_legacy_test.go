package store

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// After an upgrade the digest still sees events that earlier versions put
// in the "activity" sorted set, merged in time order with the daily lists,
// and deleting a business scrubs both.
func TestDigestReadsLegacyActivity(t *testing.T) {
	rdb, prefix := testRedis(t)
	ctx := context.Background()
	s := New(rdb, prefix)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	a := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "alice"}}
	b, err := s.RegisterBusiness(ctx, "c", a, bot.Business{Name: "Acme", CreatedAt: now}, "")
	if err != nil {
		t.Fatal(err)
	}
	legacyAt := now.Add(-time.Hour)
	rdb.ZAdd(ctx, s.key("c", "activity"), redis.Z{Score: float64(legacyAt.Unix()), Member: "7|progress|9|1|carbon|2"})
	if _, err := s.AddPledge(ctx, "c", a, bot.NewPledge{Business: b.Number, Text: "t", Theme: "waste", Target: 1, Unit: "t", Visibility: bot.Public}, ""); err != nil {
		t.Fatal(err)
	}
	d, err := s.DigestData(ctx, "c", now.AddDate(0, 0, -7), now.Add(time.Hour), now, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Events) != 2 || d.Events[0].Kind != "progress" || !d.Events[0].At.Equal(legacyAt) || d.Events[0].Pledge != 9 ||
		d.Events[1].Kind != "created" || d.Events[1].Theme != "waste" || !d.Events[1].At.Equal(now) {
		t.Fatalf("events %+v", d.Events)
	}
	if err := s.DeleteBusiness(ctx, "c", bot.Actor{ID: a.ID, Admin: true}, b.Number, ""); err != nil {
		t.Fatal(err)
	}
	if d, err = s.DigestData(ctx, "c", now.AddDate(0, 0, -7), now.Add(time.Hour), now, now, 10); err != nil || len(d.Events) != 0 {
		t.Fatalf("after delete: %+v %v", d.Events, err)
	}
}
