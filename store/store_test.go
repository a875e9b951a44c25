package store_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
	"github.com/redis/go-redis/v9"
)

const c = "c1"

var (
	alice = bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "alice"}}
	bob   = bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "bob"}}
	admin = bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "U1"}, Admin: true}
	ctx   = context.Background()
)

type fixture struct {
	s      *store.Store
	rdb    redis.UniversalClient
	prefix string
	rt     *store.RoundTrips
}

func newFixture(t *testing.T) *fixture {
	rdb := pledgetest.Client(t)
	prefix := pledgetest.Prefix(t, rdb)
	rt := &store.RoundTrips{}
	rdb.AddHook(rt)
	s := store.New(rdb, prefix)
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	return &fixture{s: s, rdb: rdb, prefix: prefix, rt: rt}
}

// snapshot captures every key and value under the fixture's prefix, so a
// test can prove a refused command wrote nothing.
func (f *fixture) snapshot(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	keys, err := pledgetest.Keys(f.rdb, f.prefix)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out[k] = f.dump(t, k)
	}
	return out
}

// dump is a key's whole value: DUMP's serialisation on Redis; on the
// embedded store, whose DUMP serialises strings only, its type, whether it expires and
// contents (hash fields and set members sorted, zset scores, stream ids).
func (f *fixture) dump(t *testing.T, k string) string {
	t.Helper()
	if !pledgetest.OnEmbedded() {
		v, err := f.rdb.Dump(ctx, k).Result()
		if err != nil && err != redis.Nil {
			t.Fatal(err)
		}
		return v
	}
	typ := f.rdb.Type(ctx, k).Val()
	// Whether it has a lifetime, not how much is left: the embedded store's
	// clock moves TTLs on every 100 ms, so two snapshots a second apart
	// would differ with nothing written (DUMP holds no TTL either).
	parts := []string{typ, fmt.Sprint("expires:", f.rdb.TTL(ctx, k).Val() > 0)}
	switch typ {
	case "string":
		parts = append(parts, f.rdb.Get(ctx, k).Val())
	case "hash":
		var fields []string
		for field, v := range f.rdb.HGetAll(ctx, k).Val() {
			fields = append(fields, strconv.Quote(field)+"="+strconv.Quote(v))
		}
		sort.Strings(fields)
		parts = append(parts, fields...)
	case "list":
		parts = append(parts, f.rdb.LRange(ctx, k, 0, -1).Val()...)
	case "set":
		members := f.rdb.SMembers(ctx, k).Val()
		sort.Strings(members)
		parts = append(parts, members...)
	case "zset":
		for _, z := range f.rdb.ZRangeWithScores(ctx, k, 0, -1).Val() {
			parts = append(parts, fmt.Sprint(z.Member, "@", z.Score))
		}
	case "stream":
		for _, m := range f.rdb.XRange(ctx, k, "-", "+").Val() {
			var fields []string
			for field, v := range m.Values {
				fields = append(fields, strconv.Quote(field)+"="+strconv.Quote(fmt.Sprint(v)))
			}
			sort.Strings(fields)
			parts = append(parts, m.ID+"{"+strings.Join(fields, " ")+"}")
		}
	case "none":
	default:
		t.Fatalf("%s: a %s, which dump does not read", k, typ)
	}
	return strings.Join(parts, "\n")
}

func sameSnapshot(t *testing.T, before, after map[string]string) {
	t.Helper()
	if len(before) != len(after) {
		t.Fatalf("keys changed: %d before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("key %s changed", k)
		}
	}
}

// allTime reads the figures of every pledge ever made (a period from 2000
// to a year from now).
func (f *fixture) allTime() (bot.PeriodStats, error) {
	ever := bot.Period{Start: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Now().AddDate(1, 0, 0)}
	cur, _, err := f.s.Summary(ctx, c, bot.SummaryFilter{Period: ever, Previous: bot.Period{Start: ever.Start, End: ever.Start}}, time.Now())
	return cur, err
}

