package store_test

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

// serverDay is today's UTC day number by the Redis server's clock, as the
// scripts date request records.
func (f *fixture) serverDay(t *testing.T) int64 {
	t.Helper()
	now, err := f.rdb.Time(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	return now.Unix() / 86400
}

// idemKey is a person's request-record hash for a day (lua/prelude.lua
// idem_key): by their number in the community, the first of their field of
// people ("=N,..."), once they have one, else by identity.
func (f *fixture) idemKey(who bot.Identity, day int64) string {
	name := who.Key()
	if v := f.rdb.HGet(ctx, fmt.Sprintf("%s:{%s}:people", f.prefix, c), who.Key()).Val(); strings.HasPrefix(v, "=") {
		name, _, _ = strings.Cut(v[1:], ",")
	}
	return fmt.Sprintf("%s:{%s}:idem:%s:%d", f.prefix, c, name, day)
}

func (f *fixture) progressOf(t *testing.T, n int) (float64, int) {
	t.Helper()
	p, events, err := f.s.Pledge(ctx, c, alice, n)
	if err != nil {
		t.Fatal(err)
	}
	return p.Progress, len(events)
}

// A replayed request id returns the first result and acts once, within the
// day and across the UTC day boundary (the record in yesterday's hash);
// two days on, nothing looks at it any more.
func TestReplayWithinAndAcrossTheDay(t *testing.T) {
	f := newFixture(t)
	day := f.serverDay(t)
	f.business(t, alice, "Acme")
	first, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "carbon", Target: 7}, "trigger-add")
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "other", Theme: "carbon", Target: 9}, "trigger-add")
	if err != nil || again.Number != first.Number || again.Text != "x" {
		t.Fatalf("replayed add: %+v %v, want #%d", again, err, first.Number)
	}
	if _, err := f.s.LogProgress(ctx, c, alice, 1, 2, "", "trigger-progress"); err != nil {
		t.Fatal(err)
	}
	if p, err := f.s.LogProgress(ctx, c, alice, 1, 2, "", "trigger-progress"); err != nil || p.Number != 1 || p.Progress != 2 {
		t.Fatalf("replayed progress: %+v %v", p, err)
	}
	if progress, events := f.progressOf(t, 1); progress != 2 || events != 2 {
		t.Fatalf("after replays today: progress %v, %d events; want 2, 2", progress, events)
	}
	if f.serverDay(t) != day {
		t.Skip("the UTC day turned during the test")
	}

	// One hash for the person's day, expiring at the end of tomorrow; the
	// fields hold digests, not the platform's ids.
	today := f.idemKey(alice.ID, day)
	fields, err := f.rdb.HGetAll(ctx, today).Result()
	if err != nil || len(fields) != 2 {
		t.Fatalf("today's records %s: %v %v, want pledge-add, pledge-progress and nothing else", today, fields, err)
	}
	// (a letter for the operation, a for pledge-add and p for
	// pledge-progress, then the digest's first 6 bytes)
	for k, v := range fields {
		op, req := k[:1], k[1:]
		id := map[string]string{"a": "trigger-add", "p": "trigger-progress"}[op]
		sum := sha256.Sum256([]byte(id))
		if id == "" || req != string(sum[:6]) || strings.Contains(k, "trigger") || v != "1" {
			t.Errorf("record %q => %q", k, v)
		}
	}
	ttl := f.rdb.TTL(ctx, today).Val()
	if ttl <= 24*time.Hour || ttl > 48*time.Hour {
		t.Errorf("today's records expire in %v, want the end of tomorrow (24-48h)", ttl)
	}

	// Across midnight: the records are yesterday's.
	if err := f.rdb.Rename(ctx, today, f.idemKey(alice.ID, day-1)).Err(); err != nil {
		t.Fatal(err)
	}
	again, err = f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "other", Theme: "carbon", Target: 9}, "trigger-add")
	if err != nil || again.Number != first.Number {
		t.Fatalf("add replayed from yesterday's records: %+v %v", again, err)
	}
	if p, err := f.s.LogProgress(ctx, c, alice, 1, 2, "", "trigger-progress"); err != nil || p.Progress != 2 {
		t.Fatalf("progress replayed from yesterday's records: %+v %v", p, err)
	}
	if progress, events := f.progressOf(t, 1); progress != 2 || events != 2 {
		t.Fatalf("after replays across the day: progress %v, %d events; want 2, 2", progress, events)
	}
	if n := f.rdb.Exists(ctx, today).Val(); n != 0 {
		t.Fatal("a replay wrote a record again")
	}

	// Two days on, the hash is no longer read (it has expired by then).
	if err := f.rdb.Rename(ctx, f.idemKey(alice.ID, day-1), f.idemKey(alice.ID, day-2)).Err(); err != nil {
		t.Fatal(err)
	}
	if p, err := f.s.LogProgress(ctx, c, alice, 1, 2, "", "trigger-progress"); err != nil || p.Progress != 4 {
		t.Fatalf("a record of two days ago still answered: %+v %v", p, err)
	}
}

