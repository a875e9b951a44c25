package store

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The one zset updated of releases before moves into buckets of 128
// pledges. On 0361339's fixture (updated: #2 at 15 Oct 10:00; #1 is done),
// as that release would have left it, two pledges are added by hand: #129
// (active, last changed 2 Nov 12:00), in the second bucket, and #130 (done,
// yet still listed). Before the migration, the new release logs progress
// on #2 at 1 Dec 09:00 (it files #2 in updated:0 already).
func TestMigrateUpdated(t *testing.T) {
	rdb, s, now := loadLedgerFixture(t)
	ctx := context.Background()
	base := s.base("town")
	nov2 := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	rdb.HSet(ctx, base+"pledge:129", "b", "1", "t", "volunteering", "g", "5", "u", "hours", "w", "slack:T1:UANN", "x", "Litter pick",
		"c", nov2.Unix())
	rdb.HSet(ctx, base+"pledge:130", "b", "1", "t", "volunteering", "g", "5", "u", "hours", "w", "slack:T1:UANN", "x", "Done one",
		"c", nov2.Unix(), "s", "done", "z", nov2.Unix())
	rdb.ZAdd(ctx, base+"updated", redis.Z{Score: float64(nov2.Unix()), Member: 129}, redis.Z{Score: float64(nov2.Unix()), Member: 130})
	rdb.Set(ctx, base+"seq:pledge", 130, 0)
	*now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if _, err := s.LogProgress(ctx, "town", fixtureAnn, 2, 85, "", "r1"); err != nil {
		t.Fatal(err)
	}

	if n, err := s.MigrateUpdated(ctx, "town"); err != nil || n != 3 {
		t.Fatalf("moved %d, %v; want the 3 listed in updated", n, err)
	}
	if n, err := s.MigrateUpdated(ctx, "town"); err != nil || n != 0 {
		t.Fatalf("second run moved %d, %v", n, err)
	}
	var keys []string
	for _, k := range rdb.Keys(ctx, base+"updated*").Val() {
		z := rdb.ZRangeWithScores(ctx, k, 0, -1).Val()
		var m []string
		for _, e := range z {
			m = append(m, fmt.Sprintf("%v@%s", e.Member, time.Unix(int64(e.Score), 0).UTC().Format("01-02T15")))
		}
		keys = append(keys, strings.TrimPrefix(k, base)+" "+strings.Join(m, ","))
	}
	sort.Strings(keys)
	// #2 keeps its later change; #130, done, is dropped as closing drops it.
	if want := []string{"updated:0 2@12-01T09", "updated:1 129@11-02T12"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("after the migration %q, want %q", keys, want)
	}
	stale := func(from, to time.Time) []int {
		t.Helper()
		cands, _, err := s.NudgeCandidates(ctx, "town", time.Unix(0, 0), time.Unix(0, 0), from, to)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, c := range cands {
			if c.Source == "stale" {
				out = append(out, c.Number)
			}
		}
		return out
	}
	day := 24 * time.Hour
	for _, c := range []struct {
		from time.Time
		want []int
	}{
		{time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC), nil},        // #2's old change is gone
		{time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC), []int{129}}, // found in the second bucket
		{time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), []int{2}},   // its change of 1 Dec
	} {
		if got := stale(c.from, c.from.Add(7*day)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("stale from %s: %v, want %v", c.from.Format("01-02"), got, c.want)
		}
	}
}

// Called on pledges still under long field names, MigrateUpdated renames
// them first: it reads a pledge's status by the short name, and without
// the rename every pledge would read as closed and leave the index.
func TestMigrateUpdatedRenamesFirst(t *testing.T) {
	rdb, s, _ := loadLedgerFixtureOld(t)
	ctx := context.Background()
	base := s.base("town")
	rdb.HSet(ctx, base+"pledge:3", "business", "1", "theme", "volunteering", "target", "5", "unit", "hours",
		"created_by", "slack:T1:UANN", "text", "Litter pick", "created_at", "1793620800", "status", "active")
	rdb.ZAdd(ctx, base+"updated", redis.Z{Score: 1793620800, Member: 3})
	rdb.Set(ctx, base+"seq:pledge", 3, 0)
	if _, err := s.MigrateUpdated(ctx, "town"); err != nil {
		t.Fatal(err)
	}
	if _, err := rdb.ZScore(ctx, base+"updated:0", "3").Result(); err != nil {
		t.Fatalf("active pledge 3 left the index: %v (updated:0 holds %v)", err, rdb.ZRange(ctx, base+"updated:0", 0, -1).Val())
	}
}