func (f *fixture) business(t *testing.T, a bot.Actor, name string) bot.Business {
	t.Helper()
	b, err := f.s.RegisterBusiness(ctx, c, a, bot.Business{Name: name, CreatedAt: time.Now()}, "")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fixture) pledge(t *testing.T, a bot.Actor, p bot.NewPledge) bot.Pledge {
	t.Helper()
	if p.Theme == "" {
		p.Theme, p.Unit, p.Visibility = "volunteering", "hours", bot.Public
	}
	got, err := f.s.AddPledge(ctx, c, a, p, "")
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestRegisterBusiness(t *testing.T) {
	f := newFixture(t)
	b, err := f.s.RegisterBusiness(ctx, c, alice, bot.Business{Name: "Acme Bakery", Sector: "food", Postcode: "CB1"}, "req-1")
	if err != nil || b.Number != 1 {
		t.Fatalf("register: %+v %v", b, err)
	}
	again, err := f.s.RegisterBusiness(ctx, c, alice, bot.Business{Name: "Acme Bakery"}, "req-1")
	if err != nil || again.Number != 1 {
		t.Fatalf("replayed request should return #1, got %+v %v", again, err)
	}
	before := f.snapshot(t)
	_, err = f.s.RegisterBusiness(ctx, c, bob, bot.Business{Name: "ACME bakery"}, "req-2")
	if bot.ErrorCode(err) != bot.Conflict {
		t.Fatalf("duplicate name: want conflict, got %v", err)
	}
	sameSnapshot(t, before, f.snapshot(t))
	got, err := f.s.Business(ctx, c, 1)
	if err != nil || got.Name != "Acme Bakery" || got.Sector != "food" || len(got.Members) != 1 || got.Members[0].Role != bot.RoleOwner {
		t.Fatalf("read back: %+v %v", got, err)
	}
	if _, err := f.s.Business(ctx, c, 9); bot.ErrorCode(err) != bot.NotFound {
		t.Fatalf("missing business: %v", err)
	}
}

func TestMembers(t *testing.T) {
	f := newFixture(t)
	b := f.business(t, alice, "Acme")
	if err := f.s.SetMember(ctx, c, bob, b.Number, bob.ID, bot.RoleOwner, ""); bot.ErrorCode(err) != bot.Forbidden {
		t.Fatalf("non-owner adding: %v", err)
	}
	if err := f.s.SetMember(ctx, c, alice, b.Number, bob.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	mine, err := f.s.BusinessesOf(ctx, c, bob.ID)
	if err != nil || len(mine) != 1 || mine[0].Number != b.Number {
		t.Fatalf("bob's businesses: %+v %v", mine, err)
	}
	if err := f.s.RemoveMember(ctx, c, alice, b.Number, alice.ID, ""); bot.ErrorCode(err) != bot.Conflict {
		t.Fatalf("last owner leaving: %v", err)
	}
	if err := f.s.RemoveMember(ctx, c, bob, b.Number, bob.ID, ""); err != nil {
		t.Fatalf("member leaving by themselves: %v", err)
	}
	if err := f.s.SetMember(ctx, c, admin, b.Number, bob.ID, bot.RoleOwner, ""); err != nil {
		t.Fatalf("admin adding: %v", err)
	}
}

func TestPledgeLifecycle(t *testing.T) {
	f := newFixture(t)
	b := f.business(t, alice, "Acme")
	due := time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)
	p := f.pledge(t, alice, bot.NewPledge{Text: "Give 40 hours", Theme: "volunteering", Target: 40, Unit: "hours", Due: due, Visibility: bot.Public})
	if p.Number != 1 || p.Business != b.Number || p.BusinessName != "Acme" || p.Status != bot.StatusActive || !p.Due.Equal(due) {
		t.Fatalf("added: %+v", p)
	}
	for _, amount := range []float64{10, 2.5, 0.1, 0.2} {
		if p, _ = f.s.LogProgress(ctx, c, alice, 1, amount, "session", ""); p.Progress == 0 {
			t.Fatal("no progress recorded")
		}
	}
	if p.Progress != 12.8 {
		t.Fatalf("progress %v, want 12.8", p.Progress)
	}
	target := 50.0
	text := "Give 50 hours"
	if p, _ = f.s.EditPledge(ctx, c, alice, 1, bot.PledgeEdit{Target: &target, Text: &text}, ""); p.Target != 50 || p.Text != text {
		t.Fatalf("edit: %+v", p)
	}
	p, err := f.s.CompletePledge(ctx, c, alice, 1, "all done", "")
	if err != nil || p.Status != bot.StatusDone {
		t.Fatalf("done: %+v %v", p, err)
	}
	_, events, err := f.s.Pledge(ctx, c, alice, 1)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	want := "created progress progress progress progress edited done"
	if got := join(kinds); got != want {
		t.Fatalf("history %q, want %q", got, want)
	}
	if events[1].By != alice.ID.Key() || events[1].Amount != 10 || events[1].Note != "session" {
		t.Fatalf("progress event: %+v", events[1])
	}
	if _, err := f.s.LogProgress(ctx, c, alice, 1, 1, "", ""); bot.ErrorCode(err) != bot.Conflict {
		t.Fatalf("progress on a done pledge: %v", err)
	}
	cur, err := f.allTime()
	if v := cur.Themes["volunteering"]; err != nil || v == nil || v.Committed != 50 || v.ToDate != 12.8 || v.Done != 1 || v.Active != 0 || v.Live != 1 {
		t.Fatalf("figures: %+v %v", v, err)
	}
	if n := f.rdb.ZCard(ctx, f.prefix+":{c1}:due").Val(); n != 0 {
		t.Fatalf("done pledge still in the due index")
	}
}

func join(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out
}

func TestPledgeRefusalsWriteNothing(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.business(t, bob, "Bob's Bikes")
	f.pledge(t, alice, bot.NewPledge{Text: "x"})
	f.s.WithdrawPledge(ctx, c, alice, 1, "")
	f.pledge(t, alice, bot.NewPledge{Text: "y"})
	stranger := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "carol"}}
	before := f.snapshot(t)
	cases := []struct {
		name string
		err  error
		code bot.Code
	}{
		{"someone else's pledge", second(f.s.LogProgress(ctx, c, bob, 2, 1, "", "")), bot.Forbidden},
		{"withdrawn pledge", second(f.s.LogProgress(ctx, c, alice, 1, 1, "", "")), bot.Conflict},
		{"unknown pledge", second(f.s.LogProgress(ctx, c, alice, 99, 1, "", "")), bot.NotFound},
		{"no business", second(f.s.AddPledge(ctx, c, stranger, bot.NewPledge{Text: "z", Theme: "carbon"}, "")), bot.Invalid},
		{"other business", second(f.s.AddPledge(ctx, c, alice, bot.NewPledge{Business: 2, Text: "z", Theme: "carbon"}, "")), bot.Forbidden},
		{"unknown business", second(f.s.AddPledge(ctx, c, admin, bot.NewPledge{Business: 7, Text: "z", Theme: "carbon"}, "")), bot.NotFound},
		{"edit withdrawn", second(f.s.EditPledge(ctx, c, alice, 1, bot.PledgeEdit{}, "")), bot.Conflict},
		{"withdraw twice", second(f.s.WithdrawPledge(ctx, c, alice, 1, "")), bot.Conflict},
	}
	for _, tc := range cases {
		if bot.ErrorCode(tc.err) != tc.code {
			t.Errorf("%s: got %v (%s), want %s", tc.name, tc.err, bot.ErrorCode(tc.err), tc.code)
		}
	}
	sameSnapshot(t, before, f.snapshot(t))
}

