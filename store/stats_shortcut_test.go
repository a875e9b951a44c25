package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// stat_biz skips SADDs and PFADDs it can prove would change nothing. This
// replays writes in an order that exercises every shortcut (same month and
// theme again, new theme in a seen month, new month in a seen quarter, new
// year) and checks every business set and day HyperLogLog against the
// plain rule: each write puts its business in all of them.
func TestStatBizShortcutsKeepEverySet(t *testing.T) {
	rdb, prefix := testRedis(t)
	ctx := context.Background()
	s := New(rdb, prefix)
	keys := []string{s.base("c")}
	for i, pc := range []string{"CB1 2AB", ""} {
		who := fmt.Sprintf("console:local:u%d", i)
		if err := registerBusiness.Run(ctx, rdb, keys, who, "", fmt.Sprint("B", i), fmt.Sprint("b", i), "", pc, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	type write struct {
		biz   int
		theme string
		at    time.Time
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	writes := []write{
		{1, "carbon", day(2026, 1, 5)}, {1, "carbon", day(2026, 1, 5)}, {1, "waste", day(2026, 1, 6)},
		{2, "carbon", day(2026, 1, 6)}, {1, "carbon", day(2026, 2, 1)}, {1, "waste", day(2026, 2, 1)},
		{2, "waste", day(2026, 3, 31)}, {1, "carbon", day(2026, 4, 1)}, {1, "carbon", day(2027, 1, 1)},
		{2, "carbon", day(2027, 1, 1)}, {2, "carbon", day(2027, 1, 1)},
	}
	want := map[string][]string{}    // set key -> businesses
	wantHLL := map[string][]string{} // day HyperLogLog key -> businesses
	for _, w := range writes {
		who := fmt.Sprintf("console:local:u%d", w.biz-1)
		if err := addPledge.Run(ctx, rdb, keys, who, "0", "", w.biz, "p", w.theme, "1", "t", "", 0, "public", w.at.Unix()).Err(); err != nil {
			t.Fatal(err)
		}
		scopes := []string{"all"}
		if w.biz == 1 {
			scopes = append(scopes, "area:CB1", "area:CB")
		}
		b := fmt.Sprint(w.biz)
		q := fmt.Sprintf("q%d-Q%d", w.at.Year(), (int(w.at.Month())-1)/3+1)
		for _, sc := range scopes {
			for _, bucket := range []string{"m" + w.at.Format("2006-01"), q, "y" + w.at.Format("2006")} {
				for _, k := range []string{"stats-biz:" + sc + ":" + bucket, "stats-biz:" + sc + ":" + bucket + ":" + w.theme} {
					if !slices.Contains(want[k], b) {
						want[k] = append(want[k], b)
					}
				}
			}
			for _, k := range []string{"stats-bizhll:" + sc + ":d" + w.at.Format("2006-01-02"), "stats-bizhll:" + sc + ":d" + w.at.Format("2006-01-02") + ":" + w.theme} {
				if !slices.Contains(wantHLL[k], b) {
					wantHLL[k] = append(wantHLL[k], b)
				}
			}
		}
	}
	// One fold applies every write: several days, themes and businesses.
	if err := s.FoldStats(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	for k, bs := range want {
		got := rdb.SMembers(ctx, s.base("c")+k).Val()
		slices.Sort(got)
		slices.Sort(bs)
		if !slices.Equal(got, bs) {
			t.Errorf("%s holds %v, want %v", k, got, bs)
		}
	}
	for k, bs := range wantHLL {
		if n := rdb.PFCount(ctx, s.base("c")+k).Val(); n != int64(len(bs)) {
			t.Errorf("%s counts %d, want %d", k, n, len(bs))
		}
	}
}
