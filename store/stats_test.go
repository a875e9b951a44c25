package store

import (
	"context"
	"testing"
	"time"
)

// TestStatBuckets checks the Lua calendar (days-to-civil) that names the
// period buckets, on dates where such code usually breaks.
func TestStatBuckets(t *testing.T) {
	rdb, prefix := testRedis(t)
	ctx := context.Background()
	s := New(rdb, prefix)
	keys := []string{s.base("c")}
	if err := registerBusiness.Run(ctx, rdb, keys, "console:local:a", "", "A", "a", "", "CB1 2AB", 0).Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at        time.Time
		day, q, y string
	}{
		{time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC), "d2024-02-29", "q2024-Q1", "y2024"},
		{time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "d2024-03-01", "q2024-Q1", "y2024"},
		{time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC), "d2025-12-31", "q2025-Q4", "y2025"},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "d2026-01-01", "q2026-Q1", "y2026"},
		{time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC), "d2026-04-01", "q2026-Q2", "y2026"},
		{time.Date(2000, 2, 29, 6, 0, 0, 0, time.UTC), "d2000-02-29", "q2000-Q1", "y2000"},
		{time.Date(2100, 2, 28, 6, 0, 0, 0, time.UTC), "d2100-02-28", "q2100-Q1", "y2100"},
		{time.Date(2100, 3, 1, 6, 0, 0, 0, time.UTC), "d2100-03-01", "q2100-Q1", "y2100"},
	} {
		if err := addPledge.Run(ctx, rdb, keys, "console:local:a", "1", "", 1, "p", "carbon", "2", "t", "", 0, "public", c.at.Unix()).Err(); err != nil {
			t.Fatal(err)
		}
		if err := s.FoldStats(ctx, "c"); err != nil {
			t.Fatal(err)
		}
		month := "m" + c.at.Format("2006-01")
		for _, k := range []string{"stats:all:" + month, "stats:all:" + c.day, "stats:area:CB1:" + c.day, "stats:area:CB:" + month,
			"stats-biz:all:" + c.q, "stats-biz:all:" + c.y, "stats-biz:area:CB:" + month + ":carbon", "stats-bizhll:all:" + c.day} {
			if rdb.Exists(ctx, s.base("c")+k).Val() != 1 {
				t.Errorf("%s: no key %s", c.at, k)
			}
		}
	}
}