func second[T any](_ T, err error) error { return err }

func TestIdempotentWrites(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	p1, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "carbon", Target: 5}, "trigger-1")
	if err != nil {
		t.Fatal(err)
	}
	p2, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "carbon", Target: 5}, "trigger-1")
	if err != nil || p2.Number != p1.Number {
		t.Fatalf("replay made pledge %d, want %d (%v)", p2.Number, p1.Number, err)
	}
	for i := 0; i < 3; i++ {
		if _, err := f.s.LogProgress(ctx, c, alice, p1.Number, 2, "", "trigger-2"); err != nil {
			t.Fatal(err)
		}
	}
	p, _, _ := f.s.Pledge(ctx, c, alice, p1.Number)
	if p.Progress != 2 {
		t.Fatalf("progress %v after three deliveries of one request, want 2", p.Progress)
	}
	if n := f.rdb.Get(ctx, f.prefix+":{c1}:seq:pledge").Val(); n != "1" {
		t.Fatalf("pledge counter %s, want 1", n)
	}
}

func TestPrivatePledges(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.business(t, bob, "Bikes")
	f.pledge(t, alice, bot.NewPledge{Text: "secret", Theme: "carbon", Visibility: bot.Private})
	f.pledge(t, alice, bot.NewPledge{Text: "open", Theme: "carbon", Visibility: bot.Public})
	for _, tc := range []struct {
		who  bot.Actor
		want int
	}{{alice, 2}, {bob, 1}, {admin, 2}} {
		ps, err := f.s.Pledges(ctx, c, tc.who, bot.PledgeFilter{})
		if err != nil || len(ps) != tc.want {
			t.Errorf("%s sees %d pledges, want %d (%v)", tc.who.ID.User, len(ps), tc.want, err)
		}
	}
	if _, _, err := f.s.Pledge(ctx, c, bob, 1); bot.ErrorCode(err) != bot.NotFound {
		t.Fatalf("bob reading a private pledge: %v", err)
	}
	f.rdb.SAdd(ctx, f.prefix+":{c1}:role:admin", bob.ID.Key())
	if _, _, err := f.s.Pledge(ctx, c, bob, 1); err != nil {
		t.Fatalf("granted admin reading a private pledge: %v", err)
	}
}

