package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// loadFixture writes the keys of a community as an earlier release left
// them (testdata/figures-a36f063.json, dumped from that release after the
// scenario in TestMigrateMeasuresFromRelease) under community c.
func loadFixture(t *testing.T, rdb *redis.Client, s *Store, c, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Keys []struct {
			Key    string            `json:"key"`
			Type   string            `json:"type"`
			Str    string            `json:"str"`
			Hash   map[string]string `json:"hash"`
			List   []string          `json:"list"`
			Set    []string          `json:"set"`
			ZSet   [][2]string       `json:"zset"`
			Stream [][]string        `json:"stream"`
			// B64: its string, hash values and list items are base64
			// (packed pledges are bytes, not text)
			B64 bool `json:"b64"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	unb64 := func(v string) string {
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			t.Fatalf("fixture %s: %v", file, err)
		}
		return string(b)
	}
	for i := range f.Keys {
		k := &f.Keys[i]
		if !k.B64 {
			continue
		}
		k.Str = unb64(k.Str)
		for h, v := range k.Hash {
			k.Hash[h] = unb64(v)
		}
		for i, v := range k.List {
			k.List[i] = unb64(v)
		}
	}
	ctx := context.Background()
	for _, k := range f.Keys {
		if strings.HasPrefix(k.Key, "pbtest-") {
			continue // the set of communities, outside any community
		}
		key := s.base(c) + k.Key
		var err error
		switch k.Type {
		case "string":
			err = rdb.Set(ctx, key, k.Str, 0).Err()
		case "hash":
			err = rdb.HSet(ctx, key, k.Hash).Err()
		case "list":
			err = rdb.RPush(ctx, key, toAny(k.List)...).Err()
		case "set":
			err = rdb.SAdd(ctx, key, toAny(k.Set)...).Err()
		case "zset":
			for _, z := range k.ZSet {
				score, _ := strconv.ParseFloat(z[1], 64)
				if err = rdb.ZAdd(ctx, key, redis.Z{Score: score, Member: z[0]}).Err(); err != nil {
					break
				}
			}
		case "stream":
			for _, e := range k.Stream {
				if err = rdb.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: e[0], Values: toAny(e[1:])}).Err(); err != nil {
					break
				}
			}
		default:
			t.Fatalf("fixture key %s has type %s", k.Key, k.Type)
		}
		if err != nil {
			t.Fatalf("loading %s: %v", k.Key, err)
		}
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Data written by the release before measures (a36f063) summed a rate
// pledge's reports (60 then 80 made 140%) and kept per-day counters. After
// both migrations every figure is as checked by hand here, for calendar and
// rolling periods, the network and an area, and second runs change
// nothing.
//
// The scenario: 10 Aug 2026 Acme (CB1 2AB) #1 volunteering 40, progress
// 10; #2 private buy-local £20,000; Bakery (SW1A 1AA) #3 carbon 3.
// 15 Oct: #1 +5; #2 +1,500; #3 +1 and done; Bakery #4 waste 2. 20 Nov: #4
// withdrawn; #1 +3 and target edited to 50; Acme #5 fair-pay 100, reports
// 60 then 80.
func TestMigrateFromRelease(t *testing.T) {
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	ctx := context.Background()
	loadFixture(t, rdb, s, "town", "testdata/figures-a36f063.json")
	// Earlier releases wrote a long text whole, which made the pledge's
	// hash a hashtable; the migration makes it compact.
	long := strings.Repeat("Buy flour, butter and eggs from farms within twenty miles. ", 4)
	rdb.HSet(ctx, s.base("town")+"pledge:2", "text", long)
	// (The embedded store has no encodings: memory is Redis's.)
	if enc := rdb.ObjectEncoding(ctx, s.base("town")+"pledge:2").Val(); enc != "hashtable" && !onEmbedded() {
		t.Fatalf("a long text made a %s", enc)
	}
	rates := []string{"fair-pay", "prompt-payment"}
	if n, err := s.MigrateMeasures(ctx, "town", rates); err != nil || n != 1 {
		t.Fatalf("migrated %d pledges, %v; want the one fair-pay pledge", n, err)
	}
	if n, err := s.MigrateMeasures(ctx, "town", rates); err != nil || n != 0 {
		t.Fatalf("second run migrated %d, %v", n, err)
	}
	if ran, err := s.MigrateFigures(ctx, "town"); err != nil || !ran {
		t.Fatalf("figures migration ran %v: %v", ran, err)
	}
	if ran, err := s.MigrateFigures(ctx, "town"); err != nil || ran {
		t.Fatalf("second figures migration ran %v: %v", ran, err)
	}
	var old []string
	for _, k := range rdb.Keys(ctx, s.base("town")+"*").Val() {
		rest := strings.TrimPrefix(k, s.base("town"))
		if strings.HasPrefix(rest, "stats") || strings.HasPrefix(rest, "activity") || rest == "totals" {
			old = append(old, rest)
		}
	}
	if len(old) > 0 {
		t.Errorf("keys of the old counters left: %v", old)
	}
	admin := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "ann"}, Admin: true}
	// (packed, lua/prelude.lua pledge_load: the hash is gone, its bucket compact)
	bucket := s.base("town") + PledgeBucket(2)
	if p2, _, err := s.Pledge(ctx, "town", admin, 2); err != nil || p2.Text != long ||
		(rdb.ObjectEncoding(ctx, bucket).Val() != "listpack" && !onEmbedded()) || rdb.Exists(ctx, s.base("town")+"pledge:2").Val() != 0 {
		t.Errorf("pledge 2 after the migration: %q, %s (%v)", p2.Text, rdb.ObjectEncoding(ctx, bucket).Val(), err)
	}
	p, _, err := s.Pledge(ctx, "town", admin, 5)
	if err != nil || p.Progress != 80 || !p.Rate {
		t.Fatalf("pledge 5: progress %v rate %v (%v); want its latest report, 80, as a rate", p.Progress, p.Rate, err)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	quarter := func(y int, m time.Month) bot.Period {
		start := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		return bot.Period{Label: "q", Start: start, End: start.AddDate(0, 3, 0)}
	}
	read := func(f bot.SummaryFilter) (bot.PeriodStats, bot.PeriodStats) {
		cur, prev, err := s.Summary(ctx, "town", f, now)
		if err != nil {
			t.Fatal(err)
		}
		return cur, prev
	}
	q4, q3 := read(bot.SummaryFilter{Period: quarter(2026, 10), Previous: quarter(2026, 7)})
	// last-30d on 1 Dec: 2 Nov to 1 Dec, and 3 Oct to 1 Nov before it.
	d30, d30before := read(bot.SummaryFilter{
		Period:   bot.Period{Start: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), Daily: true},
		Previous: bot.Period{Start: time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), Daily: true}})
	cb1, _ := read(bot.SummaryFilter{Period: quarter(2026, 10), Previous: quarter(2026, 7), Area: "CB1"})
	carbonQ4, carbonQ3 := read(bot.SummaryFilter{Period: quarter(2026, 10), Previous: quarter(2026, 7), Theme: "carbon"})
	type fig struct {
		made, done, withdrawn, active, live int
		committed, delivered, toDate        float64
	}
	get := func(ps bot.PeriodStats, theme string) fig {
		th := ps.Themes[theme]
		if th == nil {
			return fig{}
		}
		return fig{th.Made, th.Done, th.Withdrawn, th.Active, th.Live, th.Committed, th.Delivered, th.ToDate}
	}
	for _, c := range []struct {
		name  string
		ps    bot.PeriodStats
		theme string
		want  fig
	}{
		// The edit to 50 counts from the pledge's start; progress in the
		// quarter it was logged; the withdrawn waste pledge nowhere but
		// its withdrawal; the rate pledge's reports are never summed.
		{"Q3", q3, "volunteering", fig{made: 1, active: 1, live: 1, committed: 50, delivered: 10, toDate: 10}},
		{"Q3", q3, "buy-local", fig{made: 1, active: 1, live: 1, committed: 20000}},
		{"Q3", q3, "carbon", fig{made: 1, active: 1, live: 1, committed: 3}},
		{"Q3", q3, "waste", fig{}},
		{"Q4", q4, "volunteering", fig{active: 1, live: 1, committed: 50, delivered: 8, toDate: 18}},
		{"Q4", q4, "buy-local", fig{active: 1, live: 1, committed: 20000, delivered: 1500, toDate: 1500}},
		{"Q4", q4, "carbon", fig{done: 1, live: 1, committed: 3, delivered: 1, toDate: 1}},
		{"Q4", q4, "waste", fig{withdrawn: 1}},
		{"Q4", q4, "fair-pay", fig{made: 1, active: 1, live: 1}},
		// The done carbon pledge closed before 2 Nov: not live after it.
		{"last-30d", d30, "volunteering", fig{active: 1, live: 1, committed: 50, delivered: 3, toDate: 18}},
		{"last-30d", d30, "carbon", fig{}},
		{"last-30d", d30, "waste", fig{withdrawn: 1}},
		{"30d before", d30before, "volunteering", fig{active: 1, live: 1, committed: 50, delivered: 5, toDate: 15}},
		{"30d before", d30before, "carbon", fig{done: 1, live: 1, committed: 3, delivered: 1, toDate: 1}},
		{"30d before", d30before, "buy-local", fig{active: 1, live: 1, committed: 20000, delivered: 1500, toDate: 1500}},
		{"Q4 CB1", cb1, "volunteering", fig{active: 1, live: 1, committed: 50, delivered: 8, toDate: 18}},
		{"Q4 CB1", cb1, "carbon", fig{}},
		{"Q4 carbon", carbonQ4, "carbon", fig{done: 1, live: 1, committed: 3, delivered: 1, toDate: 1}},
		{"Q4 carbon", carbonQ4, "volunteering", fig{}},
	} {
		if got := get(c.ps, c.theme); got != c.want {
			t.Errorf("%s %s: %+v, want %+v", c.name, c.theme, got, c.want)
		}
	}
	// (its pledge names no partner: the one value reporting, its
	// business's, is self-reported)
	if want := (bot.RateStats{Pledges: 1, Businesses: 1, Reporting: 1, Median: 80, Min: 80, Max: 80, By: bot.VouchedCount{SelfReported: 1}}); q4.Themes["fair-pay"].Rate != want {
		t.Errorf("Q4 fair-pay rate %+v, want %+v", q4.Themes["fair-pay"].Rate, want)
	}
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"Q3", q3.Businesses, 2}, {"Q4", q4.Businesses, 2}, {"last-30d", d30.Businesses, 2},
		{"30d before", d30before.Businesses, 2}, {"Q4 CB1", cb1.Businesses, 1},
		{"Q4 carbon", carbonQ4.Businesses, 1}, {"Q3 carbon", carbonQ3.Businesses, 1},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d businesses, want %d", c.name, c.got, c.want)
		}
	}
}

// Data written before people had their own indexes (the release a36f063
// left, plus what later releases wrote by then: a role held alone, a nudge
// setting, an admin's audit entry, request records, a waiting notice, a
// member who left, notice decisions as strings) is indexed by one run of
// MigratePeople, and a second run does nothing.
func TestMigratePeopleIndexesEarlierData(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	t.Cleanup(s.people.close)
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	loadFixture(t, rdb, s, "c1", "testdata/figures-a36f063.json")
	base := s.base("c1")
	rdb.SAdd(ctx, s.key("c2", "role", "council"), "slack:T2:carol")
	rdb.HSet(ctx, base+"nudge-prefs", "console:local:dave", "off")
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: base + "audit", Values: []any{"by", "slack:T1:ADMIN", "action", "member.add",
		"business", "1", "pledge", "", "detail", "console:local:gina member"}})
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: base + "audit", Values: []any{"by", "pledgebot", "action", "pledge.lapsed"}})
	rdb.HSet(ctx, base+"idem:console:local:erin:20790", "progress:abc", "1")
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: base + "outbox", Values: []any{"key", "note:1",
		"notice", `{"ID":"note:1","To":{"Platform":"console","Workspace":"local","User":"frank"}}`}})
	rdb.SAdd(ctx, base+"business:1:past", "console:local:gina")
	legacy := map[string]time.Duration{
		"once:nudge:1:stale:1790000000":              time.Hour,
		"once:lapsed:3:1792054800:console:local:bob": 2 * time.Hour,
		"once:nudge:99:soon:2026-12-01":              time.Hour, // its pledge is gone
		"once:digest:2026-W48":                       time.Hour, // not about a pledge
	}
	for k, ttl := range legacy {
		rdb.Set(ctx, base+k, "1", ttl)
	}
	for i := range 1500 { // more than one batch
		rdb.Set(ctx, fmt.Sprintf("%sonce:nudge:2:stale:%d", base, i), "1", time.Hour)
	}

	n, err := s.MigratePeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"console:local:ann": "c1", "console:local:bob": "c1", "console:local:dave": "c1",
		"slack:T1:ADMIN": "c1", "console:local:erin": "c1", "console:local:frank": "c1", "console:local:gina": "c1",
		"slack:T2:carol": "c2"}
	if n != len(want) {
		t.Errorf("wrote %d entries, want %d", n, len(want))
	}
	for who, c := range want {
		if got, _ := s.communitiesOf(ctx, who); len(got) != 1 || got[0] != c {
			t.Errorf("%s appears in %v, want [%s]", who, got, c)
		}
	}
	if got, _ := s.communitiesOf(ctx, "pledgebot"); len(got) != 0 {
		t.Error("the bot's own name was indexed as a person")
	}
	now := time.Now().Unix()
	for key, field := range map[string]string{"pledge:1:once": "stale:1790000000",
		"pledge:3:once": "lapsed:1792054800:console:local:bob"} {
		v, _ := strconv.ParseInt(rdb.HGet(ctx, base+key, field).Val(), 10, 64)
		if v < now+3000 || v > now+7300 {
			t.Errorf("%s %s = %d, want what is left of the decision's time", key, field, v)
		}
		if ttl := rdb.TTL(ctx, base+key).Val(); ttl <= 0 {
			t.Errorf("%s does not expire", key)
		}
	}
	if n := rdb.HLen(ctx, base+"pledge:2:once").Val(); n != 1500 {
		t.Errorf("pledge:2:once holds %d decisions, want 1500", n)
	}
	for k := range legacy {
		exists := rdb.Exists(ctx, base+k).Val() == 1
		if gone := strings.Contains(k, ":99:"); exists == gone {
			t.Errorf("%s exists: %v", k, exists)
		}
	}
	if got := rdb.HGet(ctx, s.migrationsKey(), "people").Val(); got != peopleRelease {
		t.Errorf("migrations: %q", got)
	}
	again := New(rdb, prefix)
	if n, err := again.MigratePeople(ctx); n != 0 || err != nil {
		t.Errorf("a second run: %d, %v", n, err)
	}
}

func TestPersonOfKey(t *testing.T) {
	for rest, want := range map[string]string{
		"person:slack:T1:U1": "slack:T1:U1", "person:slack:T1:U1:past": "slack:T1:U1",
		"person:slack:T1:past": "slack:T1:past", "person:slack:T1:past:past": "slack:T1:past",
		"idem:slack:T1:U1:20790": "slack:T1:U1", "once:lapsed:3:1792054800:slack:T1:U1": "slack:T1:U1",
		"once:nudge:3:stale:1": "", "pledge:1": "", "idem:pledgebot:20790": "", "person:x": "",
	} {
		if got := personOfKey(rest); got != want {
			t.Errorf("personOfKey(%q) = %q, want %q", rest, got, want)
		}
	}
}

// A write to a pledge the figures migration has not reached (it failed, or
// runs later) writes that pledge's old history into the ledger first, so
// nothing is lost and the migration, when it runs, finds it done.
func TestWriteBeforeFiguresMigration(t *testing.T) {
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	ctx := context.Background()
	loadFixture(t, rdb, s, "town", "testdata/figures-a36f063.json")
	if _, err := s.MigrateMeasures(ctx, "town", []string{"fair-pay", "prompt-payment"}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	ann := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "ann"}}
	if _, err := s.LogProgress(ctx, "town", ann, 1, 2, "late", ""); err != nil {
		t.Fatal(err)
	}
	if ran, err := s.MigrateFigures(ctx, "town"); err != nil || !ran {
		t.Fatalf("migration ran %v: %v", ran, err)
	}
	_, events, err := s.Pledge(ctx, "town", ann, 1)
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	if want := "created progress progress progress edited progress"; err != nil || strings.Join(kinds, " ") != want {
		t.Errorf("history %q (%v), want %q", strings.Join(kinds, " "), err, want)
	}
	if n := rdb.Exists(ctx, s.base("town")+"pledge:1:log").Val(); n != 0 {
		t.Error("the old history list is still there")
	}
	q4 := bot.Period{Start: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	cur, _, err := s.Summary(ctx, "town", bot.SummaryFilter{Period: q4, Previous: bot.Period{Start: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), End: q4.Start}, Theme: "volunteering"}, now)
	if v := cur.Themes["volunteering"]; err != nil || v == nil || v.Delivered != 10 || v.ToDate != 20 {
		t.Errorf("Q4 volunteering %+v (%v), want 10 delivered in the quarter (5+3+2), 20 to date", v, err)
	}
	// The old audit stream's pledge entries are the ledger's now: each
	// write is listed once.
	entries, err := s.Audit(ctx, "town", 0, 0)
	actions := map[string]int{}
	for _, e := range entries {
		actions[e.Action]++
	}
	if err != nil || actions["pledge.add"] != 5 || actions["pledge.progress"] != 8 || actions["pledge.done"] != 1 || actions["pledge.withdrawn"] != 1 {
		t.Errorf("audit %v (%v), want 5 adds, 8 progress (7 before the upgrade), 1 done, 1 withdrawn", actions, err)
	}
}