// A record written before operations were letters (field OP:REQ, as
// releases up to 0361339 named it), or before digests were bytes (CODE
// and 11 characters, up to 2cc2921), or in a hash named by identity (up
// to persons-business-2026-12), still answers a retry that crosses the
// upgrade, today's or yesterday's.
func TestReplayFindsARecordOfTheReleaseBefore(t *testing.T) {
	f := newFixture(t)
	day := f.serverDay(t)
	f.business(t, alice, "Acme")
	if _, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "carbon", Target: 7}, ""); err != nil {
		t.Fatal(err)
	}
	digest := func(id string) string {
		sum := sha256.Sum256([]byte(id))
		return base64.RawURLEncoding.EncodeToString(sum[:12])
	}
	f.rdb.HSet(ctx, f.idemKey(alice.ID, day), "pledge-progress:"+digest("old-today"), "1")
	f.rdb.HSet(ctx, f.idemKey(alice.ID, day-1), "pledge-progress:"+digest("old-yesterday"), "1")
	f.rdb.HSet(ctx, f.idemKey(alice.ID, day), "p"+digest("chars-today")[:11], "1")
	f.rdb.HSet(ctx, f.idemKey(alice.ID, day-1), "p"+digest("chars-yesterday")[:11], "1")
	// Up to persons-business-2026-12 the hash was named by identity; alice
	// now has a number (her pledge), and her records go by it.
	byID := fmt.Sprintf("%s:{%s}:idem:%s:", f.prefix, c, alice.ID.Key())
	if f.idemKey(alice.ID, day) == byID+fmt.Sprint(day) {
		t.Fatalf("alice has no number: %s", f.idemKey(alice.ID, day))
	}
	for i, id := range []string{"by-identity-today", "by-identity-yesterday"} {
		req, _ := base64.RawURLEncoding.DecodeString(digest(id)[:8])
		f.rdb.HSet(ctx, byID+fmt.Sprint(day-int64(i)), "p"+string(req), "1")
	}
	for _, id := range []string{"old-today", "old-yesterday", "chars-today", "chars-yesterday", "by-identity-today", "by-identity-yesterday"} {
		if p, err := f.s.LogProgress(ctx, c, alice, 1, 2, "", id); err != nil || p.Progress != 0 {
			t.Fatalf("retry %s of a request the release before recorded: %+v %v, want no progress logged", id, p, err)
		}
	}
	if p, err := f.s.LogProgress(ctx, c, alice, 1, 2, "", "new"); err != nil || p.Progress != 2 {
		t.Fatalf("a new request: %+v %v", p, err)
	}
}