func TestListFilters(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.business(t, bob, "Bikes")
	f.pledge(t, alice, bot.NewPledge{Text: "a", Theme: "carbon"})
	f.pledge(t, alice, bot.NewPledge{Text: "b", Theme: "waste"})
	f.pledge(t, bob, bot.NewPledge{Text: "c", Theme: "carbon"})
	f.s.CompletePledge(ctx, c, alice, 2, "", "")
	f.s.WithdrawPledge(ctx, c, bob, 3, "")
	for _, tc := range []struct {
		f    bot.PledgeFilter
		want string
	}{
		{bot.PledgeFilter{}, "2 1"},
		{bot.PledgeFilter{Status: "all"}, "3 2 1"},
		{bot.PledgeFilter{Status: bot.StatusWithdrawn}, "3"},
		{bot.PledgeFilter{Theme: "carbon", Status: "all"}, "3 1"},
		{bot.PledgeFilter{Business: 1}, "2 1"},
		{bot.PledgeFilter{Status: "all", Limit: 2}, "3 2"},
	} {
		ps, err := f.s.Pledges(ctx, c, alice, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var nums []string
		for _, p := range ps {
			nums = append(nums, strconv.Itoa(p.Number))
		}
		if got := join(nums); got != tc.want {
			t.Errorf("filter %+v: got %q, want %q", tc.f, got, tc.want)
		}
	}
}

// TestRoundTrips holds the hot commands to their budgets: add and progress
// one round trip each, a list of 50 one.
func TestRoundTrips(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	for i := 0; i < 60; i++ {
		f.pledge(t, alice, bot.NewPledge{Text: "x"})
	}
	measure := func(name string, max int64, fn func() error) {
		f.rt.Reset()
		if err := fn(); err != nil {
			t.Fatal(err)
		}
		if got := f.rt.Count(); got > max {
			t.Errorf("%s took %d round trips, budget %d", name, got, max)
		}
	}
	measure("add", 1, func() error {
		_, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "y", Theme: "carbon"}, "r1")
		return err
	})
	measure("progress", 1, func() error { _, err := f.s.LogProgress(ctx, c, alice, 3, 1, "", "r2"); return err })
	measure("list 50", 2, func() error {
		ps, err := f.s.Pledges(ctx, c, alice, bot.PledgeFilter{Limit: 50})
		if len(ps) != 50 {
			t.Errorf("listed %d", len(ps))
		}
		return err
	})
	measure("show", 1, func() error { _, _, err := f.s.Pledge(ctx, c, alice, 3); return err })
}

func TestUnavailable(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	defer rdb.Close()
	s := store.New(rdb, "pbtest-down")
	_, err := s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "carbon"}, "")
	if !errors.Is(err, bot.ErrUnavailable) || bot.ErrorCode(err) != bot.Unavailable {
		t.Fatalf("want unavailable, got %v", err)
	}
	if _, err := s.Businesses(ctx, c); bot.ErrorCode(err) != bot.Unavailable {
		t.Fatalf("want unavailable, got %v", err)
	}
}

func TestKeysCarryCommunityHashTag(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.pledge(t, alice, bot.NewPledge{Text: "x"})
	f.s.LogProgress(ctx, c, alice, 1, 1, "", "req")
	for k := range f.snapshot(t) {
		if k == f.prefix+":communities" || strings.HasPrefix(k, f.prefix+":communities-of:") {
			continue // the global keys (keys.go): never used with others in a script
		}
		if want := f.prefix + ":{c1}:"; k[:len(want)] != want {
			t.Errorf("key %s lacks the community hash tag", k)
		}
	}
}

// A request id reused for another target or by another person must never
// replay someone else's record: the id answers only for its first use.
func TestReplayedIDCannotReadAnotherPledge(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.business(t, bob, "Bikes")
	f.pledge(t, alice, bot.NewPledge{Text: "alice's"})
	f.pledge(t, bob, bot.NewPledge{Text: "SECRET bob private", Theme: "carbon", Visibility: bot.Private})
	if _, err := f.s.LogProgress(ctx, c, alice, 1, 1, "", "REQ1"); err != nil {
		t.Fatal(err)
	}
	if p, err := f.s.LogProgress(ctx, c, alice, 2, 1, "", "REQ1"); bot.ErrorCode(err) != bot.Forbidden || p.Text != "" {
		t.Fatalf("reused id on bob's pledge: %+v %v", p, err)
	}
	if p, err := f.s.LogProgress(ctx, c, bob, 1, 1, "", "REQ1"); bot.ErrorCode(err) != bot.Forbidden || p.Text != "" {
		t.Fatalf("bob replaying alice's id: %+v %v", p, err)
	}
	if _, err := f.s.CompletePledge(ctx, c, alice, 1, "", "REQ1"); err != nil {
		t.Fatalf("same id on another operation should act: %v", err)
	}
}
