package store

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// streamAudit reads an audit stream as the release before the audit list
// did (its decodeAudit), newest first: what /audit and exports showed.
func streamAudit(t *testing.T, rdb *redis.Client, key string) []bot.AuditEntry {
	t.Helper()
	msgs, err := rdb.XRevRange(context.Background(), key, "+", "-").Result()
	if err != nil {
		t.Fatal(err)
	}
	var out []bot.AuditEntry
	for _, m := range msgs {
		str := func(k string) string { v, _ := m.Values[k].(string); return v }
		e := bot.AuditEntry{ID: m.ID, By: str("by"), Action: str("action"), Detail: str("detail")}
		ms, _ := strconv.ParseInt(strings.SplitN(m.ID, "-", 2)[0], 10, 64)
		e.At = time.UnixMilli(ms).UTC()
		e.Business, _ = strconv.Atoi(str("business"))
		e.Pledge, _ = strconv.Atoi(str("pledge"))
		out = append(out, e)
	}
	return out
}

// notLedger keeps the entries of the audit key, leaving out the ledger's,
// which Audit merges in.
func notLedger(es []bot.AuditEntry) []bot.AuditEntry {
	var out []bot.AuditEntry
	for _, e := range es {
		if !strings.HasPrefix(e.ID, "ledger:") {
			out = append(out, e)
		}
	}
	return out
}

// An audit stream written by the release before the audit list (the
// fixture of 0361339, then entries as 8a0da89 wrote them, with a '|' and a
// '%' in who and what, several in one millisecond, and more than one
// batch of the migration) reads the same after MigrateAudit, with its ids,
// for the community and for one business; a second run changes nothing,
// and the next write appends after them.
func TestMigrateAuditKeepsEntries(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	t.Cleanup(s.people.close)
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	loadFixture(t, rdb, s, "town", "testdata/ledger-0361339.json")
	key := s.key("town", "audit")
	add := func(id, by, action, biz, pledge, detail string) {
		t.Helper()
		err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: id, Values: []any{"by", by, "action", action,
			"business", biz, "pledge", pledge, "detail", detail}}).Err()
		if err != nil {
			t.Fatal(err)
		}
	}
	// (An hour ahead of the clock, as a clock that stepped back leaves.)
	ms := time.Now().Add(time.Hour).UnixMilli()
	add(fmt.Sprintf("%d-0", ms), "operator:a|b%7C", "member.erase", "", "", "")
	add(fmt.Sprintf("%d-1", ms), "slack:T1:UANN", "business.edit", "1", "", "name|Acme & Sons\nline two")
	add(fmt.Sprintf("%d-2", ms), "slack:T1:UANN", "s172.log", "1", "", "decision 3")
	for i := range 1200 {
		add(fmt.Sprintf("%d-0", ms+1000+int64(i)), "discord:G1:42", "need.post", "", "", "need:"+strconv.Itoa(i))
	}
	want := streamAudit(t, rdb, key)
	var wantBiz []bot.AuditEntry
	for _, e := range want {
		if e.Business == 1 {
			wantBiz = append(wantBiz, e)
		}
	}
	if len(want) < 1205 || len(wantBiz) < 3 {
		t.Fatalf("fixture: %d entries, %d of business 1", len(want), len(wantBiz))
	}
	if err := s.MigrateAudit(ctx, "town"); err != nil {
		t.Fatal(err)
	}
	if typ := rdb.Type(ctx, key).Val(); typ != "list" {
		t.Fatalf("audit is a %s after the migration", typ)
	}
	if left := rdb.Keys(ctx, s.key("town", "audit:scrub:*")).Val(); len(left) != 0 {
		t.Fatalf("scratch lists left behind: %v", left)
	}
	list := rdb.LRange(ctx, key, 0, -1).Val()
	if err := s.MigrateAudit(ctx, "town"); err != nil {
		t.Fatal(err)
	}
	if again := rdb.LRange(ctx, key, 0, -1).Val(); !reflect.DeepEqual(again, list) {
		t.Fatal("a second run changed the audit")
	}
	got, err := s.Audit(ctx, "town", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got = notLedger(got); !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("entry %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	gotBiz, err := s.Audit(ctx, "town", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if gotBiz = notLedger(gotBiz); !reflect.DeepEqual(gotBiz, wantBiz) {
		t.Fatalf("business 1: %+v, want %+v", gotBiz, wantBiz)
	}
	// The newest entry, with its '|' and '%', as the old reader gave it.
	if e := got[1202]; e.By != "operator:a|b%7C" || e.ID != fmt.Sprintf("%d-0", ms) || e.Action != "member.erase" {
		t.Fatalf("escaped entry: %+v", e)
	}
	if e := got[1201]; e.Detail != "name|Acme & Sons\nline two" || e.ID != fmt.Sprintf("%d-1", ms) {
		t.Fatalf("detail with a '|': %+v", e)
	}
	// A write after: its id is past every migrated one, the last ms's
	// next SEQ, since the clock is behind it.
	actor := bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "UANN"}, Admin: true}
	if _, err := s.RegisterBusiness(ctx, "town", actor, bot.Business{Name: "Zed Ltd"}, ""); err != nil {
		t.Fatal(err)
	}
	after, err := s.Audit(ctx, "town", 0, 1)
	if err != nil || len(after) != 1 || after[0].Action != "business.register" || after[0].ID != fmt.Sprintf("%d-1", ms+2199) {
		t.Fatalf("write after the migration: %+v %v", after, err)
	}
}