// The same request id for another operation, another person or another
// target acts: a record answers only for its operation and person.
func TestRequestIDAnswersOnlyItsOperationAndPerson(t *testing.T) {
	f := newFixture(t)
	carol := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "carol"}}
	if _, err := f.s.RegisterBusiness(ctx, c, alice, bot.Business{Name: "Acme"}, "same"); err != nil {
		t.Fatal(err)
	}
	if b, err := f.s.RegisterBusiness(ctx, c, bob, bot.Business{Name: "Bikes"}, "same"); err != nil || b.Number != 2 {
		t.Fatalf("bob's register with alice's id: %+v %v", b, err)
	}
	pa, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "alice's", Theme: "carbon", Target: 7}, "same")
	if err != nil || pa.Number != 1 {
		t.Fatalf("alice's add with her register's id: %+v %v", pa, err)
	}
	pb, err := f.s.AddPledge(ctx, c, bob, bot.NewPledge{Text: "bob's", Theme: "carbon", Target: 7}, "same")
	if err != nil || pb.Number != 2 || pb.Text != "bob's" {
		t.Fatalf("bob's add with alice's id: %+v %v", pb, err)
	}
	if p, err := f.s.LogProgress(ctx, c, alice, 1, 3, "", "same"); err != nil || p.Progress != 3 {
		t.Fatalf("alice's progress with her add's id: %+v %v", p, err)
	}
	if p, err := f.s.LogProgress(ctx, c, bob, 2, 5, "", "same"); err != nil || p.Progress != 5 {
		t.Fatalf("bob's progress with alice's id: %+v %v", p, err)
	}
	// A member change replays only for the same business, person and role.
	if err := f.s.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleMember, "member"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetMember(ctx, c, alice, 1, carol.ID, bot.RoleMember, "member"); err != nil {
		t.Fatal(err)
	}
	b, err := f.s.Business(ctx, c, 1)
	if err != nil || len(b.Members) != 3 {
		t.Fatalf("members after reusing an id for another person: %+v %v", b.Members, err)
	}
}

// After ErasePerson no key name or value in the community names the
// person: not their own request records of the last days, nor the owner's
// record of adding them.
func TestEraseLeavesNoRequestRecordNamingThePerson(t *testing.T) {
	f := newFixture(t)
	day := f.serverDay(t)
	if _, err := f.s.RegisterBusiness(ctx, c, alice, bot.Business{Name: "Acme"}, "t-register"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleMember, "t-add-bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddPledge(ctx, c, bob, bot.NewPledge{Text: "x", Theme: "carbon", Target: 7}, "t-add"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.LogProgress(ctx, c, bob, 1, 2, "by bob", "t-progress"); err != nil {
		t.Fatal(err)
	}
	// Records of the two days before, as the clock turning would leave
	// (yesterday's by his identity, as releases before named them).
	f.rdb.HSet(ctx, f.idemKey(bob.ID, day-1), "pAAAAAAAAAAA", "1")
	f.rdb.HSet(ctx, fmt.Sprintf("%s:{%s}:idem:%s:%d", f.prefix, c, bob.ID.Key(), day-2), "pAAAAAAAAAAA", "1")
	bobsKeys := []string{f.idemKey(bob.ID, day), f.idemKey(bob.ID, day-1), fmt.Sprintf("%s:{%s}:idem:%s:%d", f.prefix, c, bob.ID.Key(), day-2)}
	bobs := int(f.rdb.Exists(ctx, bobsKeys...).Val())
	if bobs < 3 {
		t.Fatalf("bob has %d request-record hashes before the erasure, want 3", bobs)
	}
	owner := f.idemKey(alice.ID, f.serverDay(t))
	if n := len(f.rdb.HGetAll(ctx, owner).Val()); n != 2 {
		t.Fatalf("alice's records %s: %d, want register and add-member", owner, n)
	}

	if _, err := f.s.ErasePerson(ctx, "operator:root", bob.ID); err != nil {
		t.Fatal(err)
	}
	if n := f.rdb.Exists(ctx, bobsKeys...).Val(); n != 0 {
		t.Errorf("%d of bob's request-record hashes %v left", n, bobsKeys)
	}
	keys, _ := pledgetest.Keys(f.rdb, f.prefix)
	for _, k := range keys {
		if strings.Contains(k, bob.ID.Key()) {
			t.Errorf("leftover key %s", k)
		}
		if v := contents(t, f, k); strings.Contains(v, bob.ID.Key()) {
			t.Errorf("%s still names bob: %s", k, v)
		}
	}
	// The owner's record of adding bob is still there, as a digest.
	if n := len(f.rdb.HGetAll(ctx, owner).Val()); n != 2 {
		t.Fatalf("alice's records after the erasure: %d, want 2", n)
	}
	// And still answers a replay of the same change without acting.
	if err := f.s.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleMember, "t-add-bob"); err != nil {
		t.Fatal(err)
	}
	if b, _ := f.s.Business(ctx, c, 1); len(b.Members) != 1 {
		t.Fatalf("a replayed add-member acted after the erasure: %+v", b.Members)
	}
}

