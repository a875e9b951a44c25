package store

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// The zsets due and business-seen of releases before move into buckets of
// 128, and the index businesses goes. On 0361339's fixture (business #1,
// last active 20 Nov 11:00; pledge #2 active, #1 done), as that release
// would have left it, some are added by hand: #2 due 20 Nov, #130 (active,
// second bucket) due 1 Nov, #131 (done, yet still listed) due 2 Nov;
// business #200 (second bucket) last active 1 Oct, and #201, deleted, still
// listed. Before the migration the new release edits #2's due date to
// 18 Nov (filed in due:0 already), and the digest, the lapse job and the
// business list then read them across the buckets.
func TestMigrateIndexBuckets(t *testing.T) {
	rdb, s, now := loadLedgerFixture(t)
	ctx := context.Background()
	base := s.base("town")
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	unix := func(t time.Time) float64 { return float64(t.Unix()) }
	rdb.HSet(ctx, base+"pledge:2", "d", "2026-11-20")
	rdb.HSet(ctx, base+"pledge:130", "b", "1", "t", "volunteering", "g", "5", "u", "hours", "w", "slack:T1:UANN",
		"x", "Litter pick", "c", unix(day(10, 1)), "d", "2026-11-01")
	rdb.HSet(ctx, base+"pledge:131", "b", "1", "t", "volunteering", "g", "5", "u", "hours", "w", "slack:T1:UANN",
		"x", "Done one", "c", unix(day(10, 1)), "d", "2026-11-02", "s", "done", "z", unix(day(10, 2)))
	rdb.ZAdd(ctx, base+"due", redis.Z{Score: unix(day(11, 20)), Member: 2}, redis.Z{Score: unix(day(11, 1)), Member: 130},
		redis.Z{Score: unix(day(11, 2)), Member: 131})
	rdb.Set(ctx, base+"seq:pledge", 131, 0)
	rdb.HSet(ctx, base+"business:200", "name", "Bakers", "postcode", "CB2 1AA", "created_by", "slack:T1:UANN")
	rdb.ZAdd(ctx, base+"business-seen", redis.Z{Score: unix(day(10, 1)), Member: 200}, redis.Z{Score: unix(day(10, 2)), Member: 201})
	rdb.ZAdd(ctx, base+"businesses", redis.Z{Score: 200, Member: 200}, redis.Z{Score: 201, Member: 201})
	rdb.Set(ctx, base+"seq:business", 201, 0)
	*now = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	due := day(11, 18)
	if _, err := s.EditPledge(ctx, "town", fixtureAnn, 2, bot.PledgeEdit{Due: &due}, "e1"); err != nil {
		t.Fatal(err)
	}

	if n, err := s.MigrateIndexBuckets(ctx, "town"); err != nil || n != 6 {
		t.Fatalf("moved %d, %v; want the 3 in due and 3 in business-seen", n, err)
	}
	if n, err := s.MigrateIndexBuckets(ctx, "town"); err != nil || n != 0 {
		t.Fatalf("second run moved %d, %v", n, err)
	}
	var keys []string
	for _, pattern := range []string{"due*", "business-seen*", "businesses*"} {
		for _, k := range rdb.Keys(ctx, base+pattern).Val() {
			var m []string
			for _, e := range rdb.ZRangeWithScores(ctx, k, 0, -1).Val() {
				m = append(m, fmt.Sprintf("%v@%s", e.Member, time.Unix(int64(e.Score), 0).UTC().Format("01-02T15")))
			}
			keys = append(keys, strings.TrimPrefix(k, base)+" "+strings.Join(m, ","))
		}
	}
	sort.Strings(keys)
	// #2 keeps its edited date; #131, done, and #201, deleted, are dropped;
	// business #1 keeps its activity of 24 Nov (the edit).
	want := []string{"business-seen:0 1@11-24T09", "business-seen:1 200@10-01T00", "due:0 2@11-18T00", "due:1 130@11-01T00"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("after the migration %q, want %q", keys, want)
	}

	// The digest merges the buckets: earliest due first, however many.
	for _, c := range []struct {
		limit   int
		overdue []int
		quiet   []int
	}{
		{1, []int{130}, []int{200}},
		{5, []int{130, 2}, []int{200}},
	} {
		d, err := s.DigestData(ctx, "town", day(11, 16), day(11, 23), day(11, 19), day(11, 1), c.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d.Overdue, c.overdue) || d.OverdueCount != 2 || !reflect.DeepEqual(d.Quiet, c.quiet) || d.QuietCount != 1 {
			t.Errorf("limit %d: overdue %v of %d, quiet %v of %d; want %v of 2, %v of 1", c.limit, d.Overdue, d.OverdueCount,
				d.Quiet, d.QuietCount, c.overdue, c.quiet)
		}
	}
	d, err := s.DigestData(ctx, "town", day(11, 16), day(11, 23), day(11, 1), day(12, 1), 0)
	if err != nil || len(d.Overdue) != 0 || d.OverdueCount != 0 || len(d.Quiet) != 0 || d.QuietCount != 2 {
		t.Errorf("limit 0: overdue %v of %d, quiet %v of %d (%v); want none of 0, none of 2", d.Overdue, d.OverdueCount, d.Quiet, d.QuietCount, err)
	}

	// The business list reads 1..seq:business: #201 has no hash.
	bs, err := s.Businesses(ctx, "town")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range bs {
		names = append(names, fmt.Sprintf("#%d %s", b.Number, b.Name))
	}
	if want := []string{"#1 Acme", "#200 Bakers"}; !reflect.DeepEqual(names, want) {
		t.Errorf("businesses %q, want %q", names, want)
	}

	// The lapse job finds both across the buckets, earliest due first,
	// and they leave the index.
	lapsed, err := s.LapseDue(ctx, "town", day(11, 19), *now)
	if err != nil || !reflect.DeepEqual(lapsed, []int{130, 2}) {
		t.Fatalf("lapsed %v, %v; want [130 2]", lapsed, err)
	}
	for _, k := range []string{"due:0", "due:1"} {
		if n := rdb.ZCard(ctx, base+k).Val(); n != 0 {
			t.Errorf("%s still holds %d", k, n)
		}
	}
}