// A community whose audit is still a stream (a replica whose migration
// has not run) takes audit writes on the stream, which the migration then
// carries over.
func TestAuditWritesToAStreamUntilMigrated(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	t.Cleanup(s.people.close)
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	key := s.key("c1", "audit")
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: "1700000000000-0", Values: []any{"by", "slack:T1:UA", "action", "need.post",
		"business", "", "pledge", "", "detail", "need:1"}})
	actor := bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "UA"}}
	if _, err := s.RegisterBusiness(ctx, "c1", actor, bot.Business{Name: "Acme"}, ""); err != nil {
		t.Fatal(err)
	}
	if n := rdb.XLen(ctx, key).Val(); n != 2 {
		t.Fatalf("stream has %d entries, want 2", n)
	}
	want := streamAudit(t, rdb, key)
	got, err := s.Audit(ctx, "c1", 0, 0) // migrates first
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(notLedger(got), want) || rdb.Type(ctx, key).Val() != "list" {
		t.Fatalf("after: %+v, want %+v", got, want)
	}
}

// Runs of the audit migration overlap (every replica at start-up, and the
// audit's readers): with 2,500 stream entries and batches of 1,000, run A
// moves two batches, run B starts, then A moves its last 500 and swaps its
// list in. Each run has its own scratch list, so the audit holds all 2,500
// entries, in order, once (with one scratch list B's start emptied it and
// A swapped in 1,500: review of 6 Dec). B's scratch expires if B stops
// there; B's next step finds a list, drops its scratch and is done.
func TestMigrateAuditRunsOverlap(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	t.Cleanup(s.people.close)
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	key := s.key("c1", "audit")
	ms := time.Now().UnixMilli()
	for i := range 2500 {
		err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: fmt.Sprintf("%d-0", ms+int64(i)),
			Values: []any{"by", "slack:T1:UANN", "action", "need.post", "business", "", "pledge", "", "detail", "need:" + strconv.Itoa(i)}}).Err()
		if err != nil {
			t.Fatal(err)
		}
	}
	step := func(token, cursor string) string {
		t.Helper()
		call := migrateAuditCall{Token: token, Cursor: cursor, Batch: auditBatch}
		next, err := migrateAudit.Run(ctx, s.rdb, s.base("c1"), call.argv()...).Text()
		if err != nil {
			t.Fatal(err)
		}
		return next
	}
	a := step("a", "-")
	a = step("a", a)
	b := step("b", "-")
	if a == "" || b == "" {
		t.Fatalf("cursors %q and %q: a run ended early", a, b)
	}
	if a = step("a", a); a != "" {
		t.Fatalf("A's last batch returned %q", a)
	}
	list := rdb.LRange(ctx, key, 0, -1).Val()
	if len(list) != 2500 {
		t.Fatalf("the audit holds %d entries, want 2500", len(list))
	}
	for i, e := range list {
		if !strings.HasSuffix(e, "|need:"+strconv.Itoa(i)) {
			t.Fatalf("entry %d is %q, want need:%d", i, e, i)
		}
	}
	if ttl := rdb.TTL(ctx, key).Val(); ttl != -1 {
		t.Fatalf("the audit expires in %v", ttl)
	}
	scratchB := s.key("c1", "audit:scrub:b")
	if n := rdb.LLen(ctx, scratchB).Val(); n != 1000 {
		t.Fatalf("B's scratch list holds %d entries, want its first batch, 1000", n)
	}
	if ttl := rdb.TTL(ctx, scratchB).Val(); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Fatalf("B's scratch list expires in %v, want an hour", ttl)
	}
	if b = step("b", b); b != "" {
		t.Fatalf("B's step after A swapped returned %q", b)
	}
	if left := rdb.Keys(ctx, s.key("c1", "audit:scrub:*")).Val(); len(left) != 0 {
		t.Fatalf("scratch lists left behind: %v", left)
	}
	if again := rdb.LRange(ctx, key, 0, -1).Val(); !reflect.DeepEqual(again, list) {
		t.Fatal("B's late finish changed the audit")
	}
}

// A run whose scratch list expired between its steps (stalled for an
// hour) starts again rather than swapping in only its last batches.
func TestMigrateAuditStartsAgainWhenScratchExpired(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	t.Cleanup(s.people.close)
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	key := s.key("c1", "audit")
	for i := range 1500 {
		if err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: key, Values: []any{"by", "slack:T1:UANN", "action", "need.post", "detail", strconv.Itoa(i)}}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	step := func(cursor string) string {
		t.Helper()
		call := migrateAuditCall{Token: "a", Cursor: cursor, Batch: auditBatch}
		next, err := migrateAudit.Run(ctx, s.rdb, s.base("c1"), call.argv()...).Text()
		if err != nil {
			t.Fatal(err)
		}
		return next
	}
	a := step("-")
	rdb.Del(ctx, s.key("c1", "audit:scrub:a")) // (as its expiry would)
	if a = step(a); a != "-" {
		t.Fatalf("the step after the scratch list went returned %q, want '-'", a)
	}
	for a = step(a); a != ""; a = step(a) {
	}
	if n := rdb.LLen(ctx, key).Val(); n != 1500 {
		t.Fatalf("the audit holds %d entries, want 1500", n)
	}
}