// contents is every string a key holds (hash fields and values, members,
// entries), space-separated.
func contents(t *testing.T, f *fixture, k string) string {
	t.Helper()
	var parts []string
	switch f.rdb.Type(ctx, k).Val() {
	case "string":
		parts = append(parts, f.rdb.Get(ctx, k).Val())
	case "hash":
		for field, v := range f.rdb.HGetAll(ctx, k).Val() {
			parts = append(parts, field, v)
		}
	case "list":
		parts = f.rdb.LRange(ctx, k, 0, -1).Val()
	case "set":
		parts = f.rdb.SMembers(ctx, k).Val()
	case "zset":
		parts = f.rdb.ZRange(ctx, k, 0, -1).Val()
	case "stream":
		for _, m := range f.rdb.XRange(ctx, k, "-", "+").Val() {
			for field, v := range m.Values {
				parts = append(parts, field, fmt.Sprint(v))
			}
		}
	default:
		parts = append(parts, f.rdb.Dump(ctx, k).Val())
	}
	return strings.Join(parts, " ")
}

// Keys given a lifetime go when it ends on the embedded store too
// (miniredis counts TTLs down only when told; store.Open tells it every
// 100 ms): a key set for 150 ms is there after 0 ms and gone after 500 ms.
func TestEmbeddedStoreExpiresKeys(t *testing.T) {
	o, err := store.Open(ctx, store.Options{Prefix: "pb"})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	rdb := o.Client()
	rdb.Set(ctx, "pb:short", "x", 150*time.Millisecond)
	rdb.Set(ctx, "pb:kept", "x", time.Hour)
	if n := rdb.Exists(ctx, "pb:short", "pb:kept").Val(); n != 2 {
		t.Fatalf("%d of the 2 keys set", n)
	}
	time.Sleep(500 * time.Millisecond)
	if n := rdb.Exists(ctx, "pb:short").Val(); n != 0 {
		t.Fatal("a key outlived its 150 ms lifetime by 350 ms")
	}
	if ttl := rdb.TTL(ctx, "pb:kept").Val(); ttl <= 59*time.Minute || ttl > 60*time.Minute {
		t.Fatalf("an hour's key has %v left after 500 ms", ttl)
	}
}

// The embedded store (miniredis with gopher-lua) runs the same scripts:
// TIME, HGET/HSET/EXPIREAT and redis.sha1hex work there too.
func TestEmbeddedStoreKeepsRequestRecords(t *testing.T) {
	o, err := store.Open(ctx, store.Options{Prefix: "pb"})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if !o.Embedded {
		t.Fatal("not the embedded store")
	}
	if _, err := o.RegisterBusiness(ctx, c, alice, bot.Business{Name: "Acme"}, "r1"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if p, err := o.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "carbon", Target: 7}, "r2"); err != nil || p.Number != 1 {
			t.Fatalf("add: %+v %v", p, err)
		}
		if p, err := o.LogProgress(ctx, c, alice, 1, 2, "", "r3"); err != nil || p.Progress != 2 {
			t.Fatalf("progress: %+v %v", p, err)
		}
		if err := o.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleMember, "r4"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := o.ErasePerson(ctx, "operator:root", bob.ID); err != nil {
		t.Fatal(err)
	}
	if b, err := o.Business(ctx, c, 1); err != nil || len(b.Members) != 1 {
		t.Fatalf("after the erasure: %+v %v", b, err)
	}
}
