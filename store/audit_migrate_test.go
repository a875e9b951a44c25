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
	if n := rdb.Exists(ctx, s.key("town", "audit:scrub:migrate")).Val(); n != 0 {
		t.Fatal("scratch list left behind")
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
