package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// foldAt mirrors stats_fold_at in lua/prelude.lua.
const foldAt = 128

// foldFixture registers business 1 (postcode CB1 2AB, owner a) and business
// 2 (no postcode, owner b) and returns a runner for the raw scripts.
func foldFixture(t *testing.T) (*Store, redis.UniversalClient, func(sc *redis.Script, args ...any)) {
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	run := func(sc *redis.Script, args ...any) {
		t.Helper()
		if err := sc.Run(context.Background(), rdb, []string{s.base("c")}, args...).Err(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	run(registerBusiness, "console:local:a", "", "A", "a", "", "CB1 2AB", 0)
	run(registerBusiness, "console:local:b", "", "B", "b", "", "", 0)
	return s, rdb, run
}

func progressArgs(actor string, n int, amount string, at time.Time) []any {
	ev := fmt.Sprintf(`{"kind":"progress","at":%q,"amount":%s}`, at.Format(time.RFC3339), amount)
	return []any{actor, "0", "", n, amount, ev, at.Unix()}
}

// TestFoldSumsPendingWrites: pledges made and progress logged wait in
// stats-pending, and one fold puts exactly what each write would have
// added into every counter, set and total, in every scope.
func TestFoldSumsPendingWrites(t *testing.T) {
	s, rdb, run := foldFixture(t)
	ctx := context.Background()
	day1 := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	day2 := time.Date(2026, 1, 6, 9, 0, 0, 0, time.UTC)
	add := func(actor string, biz int, theme, target string, at time.Time) {
		run(addPledge, actor, "0", "", biz, "p", theme, target, "t", "", 0, "public", at.Unix())
	}
	add("console:local:a", 1, "carbon", "0.1", day1) // pledge 1
	add("console:local:a", 1, "carbon", "0.2", day1) // 2
	add("console:local:b", 2, "carbon", "1", day1)   // 3
	add("console:local:a", 1, "waste", "2", day2)    // 4
	run(progressPledge, progressArgs("console:local:a", 1, "0.1", day2)...)
	run(progressPledge, progressArgs("console:local:a", 1, "0.2", day2)...)

	k := func(rest string) string { return s.base("c") + rest }
	if n := rdb.LLen(ctx, k("stats-pending")).Val(); n != 6 {
		t.Fatalf("%d lines pending, want 6", n)
	}
	if rdb.Exists(ctx, k("totals"), k("stats:all:m2026-01")).Val() != 0 {
		t.Fatal("counters written before the fold")
	}
	if err := s.FoldStats(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if n := rdb.LLen(ctx, k("stats-pending")).Val(); n != 0 {
		t.Fatalf("%d lines still pending after the fold", n)
	}
	want := map[string]map[string]string{
		"totals": {"committed:carbon": "1.3", "committed:waste": "2", "pledges:carbon": "3", "pledges:waste": "1",
			"status:active": "4", "delivered:carbon": "0.3"},
		"stats:all:m2026-01":         {"made:carbon": "3", "committed:carbon": "1.3", "made:waste": "1", "committed:waste": "2", "delivered:carbon": "0.3"},
		"stats:all:d2026-01-05":      {"made:carbon": "3", "committed:carbon": "1.3"},
		"stats:all:d2026-01-06":      {"made:waste": "1", "committed:waste": "2", "delivered:carbon": "0.3"},
		"stats:area:CB1:d2026-01-05": {"made:carbon": "2", "committed:carbon": "0.3"},
		"stats:area:CB:m2026-01":     {"made:carbon": "2", "committed:carbon": "0.3", "made:waste": "1", "committed:waste": "2", "delivered:carbon": "0.3"},
		"stats:all:now":              {"active:carbon": "3", "active:waste": "1"},
		"stats:area:CB1:now":         {"active:carbon": "2", "active:waste": "1"},
	}
	for key, fields := range want {
		got := rdb.HGetAll(ctx, k(key)).Val()
		if len(got) != len(fields) {
			t.Errorf("%s = %v, want %v", key, got, fields)
			continue
		}
		for f, v := range fields {
			if got[f] != v {
				t.Errorf("%s %s = %q, want %q", key, f, got[f], v)
			}
		}
	}
	sets := map[string][]string{
		"stats-biz:all:m2026-01:carbon": {"1", "2"}, "stats-biz:all:q2026-Q1": {"1", "2"}, "stats-biz:all:y2026:waste": {"1"},
		"stats-biz:area:CB1:m2026-01": {"1"}, "stats-biz:area:CB:y2026:carbon": {"1"},
	}
	for key, members := range sets {
		got := rdb.SMembers(ctx, k(key)).Val()
		slices.Sort(got)
		if !slices.Equal(got, members) {
			t.Errorf("%s = %v, want %v", key, got, members)
		}
	}
	if n := rdb.PFCount(ctx, k("stats-bizhll:all:d2026-01-05:carbon")).Val(); n != 2 {
		t.Errorf("day HyperLogLog counts %d businesses, want 2", n)
	}
}

// TestWritesFoldByThemselves: nothing has to read the counters for them to
// catch up; the write that fills the pending list folds it.
func TestWritesFoldByThemselves(t *testing.T) {
	s, rdb, run := foldFixture(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	for range foldAt + 3 {
		run(addPledge, "console:local:b", "0", "", 2, "p", "carbon", "1", "t", "", 0, "public", at.Unix())
	}
	if n := rdb.LLen(ctx, s.base("c")+"stats-pending").Val(); n != 3 {
		t.Errorf("%d lines pending, want 3", n)
	}
	if got := rdb.HGet(ctx, s.base("c")+"stats:all:m2026-03", "made:carbon").Val(); got != fmt.Sprint(foldAt) {
		t.Errorf("made:carbon = %q before any read, want %d", got, foldAt)
	}
}

// TestDeleteFoldsFirst: a business deleted while its writes are pending
// leaves no trace in the counters or sets, now or at a later fold.
func TestDeleteFoldsFirst(t *testing.T) {
	s, rdb, run := foldFixture(t)
	ctx := context.Background()
	at := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	run(addPledge, "console:local:a", "0", "", 1, "p", "carbon", "2", "t", "", 0, "public", at.Unix())
	run(addPledge, "console:local:b", "0", "", 2, "p", "carbon", "5", "t", "", 0, "public", at.Unix())
	run(progressPledge, progressArgs("console:local:b", 2, "1.5", at)...)
	run(deleteBusiness, "console:local:b", "0", "", 2)
	if err := s.FoldStats(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	k := func(rest string) string { return s.base("c") + rest }
	if got := rdb.SMembers(ctx, k("stats-biz:all:m2026-05:carbon")).Val(); !slices.Equal(got, []string{"1"}) {
		t.Errorf("month set holds %v, want business 1 only", got)
	}
	totals := rdb.HGetAll(ctx, k("totals")).Val()
	if totals["committed:carbon"] != "2" || totals["pledges:carbon"] != "1" || totals["delivered:carbon"] != "" {
		t.Errorf("totals after delete: %v", totals)
	}
	if got := rdb.HGet(ctx, k("stats:all:m2026-05"), "made:carbon").Val(); got != "1" {
		t.Errorf("made:carbon = %q after delete, want 1", got)
	}
}

// TestCountersCancelExactly: what a withdraw or an edit takes away matches
// what the fold added, to the last digit, so a withdrawn 12.8 leaves 0 and
// not -0.000000000000001 (which summaries would show as "-0.00").
func TestCountersCancelExactly(t *testing.T) {
	s, rdb, run := foldFixture(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	ev := fmt.Sprintf(`{"kind":"x","at":%q}`, at.Format(time.RFC3339))
	run(addPledge, "console:local:a", "0", "", 1, "p", "carbon", "12.8", "t", "", 0, "public", at.Unix()) // pledge 1
	run(addPledge, "console:local:a", "0", "", 1, "p", "waste", "2.2", "t", "", 0, "public", at.Unix())   // 2
	run(progressPledge, progressArgs("console:local:a", 2, "0.1", at)...)
	run(progressPledge, progressArgs("console:local:a", 2, "0.2", at)...)
	if err := s.FoldStats(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	run(transition, "console:local:a", "0", "", 1, "withdrawn", ev, at.Unix())
	run(editPledge, "console:local:a", "0", "", 2, ev, at.Unix(), 0, "theme", "carbon")
	want := map[string]map[string]string{
		"totals":                     {"committed:carbon": "2.2", "committed:waste": "0", "delivered:carbon": "0.3", "delivered:waste": "0"},
		"stats:all:m2026-11":         {"committed:carbon": "2.2", "committed:waste": "0", "delivered:carbon": "0.3", "delivered:waste": "0", "made:waste": "0"},
		"stats:area:CB1:d2026-11-03": {"committed:carbon": "2.2", "delivered:waste": "0", "withdrawn:carbon": "1"},
	}
	for key, fields := range want {
		got := rdb.HGetAll(ctx, s.base("c")+key).Val()
		for f, v := range fields {
			if got[f] != v {
				t.Errorf("%s %s = %q, want %q", key, f, got[f], v)
			}
		}
	}
}

// TestFoldKeepsDeletedBusinessOutOfSets: a line left by a business that a
// release without fold-first deleted (a rolling upgrade) still adds its
// counts, which that deletion took away, but not the business.
func TestFoldKeepsDeletedBusinessOutOfSets(t *testing.T) {
	s, rdb, run := foldFixture(t)
	ctx := context.Background()
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	run(addPledge, "console:local:b", "0", "", 2, "p", "carbon", "5", "t", "", 0, "public", at.Unix())
	// What the old deletion did: counters taken away, keys gone, no fold.
	k := func(rest string) string { return s.base("c") + rest }
	rdb.HIncrByFloat(ctx, k("stats:all:m2026-06"), "made:carbon", -1)
	rdb.Del(ctx, k("business:2"))
	if err := s.FoldStats(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if got := rdb.HGet(ctx, k("stats:all:m2026-06"), "made:carbon").Val(); got != "0" {
		t.Errorf("made:carbon = %q, want 0", got)
	}
	if n := rdb.Exists(ctx, k("stats-biz:all:m2026-06"), k("stats-biz:all:m2026-06:carbon"), k("stats-bizhll:all:d2026-06-01")).Val(); n != 0 {
		t.Errorf("%d business sets hold the deleted business", n)
	}
}
